package io.mirrorsensor.decode;

import io.mirrorsensor.sensor.gen.Frames;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decode path per packet: link to transport headers plus the symmetric flow hash, on frames
 * built by {@link Frames} (a 1448-byte-payload TCP segment, as in the reference traffic mix): plain
 * Ethernet/IPv4/TCP, the same frame inside AWS-style VXLAN, and Ethernet/IPv6/TCP. Run with
 * {@code -prof gc} to see that it allocates nothing.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar DecodeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBenchmark {
  private final PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
  private final DecodedPacket packet = new DecodedPacket();
  private byte[] ipv4Tcp;
  private byte[] vxlanTcp;
  private byte[] ipv6Tcp;
  private long ts = 1_705_312_800_000_000_000L;

  @Setup
  public void setUp() {
    byte[] payload = new byte[1448];
    ipv4Tcp = Frames.frame().ipv4(Frames.ip("10.0.1.10"), Frames.ip("10.0.2.20")).tcp(49152, 443)
        .flags(Frames.ACK | Frames.PSH).seq(1).ack(1).timestamps(1, 2).payload(payload).build();
    vxlanTcp = Frames.vxlan(Frames.ip("10.0.1.10"), Frames.ip("10.0.0.250"), 4242, ipv4Tcp);
    ipv6Tcp = Frames.frame().ipv6(Frames.ip("2001:db8:1::10"), Frames.ip("2001:db8:2::20"))
        .tcp(49152, 443).flags(Frames.ACK).seq(1).ack(1).payload(payload).build();
  }

  private long decode(byte[] f) {
    ts += 1_000;
    decoder.decode(f, 0, f.length, f.length, LinkType.ETHERNET, ts, packet);
    return FlowKey.hash(packet, 0);
  }

  @Benchmark
  public long ethernetIpv4Tcp() {
    return decode(ipv4Tcp);
  }

  @Benchmark
  public long vxlanEthernetIpv4Tcp() {
    return decode(vxlanTcp);
  }

  @Benchmark
  public long ethernetIpv6Tcp() {
    return decode(ipv6Tcp);
  }
}

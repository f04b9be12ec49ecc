package io.mirrorsensor.sensor.flow;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.decode.PacketDecoder;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.gen.Frames;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode plus flow-table accounting per packet, the work one worker does for every packet before
 * any protocol analysis: decode, flow hash, lookup in a table holding {@code flows} live flows
 * (both directions, frames from {@link Frames}), mirror-duplicate check, counters, LRU touch.
 * Packets are 200 ns apart in packet time (a 5 M packets/s line), so each flow comes round every
 * {@code 2 * flows * 200 ns} (4 ms at 10k flows, 80 ms at 200k) and none times out. Each frame's
 * TCP sequence number moves on every use, as a real flow's does, so no packet is a mirror
 * duplicate of the previous one: this is the hit path.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar FlowTableBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlowTableBenchmark {
  @Param({"10000", "200000"})
  int flows;

  /** {@code flow.mirror_duplicate_window}: 50ms (default) or 0 (check off), to price the check. */
  @Param({"50ms", "0"})
  String duplicateWindow;

  private final PacketDecoder decoder = new PacketDecoder(SensorConfig.defaults().decoderConfig());
  private final DecodedPacket packet = new DecodedPacket();
  private FlowTable table;
  private byte[][] frames;
  private int next;
  private long ts;

  @Setup(Level.Trial)
  public void setUp() {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("flow.mirror_duplicate_window", duplicateWindow);
    table = new FlowTable(ConfigLoader.fromProperties(props, "benchmark"), new FlowSink() {
      @Override
      public void flowEnded(Flow flow, EndReason reason) {}

      @Override
      public void finding(Flow flow, io.mirrorsensor.decode.tcp.TcpFinding f, long tsNanos) {}
    });
    frames = new byte[flows * 2][];
    byte[] server = Frames.ip("10.0.2.20");
    byte[] payload = new byte[200];
    for (int i = 0; i < flows; i++) {
      byte[] client = {10, 1, (byte) (i >> 16), (byte) (i >> 8)};
      int port = 1024 + (i & 0xFF) * 200;
      frames[2 * i] = Frames.frame().ipv4(client, server).tcp(port, 443).flags(Frames.ACK)
          .seq(i).ack(1).payload(payload).build();
      frames[2 * i + 1] = Frames.frame().ipv4(server, client).tcp(443, port).flags(Frames.ACK)
          .seq(1).ack(i).payload(payload).build();
    }
    ts = 1_705_312_800_000_000_000L;
    for (byte[] f : frames) {
      step(f);
    }
  }

  private Flow step(byte[] f) {
    ts += 200;
    decoder.decode(f, 0, f.length, f.length, LinkType.ETHERNET, ts, packet);
    return table.packet(packet, 0, FlowKey.hash(packet, 0));
  }

  /** Offset of the low byte of the TCP sequence number in an Ethernet/IPv4 (no options) frame. */
  private static final int SEQ_LOW_BYTE = 14 + 20 + 7;

  @Benchmark
  public Flow decodeAndAccount() {
    byte[] f = frames[next];
    f[SEQ_LOW_BYTE]++;
    next = next + 1 == frames.length ? 0 : next + 1;
    return step(f);
  }
}

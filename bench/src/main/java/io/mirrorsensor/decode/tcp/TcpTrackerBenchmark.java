package io.mirrorsensor.decode.tcp;

import io.mirrorsensor.decode.DecodedPacket;
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
 * The TCP tracker alone: segments per second of one bulk transfer (server data, client ACK every
 * second segment, as in TcpConnectionTest's fixtures), sequence numbers advancing through the
 * 2^32 wrap. Packets are {@link DecodedPacket}s filled as the decoder would; decoding is measured
 * by DecodeBenchmark. Expect 0 B/op with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TcpTrackerBenchmark {
  private final DecodedPacket data = new DecodedPacket();
  private final DecodedPacket ackP = new DecodedPacket();
  private TcpConnection c;
  private long seq;
  private long t;
  private int n;

  @Setup
  public void setup() {
    c = new TcpConnection(TcpConfig.defaults());
    t = 1_705_312_800_000_000_000L;
    DecodedPacket p = new DecodedPacket();
    p.tcpFlags = 0x02;
    p.seq = 1000;
    p.window = 64240;
    p.optWscale = 7;
    p.tsNanos = t;
    c.onPacket(p, true);
    p.tcpFlags = 0x12;
    p.seq = 0xFFFF_0000L;
    p.ack = 1001;
    p.tsNanos = t += 1_000_000;
    c.onPacket(p, false);
    p.tcpFlags = 0x10;
    p.seq = 1001;
    p.ack = 0xFFFF_0001L;
    p.tsNanos = t += 1_000_000;
    c.onPacket(p, true);
    seq = 0xFFFF_0001L;
    data.tcpFlags = 0x10;
    data.ack = 1001;
    data.window = 512;
    data.payloadLength = 1448;
    data.payloadWireLength = 1448;
    ackP.tcpFlags = 0x10;
    ackP.seq = 1001;
    ackP.window = 512;
  }

  /** One segment per call: a data segment, and every second call the client's ACK too. */
  @Benchmark
  public int segment() {
    data.seq = seq;
    data.tsNanos = t += 10_000;
    seq = (seq + 1448) & 0xFFFF_FFFFL;
    int r = c.onPacket(data, false);
    if ((++n & 1) == 0) {
      ackP.ack = seq;
      ackP.tsNanos = t += 1_000;
      r |= c.onPacket(ackP, true);
    }
    return r;
  }
}

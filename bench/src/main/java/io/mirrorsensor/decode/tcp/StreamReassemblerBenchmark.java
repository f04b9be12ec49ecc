package io.mirrorsensor.decode.tcp;

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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reassembly throughput, 1448-byte segments: in order (zero copy to the sink), and with every
 * pair swapped (each second segment buffered, copied, then drained). Bytes/s = ops/s x 2896 (two
 * segments per op). Depth is set out of reach so the bound does not cut the measurement short.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamReassemblerBenchmark {
  private static final int SEG = 1448;
  private final byte[] payload = new byte[SEG];
  private StreamReassembler r;
  private long seq;
  private Blackhole bh;

  @Setup
  public void setup(Blackhole bh) {
    this.bh = bh;
    TcpConfig d = TcpConfig.defaults();
    TcpConfig cfg = new TcpConfig(d.reorderWindowNanos(), d.synUnansweredSyns(),
        d.synUnansweredWindowNanos(), d.slowHandshakeNanos(), d.retransStormPercent(),
        d.retransStormMinSegments(), d.zeroWindowStallNanos(), Long.MAX_VALUE,
        d.reassemblyMemcap(), d.reassemblyMaxSegments());
    r = new StreamReassembler(cfg, new ReassemblyBudget(cfg.reassemblyMemcap()),
        new StreamSink() {
          @Override
          public void data(byte[] buf, int off, int len, long offset) {
            StreamReassemblerBenchmark.this.bh.consume(buf[off]);
          }

          @Override
          public void gap(long offset, long len) {}
        });
    seq = 1;
    r.start(seq);
  }

  @Benchmark
  public void inOrderPair() {
    r.segment(seq, payload, 0, SEG, SEG);
    r.segment((seq + SEG) & 0xFFFF_FFFFL, payload, 0, SEG, SEG);
    seq = (seq + 2 * SEG) & 0xFFFF_FFFFL;
  }

  @Benchmark
  public void swappedPair() {
    r.segment((seq + SEG) & 0xFFFF_FFFFL, payload, 0, SEG, SEG);
    r.segment(seq, payload, 0, SEG, SEG);
    seq = (seq + 2 * SEG) & 0xFFFF_FFFFL;
  }
}

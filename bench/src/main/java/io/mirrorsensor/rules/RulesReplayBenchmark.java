package io.mirrorsensor.rules;

import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.DiscardingEventSink;
import io.mirrorsensor.sensor.engine.PacketProcessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * The whole worker packet path ({@link PacketProcessor}: decode, flow table, reassembly, HTTP /
 * DNS / TLS parsers, the rule stage) with no rules, 100 or all loadable ET Open rules (as {@link
 * RulesBenchmark}), over the frames of samples/plain.pcap and samples/vxlan.pcap held in memory;
 * each op replays them once, an hour of packet time after the previous op so every op makes new
 * flows. The score is replays/s; frames per op are printed by setup. Transaction rules do not run
 * here until the app layer calls the rule stage's hooks; packet rules do.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar RulesReplayBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RulesReplayBenchmark {
  @Param({"none", "100", "all"})
  public String rules;

  private final List<CaptureRecord> frames = new ArrayList<>();
  private PacketProcessor pp;
  private long shift;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    SensorConfig cfg = SensorConfig.defaults();
    if (!rules.equals("none")) {
      List<String> all = RulesBenchmark.etOpenRules();
      List<String> chosen = rules.equals("all") ? all : RulesBenchmark.sample(all, 100);
      cfg = cfg.withRules(RuleLoader.loadText("bench.rules", String.join("\n", chosen),
          RuleOptions.defaults()));
    }
    pp = new PacketProcessor(cfg, new DiscardingEventSink() /* the output path is not measured */);
    for (String f : new String[] {"samples/plain.pcap", "samples/vxlan.pcap"}) {
      try (CaptureReader r = CaptureReader.open(Path.of(f))) {
        while (true) {
          CaptureRecord rec = new CaptureRecord();
          if (!r.next(rec)) {
            break;
          }
          rec.buf = java.util.Arrays.copyOfRange(rec.buf, rec.offset, rec.offset + rec.capLen);
          rec.offset = 0;
          frames.add(rec);
        }
      }
    }
    System.err.println("RulesReplayBenchmark rules=" + rules + ": " + frames.size()
        + " frames per op");
  }

  @Benchmark
  public long replay() {
    shift += 3_600_000_000_000L;
    for (int i = 0; i < frames.size(); i++) {
      CaptureRecord r = frames.get(i);
      pp.process(r.buf, 0, r.capLen, r.origLen, r.linkType, r.tsNanos + shift, r.number);
    }
    return pp.packets();
  }

}

package io.mirrorsensor.rules;

import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.DiscardingEventSink;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.engine.PacketProcessor;
import io.mirrorsensor.sensor.engine.ReplayRunner;
import io.mirrorsensor.sensor.engine.ReplaySummary;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the rules cost end to end: replays one capture with no rules, 100 rules (every n-th of the
 * set, as {@link RulesBenchmark#sample}) and all rules, each set loaded once before timing, in one
 * warm JVM, the three interleaved run by run (in a rotating order) so that machine load hits them
 * alike; prints per set the median wall time, packets/s, Gbit/s of capture, the process CPU time,
 * and the ratio against no rules. CPU time is the process's on the replay path (reader, workers,
 * output), this thread's in {@code --direct} mode (the worker alone; JIT and GC threads apart).
 *
 * <pre>
 * java -Xmx2g -cp bench/target/benchmarks.jar io.mirrorsensor.rules.RulesReplayHarness \
 *     --file bench-out/ref-mix.pcap --rules ../shared/corpus/rules/et-open/a.rules,... \
 *     [--runs 5] [--direct] [--out DIR] [--threads]
 * </pre>
 *
 * {@code --out DIR}: where the runs write their outputs (default: the system temp directory),
 * deleted at exit. {@code --threads}: prints each run's CPU time per thread (workers, output
 * thread, the reader on {@code main}).
 *
 * Default mode: the real replay path ({@link ReplayRunner}: reader, pipeline, workers, EVE output
 * to a temporary directory). {@code --direct}: one {@link PacketProcessor} on this thread over the
 * capture held in memory, no output (the worker's cost alone: the numbers to profile with JFR).
 */
public final class RulesReplayHarness {
  private RulesReplayHarness() {}

  public static void main(String[] args) throws Exception {
    Path file = null;
    List<Path> ruleFiles = new ArrayList<>();
    int runs = 5;
    boolean direct = false;
    String only = null;
    boolean threads = false;
    Path outParent = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--file":
          file = Path.of(args[++i]);
          break;
        case "--rules":
          for (String f : args[++i].split(",")) {
            ruleFiles.add(Path.of(f));
          }
          break;
        case "--runs":
          runs = Integer.parseInt(args[++i]);
          break;
        case "--direct":
          direct = true;
          break;
        case "--out":
          outParent = Path.of(args[++i]);
          break;
        case "--threads":
          threads = true;
          break;
        case "--only":
          only = args[++i];
          break;
        default:
          System.err.println("unknown argument " + args[i]);
          System.exit(2);
      }
    }
    if (file == null || ruleFiles.isEmpty()) {
      System.err.println("usage: RulesReplayHarness --file PCAP --rules F,F... [--runs N] [--direct]"
          + " [--only none|100|all] [--out DIR] [--threads]");
      System.exit(2);
    }
    long t0 = System.nanoTime();
    RuleSet all = RuleLoader.load(ruleFiles, RuleOptions.defaults());
    double loadAll = (System.nanoTime() - t0) / 1e9;
    List<String> texts = new ArrayList<>();
    all.rules().stream()
        .sorted(java.util.Comparator.comparing(Rule::file).thenComparingInt(Rule::line))
        .forEach(r -> texts.add(r.text()));
    RuleSet hundred = RuleLoader.loadText("sample.rules",
        String.join("\n", RulesBenchmark.sample(texts, 100)), RuleOptions.defaults());
    System.out.printf("rules: all %d loaded in %.2f s (%d skipped, %d failed); sample %d%n",
        all.report().loaded(), loadAll, all.report().skipped(), all.report().failed(),
        hundred.report().loaded());
    long streamRules = Arrays.stream(all.rules).filter(r -> r.streamMode != Rule.PACKET).count();
    System.out.printf("all: %d stream rules, stream tail %d bytes; prefilter patterns: tcp %d,"
            + " tcp packet-only %d, stream to_server/to_client %s, udp %d%n", streamRules, all.streamTail,
        all.groups[Protocols.TCP].patternRules.length,
        all.coveredTcp[RuleSet.DIR_TS].patternRules.length,
        all.stream[RuleSet.DIR_TS].patternRules.length + "/"
            + all.stream[RuleSet.DIR_TC].patternRules.length,
        all.groups[Protocols.UDP].patternRules.length);
    long mem = 0;
    StringBuilder groups = new StringBuilder();
    for (int d = RuleSet.DIR_TS; d <= RuleSet.DIR_TC; d++) {
      for (MultiPatternMatcher m : new MultiPatternMatcher[] {all.streamScan[d],
          all.coveredTcp[d].mpm}) {
        if (m != null) {
          groups.append(' ').append(m.states()).append(" states/")
              .append(m.memoryBytes() >> 10).append(" KiB");
        }
      }
    }
    for (RuleSet.Group[] gs : all.packetGroups) {
      for (RuleSet.Group g : gs) {
        mem += g.mpm == null ? 0 : g.mpm.memoryBytes();
      }
    }
    System.out.printf("prefilters: stream+covered ts, covered ts, stream+covered tc, covered tc:%s;"
        + " packet groups %d KiB%n", groups, mem >> 10);
    Map<String, RuleSet> sets = new LinkedHashMap<>();
    sets.put("none", null);
    sets.put("100", hundred);
    sets.put("all", all);
    if (only != null) {
      sets.keySet().retainAll(List.of(only));
    }
    long size = Files.size(file);
    System.out.printf("input %s: %,d bytes; mode %s; %d cores, java %s, max heap %d MiB%n", file,
        size, direct ? "direct (one PacketProcessor, in memory, no output)" : "replay path",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.println("load: " + loadAverage());
    List<CaptureRecord> frames = direct ? read(file) : null;
    String[] names = sets.keySet().toArray(new String[0]);
    Map<String, double[]> wall = new LinkedHashMap<>();
    Map<String, double[]> cpu = new LinkedHashMap<>();
    for (String n : names) {
      wall.put(n, new double[runs]);
      cpu.put(n, new double[runs]);
    }
    long packets = 0;
    Path outs = direct ? null : outParent == null
        ? Files.createTempDirectory("mirrorsensor-rules-bench")
        : Files.createTempDirectory(Files.createDirectories(outParent), "mirrorsensor-rules-bench");
    if (outs != null) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(outs)));
    }
    // warm-up: one pass of each (JIT), not counted
    for (String n : names) {
      packets = once(sets.get(n), file, frames, 0, outs)[0];
    }
    for (int r = 0; r < runs; r++) {
      for (int k = 0; k < names.length; k++) {
        String n = names[(r + k) % names.length];
        long c0 = cpuNanos(direct);
        ThreadCpu sampler = threads ? ThreadCpu.begin() : null;
        long[] res = once(sets.get(n), file, frames, r + 1, outs);
        if (sampler != null) {
          System.out.println("  threads: " + sampler.end());
        }
        wall.get(n)[r] = res[1] / 1e9;
        cpu.get(n)[r] = (cpuNanos(direct) - c0) / 1e9;
        System.out.printf("run %d %-4s: %.2f s wall, %.2f s cpu, %,d alerts%n", r + 1, n,
            wall.get(n)[r], cpu.get(n)[r], res[2]);
      }
    }
    System.out.println("load: " + loadAverage());
    double baseWall = median(wall.get(names[0]));
    double baseCpu = median(cpu.get(names[0]));
    System.out.printf("%-5s %9s %12s %8s %9s %10s %10s%n", "rules", "wall s", "packets/s",
        "Gbit/s", "cpu s", "x wall", "x cpu");
    for (String n : names) {
      double w = median(wall.get(n));
      double c = median(cpu.get(n));
      System.out.printf("%-5s %9.2f %,12.0f %8.2f %9.2f %10.2f %10.2f%n", n, w, packets / w,
          size * 8 / w / 1e9, c, w / baseWall, c / baseCpu);
    }
  }

  /** One replay: {packets, elapsed nanos, alerts}. */
  private static long[] once(RuleSet set, Path file, List<CaptureRecord> frames, int pass,
      Path outParent) throws Exception {
    SensorConfig cfg = SensorConfig.defaults();
    if (set != null) {
      cfg = cfg.withRules(set);
    }
    if (frames != null) {
      long[] alerts = new long[1];
      PacketProcessor pp = new PacketProcessor(cfg, new DiscardingEventSink() {
        @Override
        public void ruleAlert(io.mirrorsensor.sensor.flow.Flow flow, Rule rule, boolean fromSrc,
            long tsNanos, long pcapCnt) {
          alerts[0]++;
        }
      });
      long start = System.nanoTime();
      for (CaptureRecord r : frames) {
        pp.process(r.buf, 0, r.capLen, r.origLen, r.linkType, r.tsNanos, r.number);
      }
      pp.finish();
      long elapsed = System.nanoTime() - start;
      if (pass == 0 && set != null) {
        Map<String, Object> st = pp.stats(0);
        System.out.println("stats: detect " + st.get("detect") + "; app " + st.get("app") + "; reassembly " + ((Map<?, ?>) st.get("tcp")).get("reassembly"));
      }
      return new long[] {pp.packets(), elapsed, alerts[0]};
    }
    Path out = Files.createTempDirectory(outParent, "run");
    Outputs o = Outputs.open(out, cfg, System.err);
    ReplaySummary s = new ReplayRunner(cfg, List.of(file), o, null).run();
    long alerts = s.eventsByType().getOrDefault("alert", 0L);
    return new long[] {s.packets(), s.elapsedNanos(), alerts};
  }

  /**
   * Deletes the runs' outputs at the end, not between runs: on ext4 without a journal a file
   * created within a minute (up to six while the freed inodes' block is dirty) of many deletions
   * in its block group costs about 0.7 ms instead of 20 us (the allocator steps over recently
   * freed inodes), which charged each run with all rules the previous run's 660 extract
   * deletions. Consecutive invocations on one disk still do: compare figures on tmpfs.
   */
  private static void deleteTree(Path dir) {
    try (var w = Files.walk(dir)) {
      w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  /**
   * CPU time per live thread over one run, sampled every 5 ms (threads of the replay path end with
   * the run, so their last sample stands for them).
   */
  private static final class ThreadCpu extends Thread {
    private final Map<Long, long[]> first = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, long[]> last = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running = true;

    static ThreadCpu begin() {
      ThreadCpu t = new ThreadCpu();
      t.setDaemon(true);
      t.sample();
      t.start();
      return t;
    }

    private void sample() {
      // thread ids and ThreadInfo without a stack: no safepoint, unlike Thread.getAllStackTraces
      var mx = ManagementFactory.getThreadMXBean();
      for (long id : mx.getAllThreadIds()) {
        long c = mx.getThreadCpuTime(id);
        if (c >= 0 && id != getId()) {
          first.putIfAbsent(id, new long[] {c});
          last.put(id, new long[] {c});
          names.computeIfAbsent(id, k -> {
            var info = mx.getThreadInfo(k);
            return info == null ? "thread " + k : info.getThreadName();
          });
        }
      }
    }

    @Override
    public void run() {
      while (running) {
        sample();
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    String end() throws InterruptedException {
      running = false;
      join();
      sample();
      StringBuilder sb = new StringBuilder();
      last.entrySet().stream()
          .map(e -> Map.entry(names.get(e.getKey()), e.getValue()[0] - first.get(e.getKey())[0]))
          .filter(e -> e.getValue() > 5_000_000L)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> sb.append(String.format("%s %.2f s; ", e.getKey(), e.getValue() / 1e9)));
      return sb.toString();
    }
  }

  private static List<CaptureRecord> read(Path file) throws Exception {
    List<CaptureRecord> frames = new ArrayList<>();
    try (CaptureReader r = CaptureReader.open(file)) {
      while (true) {
        CaptureRecord rec = new CaptureRecord();
        if (!r.next(rec)) {
          break;
        }
        rec.buf = Arrays.copyOfRange(rec.buf, rec.offset, rec.offset + rec.capLen);
        rec.offset = 0;
        frames.add(rec);
      }
    }
    return frames;
  }

  /** CPU time of this thread (direct: the one worker) or of the process (the replay path). */
  private static long cpuNanos(boolean thread) {
    if (thread) {
      return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "?";
    }
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}

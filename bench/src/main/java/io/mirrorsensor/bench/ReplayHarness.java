package io.mirrorsensor.bench;

import io.mirrorsensor.bench.gen.TrafficGenerator;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.engine.ReplayRunner;
import io.mirrorsensor.sensor.engine.ReplaySummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * End-to-end replay throughput: replays one large capture through the real replay path (reader,
 * decoder, flow table, EVE and flow-log output to disk) several times and prints packets/s, MB/s,
 * Gbit/s of capture and the peak RSS; where tshark is installed, times
 * {@code tshark -r FILE -q -z conv,tcp} on the same file in the same run and prints the ratio.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.mirrorsensor.bench.ReplayHarness \
 *     [--file F] [--size-mb 1100] [--vxlan] [--runs 3] [--no-tshark] [--config FILE]
 *     [--rules FILE,FILE...]
 * </pre>
 *
 * {@code --rules} loads the rule files as {@code mirrorsensor replay --rules} does (comma-separated;
 * rules the sensor cannot load are skipped and counted) once, before the timed runs (the load time
 * is printed on its own), and replays with them.
 *
 * Without {@code --file} it generates {@code bench-out/replay-SIZE[-vxlan].pcap} first (kept for
 * the next run) with {@link TrafficGenerator}.
 */
public final class ReplayHarness {
  private ReplayHarness() {}

  public static void main(String[] args) throws Exception {
    Path file = null;
    int sizeMb = 1100;
    boolean vxlan = false;
    int runs = 3;
    boolean tshark = true;
    SensorConfig config = SensorConfig.defaults();
    List<Path> rules = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--file":
          file = Path.of(args[++i]);
          break;
        case "--size-mb":
          sizeMb = Integer.parseInt(args[++i]);
          break;
        case "--vxlan":
          vxlan = true;
          break;
        case "--runs":
          runs = Integer.parseInt(args[++i]);
          break;
        case "--no-tshark":
          tshark = false;
          break;
        case "--config":
          config = io.mirrorsensor.sensor.config.ConfigLoader.load(Path.of(args[++i]));
          break;
        case "--rules":
          rules = new ArrayList<>();
          for (String f : args[++i].split(",")) {
            rules.add(Path.of(f.trim()));
          }
          break;
        default:
          System.err.println("unknown argument " + args[i]);
          System.exit(2);
      }
    }
    if (file == null) {
      file = Path.of("bench-out", "replay-" + sizeMb + (vxlan ? "-vxlan" : "") + ".pcap");
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        System.out.printf("generating %s (%d MB)...%n", file, sizeMb);
        List<String> g = new ArrayList<>(List.of(file.toString(), Integer.toString(sizeMb), "1",
            "2000"));
        if (vxlan) {
          g.add("--vxlan");
        }
        TrafficGenerator.main(g.toArray(new String[0]));
      }
    }
    if (rules != null) {
      // after --config, which may come later on the line
      long t0 = System.nanoTime();
      io.mirrorsensor.rules.RuleSet set = io.mirrorsensor.rules.RuleLoader.load(rules,
          io.mirrorsensor.rules.RuleOptions.defaults());
      System.out.printf("rules: %d loaded (%d skipped, %d failed) in %.2f s, not timed below%n",
          set.report().loaded(), set.report().skipped(), set.report().failed(),
          (System.nanoTime() - t0) / 1e9);
      config = config.withRules(set);
    }
    long size = Files.size(file);
    System.out.printf("input %s: %,d bytes%n", file, size);
    System.out.printf("machine: %d cores, java %s, max heap %d MiB%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    resetPeakRss();
    Path out = Files.createTempDirectory("mirrorsensor-bench");
    double[] seconds = new double[runs];
    ReplaySummary last = null;
    for (int r = 0; r < runs; r++) {
      Outputs o = Outputs.open(out, config, System.err);
      last = new ReplayRunner(config, List.of(file), o, null).run();
      seconds[r] = last.seconds();
      System.out.printf("run %d: %.2f s, %,.0f packets/s, %.0f MB/s, %.2f Gbit/s, %,d flows%n",
          r + 1, last.seconds(), last.packetsPerSecond(), last.fileBytesPerSecond() / 1e6,
          last.fileBytesPerSecond() * 8 / 1e9, last.flows());
    }
    long peakRss = peakRssKib();
    double med = median(seconds);
    System.out.printf("median: %.2f s, %,.0f packets/s, %.0f MB/s, %.2f Gbit/s of capture;"
            + " peak RSS %,d MiB; eve.json %,d bytes%n",
        med, last.packets() / med, size / med / 1e6, size * 8 / med / 1e9, peakRss >> 10,
        Files.size(out.resolve("eve.json")));
    if (tshark) {
      double[] t = timeTshark(file, runs);
      if (t != null) {
        double tmed = median(t);
        System.out.printf("tshark -r FILE -q -z conv,tcp: median %.2f s (%.0f MB/s); mirrorsensor"
            + " is %.1fx faster%n", tmed, size / tmed / 1e6, tmed / med);
      }
    }
    deleteTree(out);
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  private static double[] timeTshark(Path file, int runs) throws IOException, InterruptedException {
    double[] t = new double[runs];
    for (int r = 0; r < runs; r++) {
      long start = System.nanoTime();
      Process p;
      try {
        p = new ProcessBuilder("tshark", "-r", file.toString(), "-q", "-z", "conv,tcp")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
      } catch (IOException e) {
        System.out.println("tshark not installed: no peer comparison (apt-get install tshark)");
        return null;
      }
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        System.out.println("tshark failed (exit " + p.exitValue() + "): no peer comparison");
        return null;
      }
      t[r] = (System.nanoTime() - start) / 1e9;
      System.out.printf("tshark run %d: %.2f s%n", r + 1, t[r]);
    }
    return t;
  }

  /** Resets VmHWM (Linux: write 5 to /proc/self/clear_refs) so generation does not count. */
  private static void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | UnsupportedOperationException e) {
      // not Linux, or not permitted: the peak then includes generation
    }
  }

  /** Peak resident set size of this JVM in KiB (VmHWM), or -1. */
  static long peakRssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return -1;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static PrintStream quiet() {
    return new PrintStream(PrintStream.nullOutputStream());
  }
}

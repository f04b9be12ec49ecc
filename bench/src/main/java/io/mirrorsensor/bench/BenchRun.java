package io.mirrorsensor.bench;

import io.mirrorsensor.bench.gen.TrafficGenerator;
import io.mirrorsensor.rules.RulesBenchmark;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one benchmark command ({@code bench/run.sh} calls it): generates or reuses the inputs in
 * {@code bench-out/}, replays them through mirrorsensor (no rules, 100 ET Open rules, all ET Open)
 * and through the peers on PATH (tshark, tcpdump, Suricata, Snort) on the same file in the same
 * run, measures memory per flow, runs every JMH suite with {@code -prof gc} and the live zero-loss
 * search, then rewrites the generated parts of docs/BENCHMARKS.md, draws the plots into
 * docs/bench/ and appends a line to docs/bench/history.csv.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.mirrorsensor.bench.BenchRun [--quick] [--runs N]
 *     [--doc FILE] [--plots DIR] [--out DIR] [--shared DIR] [--no-jmh] [--no-live]
 *     [--no-replay] [--no-memory] [--no-large] [--no-history] [--jmh REGEX]
 * </pre>
 *
 * {@code --quick}: a smoke check in about a minute: a 2 MB generated capture, one run, no rules,
 * small memory sizes, a short live search, no JMH; writes bench-out/quick/BENCHMARKS.md and its
 * plots instead of the real document, and no history line.
 *
 * <p>Every tool runs as its own process, timed from outside (whole command: start-up and rule
 * loading included, as PEERS.md measures); each also runs once on the input's first 1,000
 * packets, and that start-up time is subtracted to give a second, "after start-up" throughput.
 * Runs are interleaved (round 1 of every tool, then round 2...) so a burst of load on the shared
 * machine spreads over all tools instead of hitting one.
 */
public final class BenchRun {
  static final int HEAD_PACKETS = 1000;

  /** A capture every tool reads. */
  record Input(String name, Path file, String how, long packets, long bytes, Path head) {}

  /** One tool in one configuration; {@code rules}: none, 100 or all. */
  record Tool(String tool, String config, String rules, boolean ours,
      BiFunction<Path, Path, List<String>> command, int[] okExits) {}

  /** What the runs of one tool on one input measured. */
  static final class Measured {
    final Tool tool;
    final Input input;
    final List<Double> seconds = new ArrayList<>();
    final List<Double> headSeconds = new ArrayList<>();
    final List<Double> cpuSeconds = new ArrayList<>();
    long peakRssKib = -1;
    String failure;

    Measured(Tool tool, Input input) {
      this.tool = tool;
      this.input = input;
    }

    double median() {
      return BenchRun.median(seconds);
    }

    double startup() {
      return BenchRun.median(headSeconds);
    }

    /** Wall seconds minus start-up; NaN when the difference is not meaningful. */
    double afterStartup() {
      double d = median() - startup();
      return d > 0.05 * median() ? d : Double.NaN;
    }
  }

  final boolean quick;
  int runs;
  Path doc;
  Path plots;
  Path out;
  Path shared;
  boolean jmh;
  /** JMH's benchmark regex; empty: every suite. */
  String jmhInclude = "";
  boolean live;
  boolean memory = true;
  boolean replay = true;
  boolean large = true;
  boolean history;
  final String classpath = System.getProperty("java.class.path");
  /** The java of this JVM, for the child processes. */
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  final Map<String, String> sections = new LinkedHashMap<>();
  final List<String> absent = new ArrayList<>();
  final Map<String, String> figures = new LinkedHashMap<>();
  final long started = System.nanoTime();
  final Path scratch;

  BenchRun(boolean quick) throws IOException {
    this.quick = quick;
    this.runs = quick ? 1 : 3;
    this.doc = quick ? Path.of("bench-out", "quick", "BENCHMARKS.md") : Path.of("docs",
        "BENCHMARKS.md");
    this.plots = quick ? Path.of("bench-out", "quick", "bench") : Path.of("docs", "bench");
    this.out = Path.of("bench-out");
    this.shared = Path.of(System.getProperty("mirrorsensor.shared", "../shared"));
    this.jmh = !quick;
    this.live = true;
    this.history = !quick;
    this.scratch = Files.createTempDirectory("mirrorsensor-benchrun");
  }

  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    BenchRun b = new BenchRun(quick);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> { }
        case "--runs" -> b.runs = Integer.parseInt(args[++i]);
        case "--doc" -> b.doc = Path.of(args[++i]);
        case "--plots" -> b.plots = Path.of(args[++i]);
        case "--out" -> b.out = Path.of(args[++i]);
        case "--shared" -> b.shared = Path.of(args[++i]);
        case "--no-jmh" -> b.jmh = false;
        case "--jmh" -> {
          b.jmh = true;
          b.jmhInclude = args[++i];
        }
        case "--no-live" -> b.live = false;
        case "--no-memory" -> b.memory = false;
        case "--no-replay" -> b.replay = false;
        case "--no-large" -> b.large = false;
        case "--no-history" -> b.history = false;
        default -> {
          System.err.println("unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    b.run();
  }

  void run() throws Exception {
    Files.createDirectories(out);
    String machine = machine();
    log("machine: " + machine.replace("\n", "; "));
    if (replay) {
      List<Input> inputs = inputs();
      sections.put("replay", replaySection(inputs, replay(inputs)));
    }
    if (memory) {
      sections.put("memory", memorySection());
    }
    if (live) {
      sections.put("live", liveSection());
    }
    if (jmh) {
      sections.put("jmh", jmhSection());
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    String cmd = quick ? "bench/run.sh --quick" : "bench/run.sh";
    sections.put("machine", "Generated by `" + cmd + "` in " + String.format("%.1f", minutes)
        + " minutes (build excluded).\n\n" + machine
        + (absent.isEmpty() ? "" : "\n- peers not on PATH, so not run: " + String.join(", ",
            absent)) + "\n");
    if (history) {
      sections.put("history", historySection());
    }
    Files.createDirectories(doc.toAbsolutePath().getParent());
    String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
    Files.writeString(doc, DocSections.apply(text, sections));
    log(String.format("wrote %s and plots in %s (%.1f minutes)", doc, plots, minutes));
    deleteTree(scratch);
  }

  // ---------------------------------------------------------------- machine

  String machine() throws IOException, InterruptedException {
    String cpu = "?";
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.exists(cpuinfo)) {
      for (String line : Files.readAllLines(cpuinfo)) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    }
    String mem = "?";
    Path meminfo = Path.of("/proc/meminfo");
    if (Files.exists(meminfo)) {
      for (String line : Files.readAllLines(meminfo)) {
        if (line.startsWith("MemTotal")) {
          mem = String.format("%.1f GiB",
              Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
        }
      }
    }
    String load = "?";
    if (Files.exists(Path.of("/proc/loadavg"))) {
      load = String.join(" ", Arrays.copyOf(
          Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
    }
    figures.put("load1", load.split(" ")[0]);
    String commit = git("rev-parse", "--short", "HEAD");
    String dirty = git("status", "--porcelain", "--untracked-files=no");
    commit = commit.isEmpty() ? "unknown" : commit + (dirty.isEmpty() ? "" : " (with uncommitted"
        + " changes)");
    figures.put("commit", commit.split(" ")[0]);
    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    figures.put("date", date);
    return String.join("\n",
        "- date: " + date + ", commit " + commit,
        "- machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
            + mem + " memory, load average at start " + load + " (1/5/15 min; the machine is"
            + " shared, so figures drift between runs: compare ratios within one run)",
        "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
            + ", default JVM flags for every Java process",
        "- peers: " + peerVersions());
  }

  private String peerVersions() throws IOException, InterruptedException {
    List<String> v = new ArrayList<>();
    for (String[] t : new String[][] {{"tshark", "--version"}, {"tcpdump", "--version"},
        {"suricata", "-V"}, {"snort", "-V"}}) {
      if (!Proc.onPath(t[0])) {
        continue;
      }
      Proc.Result r = Proc.run(List.of(t), scratch, 60);
      String all = (r.stdout() + "\n" + r.stderrTail());
      Matcher m = Pattern.compile("(\\d+\\.\\d+(\\.\\d+)?)").matcher(all);
      v.add(t[0] + (m.find() ? " " + m.group(1) : ""));
    }
    return v.isEmpty() ? "none on PATH" : String.join(", ", v);
  }

  private static String git(String... args) {
    try {
      List<String> cmd = new ArrayList<>(List.of("git"));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? s : "";
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  // ---------------------------------------------------------------- inputs

  List<Input> inputs() throws Exception {
    List<Input> in = new ArrayList<>();
    if (quick) {
      Path f = out.resolve("quick-2mb.pcap");
      if (!Files.exists(f)) {
        TrafficGenerator.generate(f, 2_000_000, 1, 64, false);
      }
      in.add(input("quick-2mb.pcap", f, "`TrafficGenerator` (seed 1, 2 MB, 64 concurrent flows)"));
      return in;
    }
    Path gen = shared.resolve("bench").resolve("genpcap.py");
    Path wrap = shared.resolve("bench").resolve("wrap_vxlan.py");
    Path ref = out.resolve("ref-mix.pcap");
    Path refV = out.resolve("ref-mix-vxlan.pcap");
    if (!Files.exists(ref) && Files.exists(gen)) {
      log("generating " + ref + " with " + gen + " (about a minute)");
      Proc.run(List.of("/usr/bin/python3", gen.toString(), ref.toString(), "195", "1", "400"),
          scratch, 1800);
    }
    if (!Files.exists(refV) && Files.exists(ref) && Files.exists(wrap)) {
      log("generating " + refV);
      Proc.run(List.of("/usr/bin/python3", wrap.toString(), ref.toString(), refV.toString()),
          scratch, 1800);
    }
    if (Files.exists(ref)) {
      in.add(input("ref-mix.pcap", ref, "`/usr/bin/python3 ../shared/bench/genpcap.py "
          + "bench-out/ref-mix.pcap 195 1 400` (the shared reference mix of PEERS.md)"));
    } else {
      log("no " + ref + " and no " + gen + ": the reference mix is skipped");
    }
    if (Files.exists(refV)) {
      in.add(input("ref-mix-vxlan.pcap", refV, "`/usr/bin/python3 ../shared/bench/wrap_vxlan.py "
          + "bench-out/ref-mix.pcap bench-out/ref-mix-vxlan.pcap` (VNI 4242)"));
    }
    if (large) {
      Path big = out.resolve("replay-1100.pcap");
      if (!Files.exists(big)) {
        log("generating " + big + " (1.1 GB, deterministic)");
        TrafficGenerator.generate(big, 1100L * 1_000_000, 1, 2000, false);
      }
      in.add(input("replay-1100.pcap", big, "`TrafficGenerator bench-out/replay-1100.pcap 1100 1"
          + " 2000` (seed 1, 2,000 concurrent flows, HTTP-like TCP, DNS, ICMP, ~5% IPv6)"));
    }
    return in;
  }

  Input input(String name, Path file, String how) throws IOException {
    Path head = out.resolve("head-" + name);
    long[] count = countAndHead(file, head, HEAD_PACKETS);
    log(String.format("input %s: %,d packets, %,d bytes", name, count[0], Files.size(file)));
    return new Input(name, file, how, count[0], Files.size(file), head);
  }

  /**
   * Counts the records of a classic pcap and writes its first {@code n} records to {@code head}
   * (rewritten only when older than the input). Returns {packets}.
   */
  static long[] countAndHead(Path file, Path head, int n) throws IOException {
    long packets = 0;
    try (CaptureReader r = CaptureReader.open(file)) {
      CaptureRecord rec = new CaptureRecord();
      while (r.next(rec)) {
        packets++;
      }
    }
    if (Files.exists(head)
        && Files.getLastModifiedTime(head).compareTo(Files.getLastModifiedTime(file)) > 0) {
      return new long[] {packets};
    }
    try (InputStream in = Files.newInputStream(file);
        OutputStream o = Files.newOutputStream(head)) {
      byte[] global = in.readNBytes(24);
      ByteOrder order = (global[0] & 0xFF) == 0xD4 || (global[0] & 0xFF) == 0x4D
          ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      o.write(global);
      for (int i = 0; i < n; i++) {
        byte[] hdr = in.readNBytes(16);
        if (hdr.length < 16) {
          break;
        }
        int len = ByteBuffer.wrap(hdr).order(order).getInt(8);
        byte[] data = in.readNBytes(len);
        if (data.length < len) {
          break;
        }
        o.write(hdr);
        o.write(data);
      }
    }
    return new long[] {packets};
  }

  // ---------------------------------------------------------------- replay and peers

  List<Tool> tools(Input in, List<Path> etOpen, Path rules100, Path etOpenOne, Path empty) {
    List<Tool> t = new ArrayList<>();
    boolean big = in.name().startsWith("replay-");
    boolean vxlan = in.name().contains("vxlan");
    t.add(ms("no rules", "none", null));
    // Rules run on the plain reference mix only: the VXLAN copy and the 1.1 GB capture would
    // double the run's time for the same comparison.
    if (!quick && rules100 != null && !big && !vxlan) {
      t.add(ms("100 ET Open rules", "100", List.of(rules100)));
    }
    if (!quick && !etOpen.isEmpty() && !big && !vxlan) {
      t.add(ms("all ET Open (" + etOpen.size() + " files)", "all", etOpen));
    }
    if (Proc.onPath("tshark")) {
      t.add(new Tool("tshark", "-q -z conv,tcp", "none", false,
          (f, d) -> List.of("tshark", "-r", f.toString(), "-q", "-z", "conv,tcp"), new int[0]));
    }
    if (Proc.onPath("tcpdump")) {
      t.add(new Tool("tcpdump", "-w /dev/null (read and copy)", "none", false,
          (f, d) -> List.of("tcpdump", "-r", f.toString(), "-w", "/dev/null"), new int[0]));
    }
    if (Proc.onPath("suricata")) {
      t.add(suricata("no rules", "none", empty));
      if (!quick && rules100 != null && !big && !vxlan) {
        t.add(suricata("the same 100 ET Open rules", "100", rules100));
      }
      if (!quick && etOpenOne != null && !big && !vxlan) {
        t.add(suricata("all ET Open", "all", etOpenOne));
      }
    }
    if (Proc.onPath("snort")) {
      // Untested here (Snort is not packaged for this machine): the command PEERS.md describes.
      t.add(new Tool("snort", "no rules, -k none", "none", false, (f, d) -> {
        List<String> c = new ArrayList<>(List.of("snort", "-q", "-r", f.toString(), "-k", "none"));
        if (Files.exists(Path.of("/etc/snort/snort.lua"))) {
          c.addAll(List.of("-c", "/etc/snort/snort.lua"));
        }
        return c;
      }, new int[0]));
    }
    return t;
  }

  private Tool ms(String config, String group, List<Path> rules) {
    return new Tool("mirrorsensor", config, group, true, (f, d) -> {
      List<String> c = new ArrayList<>(List.of(JAVA, "-cp", classpath,
          "io.mirrorsensor.sensor.cli.Main", "replay", f.toString(), "--out", d.toString(),
          "--quiet"));
      if (rules != null) {
        c.add("--rules");
        c.add(rules.stream().map(Path::toString).collect(Collectors.joining(",")));
      }
      return c;
    }, new int[] {3});
  }

  private static Tool suricata(String config, String group, Path rules) {
    return new Tool("suricata", config + ", runmode single, -k none", group, false,
        (f, d) -> List.of("suricata", "-r", f.toString(), "-l", d.toString(), "-k", "none",
            "--runmode", "single", "-S", rules.toString()), new int[0]);
  }

  List<Measured> replay(List<Input> inputs) throws Exception {
    for (String peer : List.of("tshark", "tcpdump", "suricata", "snort")) {
      if (!Proc.onPath(peer)) {
        absent.add(peer);
      }
    }
    log("peers absent from PATH: " + (absent.isEmpty() ? "none" : String.join(", ", absent)));
    List<Path> etOpen = new ArrayList<>();
    Path etDir = shared.resolve("corpus").resolve("rules").resolve("et-open");
    Path rules100 = null;
    Path etOne = null;
    Path empty = out.resolve("empty.rules");
    Files.writeString(empty, "");
    if (!quick && Files.isDirectory(etDir)) {
      try (Stream<Path> s = Files.list(etDir)) {
        etOpen = s.filter(p -> p.toString().endsWith(".rules")).sorted()
            .collect(Collectors.toList());
      }
      rules100 = out.resolve("rules-100.rules");
      etOne = out.resolve("et-open-all.rules");
      if (!Files.exists(rules100)) {
        System.setProperty("mirrorsensor.shared", shared.toString());
        Files.write(rules100, RulesBenchmark.sample(RulesBenchmark.etOpenRules(), 100));
      }
      if (!Files.exists(etOne)) {
        try (OutputStream o = Files.newOutputStream(etOne)) {
          for (Path p : etOpen) {
            o.write(Files.readAllBytes(p));
            o.write('\n');
          }
        }
      }
    }
    List<Measured> all = new ArrayList<>();
    for (Input in : inputs) {
      List<Measured> ms = new ArrayList<>();
      for (Tool t : tools(in, etOpen, rules100, etOne, empty)) {
        ms.add(new Measured(t, in));
      }
      for (int r = 0; r < runs; r++) {
        for (Measured m : ms) {
          if (m.failure != null) {
            continue;
          }
          once(m, in.file(), m.seconds, true);
          if (m.failure == null && r == 0) { // start-up once: ET Open takes 15-40 s to load
            once(m, in.head(), m.headSeconds, false);
          }
          log(String.format("%s round %d: %s %s: %.2f s (start-up %.2f s)%s", in.name(), r + 1,
              m.tool.tool(), m.tool.config(), last(m.seconds), last(m.headSeconds),
              m.failure == null ? "" : " FAILED: " + m.failure));
        }
      }
      all.addAll(ms);
    }
    return all;
  }

  private void once(Measured m, Path file, List<Double> into, boolean full) throws Exception {
    Path dir = Files.createTempDirectory(scratch, "run");
    Proc.Result r = Proc.run(m.tool.command().apply(file, dir), scratch, 1800);
    deleteTree(dir);
    if (!r.ok(m.tool.okExits())) {
      m.failure = "exit " + r.exit() + ": " + r.stderrTail().trim().replaceAll("\\s+", " ");
      if (m.failure.length() > 300) {
        m.failure = m.failure.substring(m.failure.length() - 300);
      }
      return;
    }
    into.add(r.seconds());
    if (full && !Double.isNaN(r.cpuSeconds())) {
      m.cpuSeconds.add(r.cpuSeconds());
    }
    if (full) {
      m.peakRssKib = Math.max(m.peakRssKib, r.peakRssKib());
    }
  }

  String replaySection(List<Input> inputs, List<Measured> all) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("Each tool is its own process, timed from outside, ").append(runs)
        .append(runs == 1 ? " run" : " runs").append(" interleaved with the other tools;")
        .append(" the figure is the median, the spread is min-max. *Whole command* counts")
        .append(" start-up (JVM, rule loading) as PEERS.md does: file bytes x 8 / wall time.")
        .append(" *After start-up* subtracts the time of the same command on the")
        .append(" input's first ").append(HEAD_PACKETS).append(" packets (start-up and")
        .append(" rule compilation; measured once, in the first round). *vs mirrorsensor* is")
        .append(" the tool's wall time over")
        .append(" mirrorsensor's with the same rules (above 1: mirrorsensor is faster). Peak RSS")
        .append(" and CPU time (user + system, median; it counts every thread's work, so it is")
        .append(" steadier than wall time when the machine is loaded) from `/usr/bin/time`.")
        .append(" mirrorsensor runs with its defaults")
        .append(" (`pipeline.workers` = cores); Suricata with `--runmode single` (one packet")
        .append(" thread), the packaged `/etc/suricata/suricata.yaml` (EVE with alerts and")
        .append(" protocol events) and `-S FILE` (the rules given only); mirrorsensor's `--rules`")
        .append(" gets the ET Open files one by one, Suricata their concatenation.\n\n");
    Path etDir = shared.resolve("corpus").resolve("rules").resolve("et-open");
    sb.append("Rule sets: *100 ET Open rules* is every 177th rule mirrorsensor loads from `")
        .append(etDir).append("` (as `RulesBenchmark` picks them; cached in")
        .append(" `bench-out/rules-100.rules`); *all ET Open* is every `*.rules` file there.\n\n");
    sb.append("Commands (FILE is the input, DIR a fresh directory):\n\n```\n");
    List<String> seen = new ArrayList<>();
    for (Measured m : all) {
      String c = String.join(" ", m.tool.command().apply(Path.of("FILE"), Path.of("DIR")))
          .replace(classpath, "bench/target/benchmarks.jar").replace(JAVA, "java");
      c = c.replaceAll("--rules \\S+,\\S+", "--rules ET_OPEN_DIR/*.rules (comma-separated)");
      if (!seen.contains(c)) {
        seen.add(c);
        sb.append(c).append('\n');
      }
    }
    sb.append("```\n");
    for (Input in : inputs) {
      sb.append("\n### ").append(in.name()).append("\n\n")
          .append(String.format("%,d bytes, %,d packets; made by %s.%n%n", in.bytes(),
              in.packets(), in.how()));
      sb.append("| tool | configuration | median wall (spread) | packets/s | Mbit/s |"
          + " start-up | packets/s after start-up | CPU (user+sys) | peak RSS |"
          + " vs mirrorsensor |\n");
      sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
      List<Measured> rows = all.stream().filter(m -> m.input == in).collect(Collectors.toList());
      for (Measured m : rows) {
        if (m.failure != null || m.seconds.isEmpty()) {
          sb.append("| ").append(m.tool.tool()).append(" | ").append(m.tool.config())
              .append(" | failed: ").append(m.failure == null ? "no run" : m.failure
                  .replace("|", "/")).append(" | | | | | | | |\n");
          continue;
        }
        double med = m.median();
        Measured ref = rows.stream().filter(x -> x.tool.ours()
            && x.tool.rules().equals(m.tool.rules()) && x.failure == null).findFirst()
            .orElse(null);
        String ratio = ref == null || m.tool.ours() ? "" : String.format("%.2f", med
            / ref.median());
        double after = m.afterStartup();
        double cpu = median(m.cpuSeconds);
        sb.append(String.format("| %s | %s | %.2f s (%.2f-%.2f) | %s | %s | %.2f s | %s | %s |"
                + " %s | %s |%n", m.tool.tool(), m.tool.config(), med, min(m.seconds),
            max(m.seconds), Charts.fmt(in.packets() / med),
            String.format("%,.0f", in.bytes() * 8 / med / 1e6), m.startup(),
            Double.isNaN(after) ? "n/a" : Charts.fmt(in.packets() / after),
            Double.isNaN(cpu) ? "n/a" : String.format("%.2f s", cpu),
            m.peakRssKib < 0 ? "n/a" : String.format("%,d MiB", m.peakRssKib >> 10), ratio));
      }
      if (in.name().startsWith("ref-mix") && absent.contains("snort")) {
        peersMdRows(sb, in, rows);
        sb.append("\nSnort 3 (PEERS.md): Snort is not installed here; these are PEERS.md's"
            + " figures from another run on a machine of this kind, not measured in this run"
            + " (its tshark figures were 26-32% above this machine's on a quiet day).\n");
      }
    }
    plotsForReplay(sb, inputs, all);
    recordReplayFigures(all);
    return sb.toString();
  }

  /** Snort's rows of ../shared/bench/PEERS.md beside ours, labelled as from another run. */
  private void peersMdRows(StringBuilder sb, Input in, List<Measured> rows) throws IOException {
    List<String[]> snort = peersMd();
    if (snort.isEmpty()) {
      return;
    }
    Measured ours = rows.stream().filter(m -> m.tool.ours() && m.tool.rules().equals("none")
        && m.failure == null).findFirst().orElse(null);
    boolean vx = in.name().contains("vxlan");
    for (String[] s : snort) {
      double mbps = Double.parseDouble(s[vx ? 2 : 1].replace(",", ""));
      double ourMbps = ours == null ? Double.NaN : in.bytes() * 8 / ours.median() / 1e6;
      sb.append(String.format("| %s | %s | | | %s | | | | %s MiB | %s |%n", "Snort 3 (PEERS.md)", s[0].replace("Snort 3.12, ",
              ""), String.format("%,.0f", mbps), s[3],
          s[0].contains("no rules") && !Double.isNaN(ourMbps)
              ? String.format("%.2f", ourMbps / mbps) : ""));
    }
  }

  /** The Snort rows of PEERS.md: {config, plain Mbit/s, VXLAN Mbit/s, RSS MiB}. */
  List<String[]> peersMd() throws IOException {
    Path p = shared.resolve("bench").resolve("PEERS.md");
    List<String[]> rows = new ArrayList<>();
    if (!Files.exists(p)) {
      return rows;
    }
    for (String line : Files.readAllLines(p)) {
      if (line.startsWith("| Snort")) {
        String[] c = line.split("\\|");
        rows.add(new String[] {c[1].trim(), c[2].trim(), c[3].trim(), c[4].trim()});
      }
    }
    return rows;
  }

  private void plotsForReplay(StringBuilder sb, List<Input> inputs, List<Measured> all)
      throws IOException {
    if (inputs.isEmpty()) {
      return;
    }
    Input first = inputs.get(0);
    List<Charts.Bar> bars = new ArrayList<>();
    for (Measured m : all) {
      if (m.input == first && m.failure == null && !m.seconds.isEmpty()) {
        double mbps = first.bytes() * 8 / m.median() / 1e6;
        bars.add(new Charts.Bar(m.tool.tool() + ", " + m.tool.config(), mbps,
            String.format("%,.0f Mbit/s", mbps), m.tool.ours() ? 0 : 1));
      }
    }
    if (first.name().startsWith("ref-mix") && absent.contains("snort")) {
      for (String[] s : peersMd()) {
        double mbps = Double.parseDouble(s[1].replace(",", ""));
        bars.add(new Charts.Bar("Snort 3 (PEERS.md), " + s[0].replace("Snort 3.12, ", ""),
            mbps, String.format("%,.0f Mbit/s (PEERS.md)", mbps), 6));
      }
    }
    Files.createDirectories(plots);
    Charts.bars(plots.resolve("tools.png"), "Replay of " + first.name() + ": whole command,"
        + " median of " + runs, "Mbit/s of capture", bars, true);
    sb.append("\n![tools](").append(rel(plots.resolve("tools.png"))).append(")\n");
    List<String> groups = List.of("none", "100", "all");
    List<Charts.Series> series = new ArrayList<>();
    for (String tool : List.of("mirrorsensor", "suricata")) {
      double[] v = new double[3];
      boolean any = false;
      for (int i = 0; i < 3; i++) {
        v[i] = Double.NaN;
        for (Measured m : all) {
          if (m.input == first && m.tool.tool().equals(tool) && m.tool.rules().equals(groups
              .get(i)) && m.failure == null && !m.seconds.isEmpty()) {
            double after = m.afterStartup();
            v[i] = first.packets() / (Double.isNaN(after) ? m.median() : after);
            any = true;
          }
        }
      }
      if (any) {
        series.add(new Charts.Series(tool, v));
      }
    }
    Charts.lines(plots.resolve("rules.png"), "Throughput vs rules, " + first.name()
            + " (after start-up)", "packets/s", "rule set",
        List.of("no rules", "100 ET Open", "all ET Open"),
        series, true);
    sb.append("\n![throughput vs rules](").append(rel(plots.resolve("rules.png"))).append(")\n");
  }

  private void recordReplayFigures(List<Measured> all) {
    for (Measured m : all) {
      if (m.failure != null || m.seconds.isEmpty()) {
        continue;
      }
      String in = m.input.name();
      if (m.tool.ours() && m.tool.rules().equals("none")) {
        figures.put(in + " mirrorsensor Mbit/s", String.format(Locale.ROOT, "%.0f",
            m.input.bytes() * 8 / m.median() / 1e6));
      }
      if (m.tool.ours() && m.tool.rules().equals("all")) {
        double after = m.afterStartup();
        figures.put(in + " mirrorsensor all-ET-Open packets/s", String.format(Locale.ROOT,
            "%.0f", m.input.packets() / (Double.isNaN(after) ? m.median() : after)));
      }
      if (m.tool.tool().equals("tshark")) {
        Measured ours = all.stream().filter(x -> x.input == m.input && x.tool.ours()
            && x.tool.rules().equals("none") && x.failure == null).findFirst().orElse(null);
        if (ours != null) {
          figures.put(in + " tshark/mirrorsensor", String.format(Locale.ROOT, "%.1f",
              m.median() / ours.median()));
        }
      }
    }
  }

  // ---------------------------------------------------------------- memory

  String memorySection() throws Exception {
    int[] sizes = quick ? new int[] {1_000, 10_000} : new int[] {10_000, 100_000, 1_000_000};
    StringBuilder sb = new StringBuilder();
    sb.append("```\njava -cp bench/target/benchmarks.jar io.mirrorsensor.bench.MemoryScaling N"
        + " handshake|http\n```\n\n");
    sb.append("One `PacketProcessor` (decoder, flow table, TCP tracker, reassembly, app-layer"
        + " parsers: one worker's whole state) is fed N TCP flows that stay open; the heap"
        + " used after a full GC and the resident set (VmRSS) are taken before the first"
        + " packet and after the last, one fresh JVM per row. *handshake*: SYN, SYN-ACK, ACK"
        + " per flow; *http*: the same plus a GET and a response head, so each flow also holds"
        + " its HTTP parsers. A direct harness rather than a generated capture: the replay"
        + " ends every flow at the end of the file, so the peak would have to be caught from"
        + " outside while it runs, with reader buffers and output queues mixed in; here the"
        + " flows are held while measured and a million of them take seconds. RSS also counts"
        + " heap the collector grew and did not give back, so it is the operator's figure and"
        + " the heap the flows' own.\n\n");
    sb.append("| flows | flow kind | heap per flow | RSS per flow | heap total | RSS total |\n");
    sb.append("|---|---|---|---|---|---|\n");
    List<Charts.Series> series = new ArrayList<>();
    List<String> cats = new ArrayList<>();
    for (int n : sizes) {
      cats.add(Charts.fmt(n));
    }
    for (String kind : List.of("handshake", "http")) {
      double[] heap = new double[sizes.length];
      double[] rss = new double[sizes.length];
      for (int i = 0; i < sizes.length; i++) {
        heap[i] = Double.NaN;
        rss[i] = Double.NaN;
        // A child JVM has the same default heap limit as this one: skip a size that would not fit
        // (estimated from the size before) instead of failing, or of pushing a shared machine
        // into swap.
        double need = i == 0 ? 0 : heap[i - 1] * sizes[i] * 1.3;
        long limit = Runtime.getRuntime().maxMemory();
        if (i > 0 && (Double.isNaN(heap[i - 1]) || need > limit)) {
          sb.append(String.format("| %,d | %s | not run: would need about %,d MiB of heap, the"
              + " default limit here is %,d MiB | | | |%n", sizes[i], kind, (long) need >> 20,
              limit >> 20));
          continue;
        }
        Proc.Result r = Proc.run(List.of(JAVA, "-cp", classpath,
            "io.mirrorsensor.bench.MemoryScaling", Integer.toString(sizes[i]), kind), scratch, 900);
        Matcher m = Pattern.compile("flows (\\d+) heap (-?\\d+) rss (-?\\d+)").matcher(r.stdout());
        if (!m.find()) {
          sb.append(String.format("| %,d | %s | failed: exit %d | | | |%n", sizes[i], kind,
              r.exit()));
          continue;
        }
        long flows = Long.parseLong(m.group(1));
        long h = Long.parseLong(m.group(2));
        long s = Long.parseLong(m.group(3));
        heap[i] = (double) h / flows;
        rss[i] = (double) s / flows;
        log(String.format("memory %s %,d flows: heap %,d B/flow, RSS %,d B/flow", kind, flows,
            Math.round(heap[i]), Math.round(rss[i])));
        sb.append(String.format("| %,d | %s | %,d B | %,d B | %,d MiB | %,d MiB |%n", flows, kind,
            Math.round(heap[i]), Math.round(rss[i]), h >> 20, s >> 20));
        figures.put("heap B/flow " + kind + " " + Charts.fmt(sizes[i]).replace(" ", ""),
            Long.toString(Math.round(heap[i])));
      }
      series.add(new Charts.Series("heap, " + kind, heap));
      series.add(new Charts.Series("RSS, " + kind, rss));
    }
    Charts.lines(plots.resolve("memory.png"), "Memory per open flow", "bytes per flow",
        "flows held open", cats,
        series, false);
    sb.append("\n![memory per flow](").append(rel(plots.resolve("memory.png"))).append(")\n");
    return sb.toString();
  }

  // ---------------------------------------------------------------- live

  String liveSection() throws Exception {
    List<String> args = quick
        ? List.of("--seconds", "0.5", "--sizes", "128", "--workers", "1", "--loops", "1",
            "--sender", "gso", "--max", "40000")
        : List.of("--seconds", "2", "--sizes", "128,700", "--workers", "1", "--loops", "1",
            "--sender", "gso", "--ring", "65536", "--max", "2000000");
    StringBuilder sb = new StringBuilder();
    sb.append("```\njava -cp bench/target/benchmarks.jar io.mirrorsensor.bench.LiveHarness ")
        .append(String.join(" ", args)).append(" [--udp-gro false]\n```\n\n");
    sb.append("The real listener on 127.0.0.1, VXLAN datagrams from a GSO sender in the same"
        + " JVM, a binary search for the highest rate with nothing lost (kernel or ring) in"
        + " short trials (the search stops within 5% or 10k packets/s), then latency (receive"
        + " to processed, HdrHistogram) at half that rate. Sender and sensor share the cores:"
        + " a floor, not what the sensor does alone. Twice: with `live.udp_gro` on (the"
        + " default; on loopback the sender's GSO buffers reach the listener uncut, so the"
        + " kernel's per-datagram work is absent while the sensor's is all there) and off"
        + " (`recvmmsg`, every datagram through the kernel's receive path)."
        + " `net.core.rmem_max` is left as the machine has it.\n\n");
    sb.append("| read mode | inner frame | highest lossless rate | latency at | p50 | p99 | p99.9"
        + " | max |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    List<Charts.Series> series = new ArrayList<>();
    String setup = null;
    for (boolean gro : quick ? List.of(true) : List.of(true, false)) {
      List<String> cmd = new ArrayList<>(List.of(JAVA, "-cp", classpath,
          "io.mirrorsensor.bench.LiveHarness"));
      cmd.addAll(args);
      cmd.addAll(List.of("--udp-gro", String.valueOf(gro)));
      String mode = gro ? "UDP GRO" : "recvmmsg";
      log("live (" + mode + "): " + String.join(" ", args));
      Proc.Result r = Proc.run(cmd, scratch, 900);
      Matcher head = Pattern.compile("(?m)^machine: (.*)$").matcher(r.stdout());
      if (setup == null && head.find()) {
        setup = head.group(1).replaceAll(", udp gro (on|off)", "");
      }
      Matcher rate = Pattern.compile("(\\d+)-byte inner frames: highest lossless rate ([\\d,]+)"
          + " packets/s").matcher(r.stdout());
      Matcher lat = Pattern.compile("latency at ([\\d,]+) pps: receive to processed p50 ([\\d.]+)"
          + " ms, p99 ([\\d.]+) ms, p99.9 ([\\d.]+) ms, max ([\\d.]+) ms").matcher(r.stdout());
      int found = 0;
      while (rate.find()) {
        found++;
        String size = rate.group(1);
        String pps = rate.group(2);
        if (found == 1) {
          figures.put("live lossless pps (" + size + " B" + (gro ? "" : ", recvmmsg") + ")",
              pps.replace(",", ""));
        }
        if (lat.find()) {
          double[] v = new double[4];
          for (int i = 0; i < 4; i++) {
            v[i] = Double.parseDouble(lat.group(2 + i));
          }
          sb.append(String.format("| %s | %s B | %s packets/s | %s packets/s | %s ms | %s ms |"
              + " %s ms | %s ms |%n", mode, size, pps, lat.group(1), lat.group(2), lat.group(3),
              lat.group(4), lat.group(5)));
          series.add(new Charts.Series(mode + ", " + size + " B at " + lat.group(1) + " pps", v));
        } else {
          sb.append(String.format("| %s | %s B | %s packets/s | | | | | |%n", mode, size, pps));
        }
      }
      if (found == 0) {
        sb.append("| ").append(mode).append(" | failed: exit ").append(r.exit()).append(' ')
            .append(r.stderrTail().trim().replaceAll("\\s+", " ").replace("|", "/"))
            .append(" | | | | | | |\n");
      }
    }
    if (setup != null) {
      sb.append("\nHarness setup: ").append(setup).append("\n");
    }
    if (!series.isEmpty()) {
      Charts.lines(plots.resolve("latency.png"), "Live latency, receive to processed",
          "milliseconds", "percentile", List.of("p50", "p99", "p99.9", "max"), series, true);
      sb.append("\n![latency](").append(rel(plots.resolve("latency.png"))).append(")\n");
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- JMH

  static final List<String> JMH_ARGS = List.of("-prof", "gc", "-f", "1", "-wi", "1", "-i", "3",
      "-w", "1s", "-r", "1s");

  /** Why the benchmarks that allocate do, by benchmark method. */
  static final Map<String, String> ALLOCATES = Map.of(
      "httpPipelined", "per transaction by design: each message head is copied once so rule"
          + " buffers are byte ranges (STYLE.md: allocation per transaction, not per packet)",
      "parserPerFlow", "a new TlsParser per operation, as a new flow costs: the hello's"
          + " extension index arrays and the copied hello",
      "fingerprints", "JA3/JA4 once per connection: a MessageDigest per hash, strings, sorted"
          + " lists (not on the parse path)",
      "swappedPair", "the out-of-order segment is copied and buffered until the gap fills",
      "inspectHttp", "RE2/J matchers of candidate pcre rules",
      "prefilterScan", "MultiPatternMatcher.count's counter (a test helper, not the detector's"
          + " path)",
      "replay", "the frames open new flows: per-flow state and parsers (the same with no rules)",
      "inspectPackets", "cause not identified yet; Detector.inspect allocated nothing in"
          + " issue 7's longer runs (0.2 B/op)");

  String jmhSection() throws Exception {
    Path csv = out.resolve("jmh.csv");
    List<String> cmd = new ArrayList<>(List.of(JAVA, "-cp", classpath, "org.openjdk.jmh.Main"));
    cmd.addAll(JMH_ARGS);
    cmd.addAll(List.of("-rf", "csv", "-rff", csv.toString()));
    if (!jmhInclude.isEmpty()) {
      cmd.add(jmhInclude);
    }
    log("JMH: " + String.join(" ", JMH_ARGS));
    Files.deleteIfExists(csv);
    Proc.Result r = Proc.run(cmd, scratch, 1500);
    StringBuilder sb = new StringBuilder();
    sb.append("```\njava -jar bench/target/benchmarks.jar ").append(String.join(" ", JMH_ARGS))
        .append(jmhInclude.isEmpty() ? "" : " " + jmhInclude).append("\n```\n\n");
    sb.append("Every suite, one fork, one 1 s warm-up iteration and three 1 s measured iterations"
        + " each (modest, so the whole command fits in 20 minutes: the error bars are wide;"
        + " run a suite alone with its default iterations before relying on its score)."
        + " B/op is `gc.alloc.rate.norm`: 0 means the hot path allocates nothing; below 0.5"
        + " counts as 0 in the history (JMH's own bookkeeping).\n\n");
    if (!Files.exists(csv)) {
      sb.append("JMH failed (exit ").append(r.exit()).append("): ")
          .append(r.stderrTail().trim().replaceAll("\\s+", " ")).append('\n');
      return sb.toString();
    }
    List<List<String>> rows = Files.readAllLines(csv).stream().map(BenchRun::csvLine)
        .collect(Collectors.toList());
    List<String> header = rows.get(0);
    Map<String, String[]> primary = new LinkedHashMap<>();
    Map<String, Double> alloc = new LinkedHashMap<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      String name = row.get(0);
      StringBuilder params = new StringBuilder();
      for (int i = 7; i < row.size() && i < header.size(); i++) {
        if (!row.get(i).isEmpty()) {
          params.append(params.length() == 0 ? "" : ", ")
              .append(header.get(i).replace("Param: ", "")).append('=').append(row.get(i));
        }
      }
      int colon = name.indexOf(":");
      String bench = colon < 0 ? name : name.substring(0, colon);
      String key = bench + "|" + params;
      if (colon < 0) {
        primary.put(key, new String[] {row.get(4), row.get(5), row.get(6)});
      } else if (name.endsWith("gc.alloc.rate.norm")) {
        alloc.put(key, Double.parseDouble(row.get(4)));
      }
    }
    sb.append("| benchmark | params | score | unit | B/op | why it allocates |\n");
    sb.append("|---|---|---|---|---|---|\n");
    int zero = 0;
    for (Map.Entry<String, String[]> e : primary.entrySet()) {
      String[] k = e.getKey().split("\\|", -1);
      String shortName = k[0].replace("io.mirrorsensor.", "");
      String method = shortName.substring(shortName.lastIndexOf('.') + 1);
      Double b = alloc.get(e.getKey());
      String why = b == null || b < 0.5 ? ""
          : b < 16 ? "less than one small object per operation on average: an occasional"
              + " allocation (" + ALLOCATES.getOrDefault(method, "not per operation") + ")"
          : ALLOCATES.getOrDefault(method, "");
      if (b != null && b < 0.5) {
        zero++;
      }
      double score = Double.parseDouble(e.getValue()[0]);
      String err = e.getValue()[1];
      sb.append(String.format("| `%s` | %s | %s ± %s | %s | %s | %s |%n", shortName, k[1],
          Charts.fmt(score), err.equals("NaN") || err.isEmpty() ? "?"
              : Charts.fmt(Double.parseDouble(err)), e.getValue()[2],
          b == null ? "?" : String.format("%,.1f", b), why));
    }
    figures.put("JMH benchmarks at 0 B/op", zero + "/" + primary.size());
    return sb.toString();
  }

  static List<String> csvLine(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean q = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        q = !q;
      } else if (c == ',' && !q) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  // ---------------------------------------------------------------- history

  static final List<String> HISTORY_COLUMNS = List.of("date", "commit", "load1",
      "ref-mix.pcap mirrorsensor Mbit/s", "ref-mix.pcap mirrorsensor all-ET-Open packets/s",
      "ref-mix.pcap tshark/mirrorsensor", "replay-1100.pcap mirrorsensor Mbit/s",
      "live lossless pps (128 B)", "heap B/flow handshake 1M", "heap B/flow http 100k",
      "JMH benchmarks at 0 B/op");

  String historySection() throws IOException {
    Path csv = plots.resolve("history.csv");
    Files.createDirectories(plots);
    if (!Files.exists(csv)) {
      Files.writeString(csv, String.join(",", HISTORY_COLUMNS) + "\n");
    }
    List<String> row = new ArrayList<>();
    for (String c : HISTORY_COLUMNS) {
      row.add(figures.getOrDefault(c, "").replace(",", ""));
    }
    Files.writeString(csv, String.join(",", row) + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    List<String> lines = Files.readAllLines(csv);
    StringBuilder sb = new StringBuilder();
    sb.append("One line per full run of `bench/run.sh`, appended to [")
        .append(rel(csv)).append("](").append(rel(csv)).append(") (the last 20 shown).\n\n");
    sb.append("| ").append(String.join(" | ", csvLine(lines.get(0)))).append(" |\n|");
    sb.append("---|".repeat(csvLine(lines.get(0)).size())).append('\n');
    for (String l : lines.subList(Math.max(1, lines.size() - 20), lines.size())) {
      sb.append("| ").append(String.join(" | ", csvLine(l))).append(" |\n");
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- helpers

  /** {@code p} relative to the document's directory, for links. */
  String rel(Path p) {
    Path base = doc.toAbsolutePath().getParent();
    return base.relativize(p.toAbsolutePath()).toString().replace('\\', '/');
  }

  static double median(List<Double> v) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    double[] c = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }

  private static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  private static double last(List<Double> v) {
    return v.isEmpty() ? Double.NaN : v.get(v.size() - 1);
  }

  private void log(String s) {
    System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - started) / 1e9, s);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

package io.mirrorsensor.sensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorsensor.rules.LoadReport;
import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the visible suricata-verify tests whose rules all load (packet-level keywords only) through
 * the same path as {@code mirrorsensor rules test}, and compares alert counts per sid with
 * expected.json. Tests with a rule we skip (app-layer buffers, stream events) are listed as
 * skipped. The table printed on stderr is the one in docs/RULES.md.
 */
class RulesSuricataVerifyTest {
  /** Tests known to differ, with the reason (docs/RULES.md). */
  static final Map<String, String> KNOWN_FAILURES = Map.of();

  private static final Pattern ALERT = Pattern.compile(
      "\\{\\s*\"signature_id\":\\s*(\\d+),\\s*\"count\":\\s*(\\d+),\\s*\"extra_match\":\\s*\\{([^}]*)\\}", Pattern.DOTALL);
  private static final Pattern TOTAL = Pattern.compile("\"alert_total\":\\s*(\\d+|null)");
  private static final Pattern PCAP = Pattern.compile("\"pcap\":\\s*\"([^\"]+)\"");

  @Test
  void packetLevelSuricataVerifyTestsGiveTheExpectedAlertCounts() throws Exception {
    Path root = Path.of(System.getProperty("mirrorsensor.shared", "../../shared"), "corpus", "suricata-verify");
    if (!Files.isDirectory(root)) {
      System.err.println("RulesSuricataVerifyTest skipped: no suricata-verify corpus at " + root.toAbsolutePath());
      Assumptions.abort("suricata-verify corpus absent");
    }
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.filter(d -> Files.exists(d.resolve("test.rules"))).sorted().forEach(dirs::add);
    }
    Map<String, String> results = new TreeMap<>();
    List<String> unexpected = new ArrayList<>();
    for (Path dir : dirs) {
      String name = dir.getFileName().toString();
      RuleSet set = RuleLoader.load(List.of(dir.resolve("test.rules")), RuleOptions.defaults());
      LoadReport r = set.report();
      if (r.skipped() > 0 || r.failed() > 0) {
        results.put(name, "skipped: needs " + String.join(", ", r.skippedByReason().keySet())
            + (r.failed() > 0 ? " (" + r.failed() + " rules failed: " + r.diagnostics().get(0) + ")" : ""));
        continue;
      }
      String json = Files.readString(dir.resolve("expected.json"));
      Matcher pm = PCAP.matcher(json);
      pm.find();
      // what a rule author runs (rules test): the replay path, with flow table, stream
      // reassembly (stream rules), HTTP/DNS/TLS parsers and their transaction hooks, as Suricata
      // runs these tests
      Map<Long, Integer> got = RulesCommand.run(set, dir.resolve(pm.group(1)), List.of(), null,
          new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      StringBuilder diff = new StringBuilder();
      int checks = 0;
      Matcher m = ALERT.matcher(json);
      while (m.find()) {
        long sid = Long.parseLong(m.group(1));
        int want = Integer.parseInt(m.group(2));
        boolean extra = !m.group(3).isBlank();
        int have = got.getOrDefault(sid, 0);
        checks++;
        // a check with extra_match counts only some of the sid's alerts: we can only bound it
        boolean ok = extra ? have >= want : have == want;
        if (!ok) {
          diff.append(" sid ").append(sid).append(" expected ").append(extra ? ">=" : "").append(want)
              .append(" got ").append(have).append(';');
        }
      }
      Matcher t = TOTAL.matcher(json);
      if (t.find() && !t.group(1).equals("null")) {
        int want = Integer.parseInt(t.group(1));
        int have = got.values().stream().mapToInt(Integer::intValue).sum();
        checks++;
        if (have != want) {
          diff.append(" total expected ").append(want).append(" got ").append(have).append(';');
        }
      }
      String res = checks == 0 ? "no alert checks (alerts " + got + ")"
          : diff.length() == 0 ? "pass (" + checks + " checks, alerts " + got + ")" : "FAIL:" + diff;
      results.put(name, res);
      if (res.startsWith("FAIL") && !KNOWN_FAILURES.containsKey(name)) {
        unexpected.add(name + " " + res);
      }
    }
    results.forEach((k, v) -> System.err.println("suricata-verify " + k + ": " + v));
    long pass = results.values().stream().filter(v -> v.startsWith("pass")).count();
    long fail = results.values().stream().filter(v -> v.startsWith("FAIL")).count();
    long skip = results.values().stream().filter(v -> v.startsWith("skipped")).count();
    System.err.printf("suricata-verify: %d pass, %d fail, %d skipped, %d without alert checks%n",
        pass, fail, skip, results.size() - pass - fail - skip);
    assertEquals(List.of(), unexpected);
    Set<String> stale = new java.util.HashSet<>(KNOWN_FAILURES.keySet());
    stale.removeIf(k -> results.getOrDefault(k, "").startsWith("FAIL"));
    assertEquals(Set.of(), stale, "known failures that now pass: update KNOWN_FAILURES and docs/RULES.md");
  }
}

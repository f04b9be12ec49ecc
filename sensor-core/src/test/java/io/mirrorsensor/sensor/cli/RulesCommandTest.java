package io.mirrorsensor.sensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.testing.Dirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCommandTest {
  @TempDir Path tmp;

  private String runCapturingStdout(String... args) {
    return runCapturing(false, args);
  }

  private String runCapturingStderr(String... args) {
    return runCapturing(true, args);
  }

  /** The exit code, a line break, then what the command wrote to stdout (or stderr). */
  private static String runCapturing(boolean stderr, String... args) {
    PrintStream old = stderr ? System.err : System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream to = new PrintStream(buf, true, StandardCharsets.UTF_8);
    if (stderr) {
      System.setErr(to);
    } else {
      System.setOut(to);
    }
    try {
      int code = Main.run(args);
      return code + "\n" + buf.toString(StandardCharsets.UTF_8);
    } finally {
      if (stderr) {
        System.setErr(old);
      } else {
        System.setOut(old);
      }
    }
  }

  @Test
  void checkPrintsExactErrorsAndFailsOnThem() throws Exception {
    Path rules = tmp.resolve("local.rules");
    Files.writeString(rules, "alert tcp any any -> any any (msg:\"ok\"; content:\"abc\"; sid:1;)\n"
        + "alert tcp any any -> any any (content:\"ab|4\"; sid:2;)\n");
    String out = runCapturingStdout("rules", "check", rules.toString());
    assertTrue(out.startsWith("1\n"), out);
    assertTrue(out.contains(rules + ":2:42: content: unterminated hex sequence (sid 2)"), out);
    Files.writeString(rules, "alert tcp any any -> any any (msg:\"ok\"; content:\"abc\"; sid:1;)\n");
    assertTrue(runCapturingStdout("rules", "check", rules.toString()).startsWith("0\n"));
  }

  @Test
  void checkAndTestTakeCommaSeparatedFilesAsReplayDoesAndNameAMissingOne() throws Exception {
    Path a = tmp.resolve("a.rules");
    Path b = tmp.resolve("b.rules");
    Files.writeString(a, "alert tcp any any -> any any (content:\"abc\"; sid:1;)\n");
    Files.writeString(b, "alert udp any any -> any any (content:\"www\"; sid:2;)\n");
    String out = runCapturingStdout("rules", "check", a + "," + b);
    assertTrue(out.startsWith("0\n") && out.contains("2 rules loaded"), out);
    out = runCapturingStdout("rules", "test", "--rules", a + "," + b, "--pcap",
        Dirs.root().resolve("samples/plain.pcap").toString(), "--expect", "2");
    assertTrue(out.startsWith("0\n"), out);

    Path missing = tmp.resolve("missing.rules");
    String err = runCapturingStderr("rules", "check", a + "," + missing);
    assertEquals("1\nmirrorsensor: cannot read rules: " + missing + ": no such file\n", err);
    err = runCapturingStderr("rules", "check", tmp.toString());
    assertTrue(err.contains(tmp + ": a directory, not a rule file"), err);
  }

  @Test
  void testFiresHttpRulesWithoutHttpKeywordsOnHttpFlowsOnly() throws Exception {
    Path http = Path.of(System.getProperty("mirrorsensor.shared", "../../shared"), "corpus",
        "suricata-verify", "uricontent__detect-uricontent-05", "input.pcap");
    Path tls = http.resolveSibling("../tls-duplicate-hello/input.pcap").normalize();
    Assumptions.assumeTrue(Files.exists(http) && Files.exists(tls), "corpus absent");
    Path rules = tmp.resolve("h.rules");
    Files.writeString(rules, "alert http any any -> any any (content:\"images.gif\"; sid:1;)\n"
        + "alert http any any -> any any (content:\"|16 03|\"; sid:2;)\n");
    String out = runCapturingStdout("rules", "test", "--rules", rules.toString(), "--pcap",
        http.toString(), "--expect", "1:1");
    assertTrue(out.startsWith("0\n"), out);
    out = runCapturingStdout("rules", "test", "--rules", rules.toString(), "--pcap",
        tls.toString(), "--expect", "2:0");
    assertTrue(out.startsWith("0\n"), out);
  }

  @Test
  void testRunsACaptureChecksExpectationsAndExplains() throws Exception {
    Path dir = Path.of(System.getProperty("mirrorsensor.shared", "../../shared"), "corpus",
        "suricata-verify", "alert-distance-within-1");
    if (!Files.isDirectory(dir)) {
      System.err.println("RulesCommandTest skipped: no suricata-verify corpus at " + dir.toAbsolutePath());
      Assumptions.abort("corpus absent");
    }
    Path rules = tmp.resolve("t.rules");
    Files.writeString(rules, Files.readString(dir.resolve("test.rules"))
        + "alert tcp any any -> any any (content:\"AllWork\"; content:\"Nope\"; distance:0; sid:3;)\n");
    String pcap = dir.resolve("input.pcap").toString();
    String ok = runCapturingStdout("rules", "test", "--rules", rules.toString(), "--pcap", pcap,
        "--expect", "2:2", "--expect", "3:0", "--explain", "3");
    assertTrue(ok.startsWith("0\n"), ok);
    assertTrue(ok.contains("PASS sid 2: expected 2, got 2"), ok);
    assertTrue(ok.contains("explain sid 3 packet"), ok);
    assertTrue(ok.contains("failed at keyword 2 'content'"), ok);
    String bad = runCapturingStdout("rules", "test", "--rules", rules.toString(), "--pcap", pcap,
        "--expect", "2:1");
    assertEquals("1", bad.substring(0, 1), bad);
    assertTrue(bad.contains("FAIL sid 2: expected 1, got 2"), bad);
  }

  @Test
  void testFiresHttpAndDnsRulesOnTheirTransactionsAndExplainsAFailingHttpRule() throws Exception {
    Path rules = tmp.resolve("app.rules");
    Files.writeString(rules, "alert http any any -> any any (msg:\"uri\"; http.uri; content:\"/index.html\"; sid:1;)\n"
        + "alert dns any any -> any any (msg:\"query\"; dns.query; content:\"example.com\"; sid:2;)\n"
        + "alert http any any -> any any (msg:\"host\"; http.host; content:\"app.\"; http.uri; content:\"/index\"; content:\".php\"; distance:0; sid:3;)\n");
    String out = runCapturingStdout("rules", "test", "--rules", rules.toString(), "--pcap",
        Dirs.root().resolve("samples/plain.pcap").toString(), "--expect", "1:1", "--expect", "2:1",
        "--expect", "3:0", "--explain", "3");
    assertTrue(out.startsWith("0\n"), out);
    // a request-side rule alerts on the packet that ended the request (4), not at the response (9)
    assertTrue(out.contains("packet 4: [1:1:0] uri {TCP} 10.0.1.10:49152 -> 10.0.2.20:80 on http GET"
        + " app.internal.example/index.html\n"), out);
    assertTrue(out.contains("packet 15: [1:2:0] query {UDP} 10.0.1.10:53001 -> 10.0.0.2:53 on dns"
        + " query www.example.com"), out);
    // the uri is "/index.html": "/index" ends at 6, where ".php" is looked for (keywords numbered
    // as written: http.host's content is 1)
    assertTrue(out.contains("explain sid 3 packet 4 http GET app.internal.example/index.html:"
        + " failed at keyword 3 'content' in http.uri at buffer offset 6 of 11"), out);
    assertTrue(out.contains("PASS sid 1: expected 1, got 1"), out);
  }

  @Test
  void testFiresAStreamRuleWhoseContentSpansSegmentsOnce() throws Exception {
    Path pcap = Path.of(System.getProperty("mirrorsensor.shared", "../../shared"), "corpus",
        "suricata-verify", "alert-distance-within-1", "input.pcap");
    Assumptions.assumeTrue(Files.exists(pcap), "corpus absent");
    // the 404 page's "</code> was not" is split between packet 6 ("...</code") and packet 8; the
    // window of packet 8 starts with the tail of packet 6 (the pattern's length less one byte)
    Path rules = tmp.resolve("s.rules");
    Files.writeString(rules, "alert tcp any any -> any any (msg:\"split\"; content:\"</code> was not\"; sid:1;)\n"
        + "alert tcp-pkt any any -> any any (msg:\"per packet\"; content:\"</code> was not\"; sid:2;)\n");
    String out = runCapturingStdout("rules", "test", "--rules", rules.toString(), "--pcap",
        pcap.toString(), "--expect", "1:1", "--expect", "2:0", "--explain", "1");
    assertTrue(out.startsWith("0\n"), out);
    assertTrue(out.contains("packet 8: [1:1:0] split {TCP} 209.85.225.105:80 -> 192.168.2.3:39867"
        + " on the reassembled stream"), out);
    assertTrue(out.contains("explain sid 1 packet 8 stream: window 1404..1604 of the to_client"
        + " stream; prefilter passed; matched"), out);
  }
}

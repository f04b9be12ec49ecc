package io.mirrorsensor.sensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return code + "\n" + buf.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(old);
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
}

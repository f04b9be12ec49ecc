package io.mirrorsensor.sensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.capture.PcapWriter;
import io.mirrorsensor.sensor.gen.Frames;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay command as a user runs it: exit codes, messages, files. */
class ReplayCommandTest {
  @TempDir Path tmp;

  private String stderr;

  private int run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return Main.run(args);
    } finally {
      System.setErr(old);
      stderr = buf.toString(StandardCharsets.UTF_8);
    }
  }

  private static Path sample(String name) {
    return Dirs.root().resolve("samples").resolve(name);
  }

  @Test
  void rulesLoadCountsSkippedRulesByReasonWithoutAListOfThem() throws IOException {
    Path rules = tmp.resolve("mixed.rules");
    Files.writeString(rules, String.join("\n",
        "alert tcp any any -> any any (msg:\"ok\"; content:\"abc\"; sid:1;)",
        "alert tcp any any -> any any (msg:\"asn1\"; content:\"a\"; asn1:oversize_length 100; sid:2;)",
        "alert tcp any any -> any any (msg:\"asn1\"; content:\"b\"; asn1:bitstring_overflow; sid:3;)",
        "alert tcp any any -> any any (content:\"ab|4\"; sid:4;)", ""));
    assertEquals(0, run("replay", sample("plain.pcap").toString(), "--rules", rules.toString(),
        "--out", tmp.resolve("o").toString()), stderr);
    assertTrue(stderr.contains("1 rules loaded") && stderr.contains("2 skipped"), stderr);
    assertTrue(stderr.contains("2  asn1"), stderr);
    assertTrue(stderr.contains(rules + ":4:"), "errors are still listed: " + stderr);
    assertTrue(!stderr.contains(rules + ":2:") && !stderr.contains(rules + ":3:"),
        "skipped rules are not listed one by one: " + stderr);
    assertTrue(stderr.contains("rules check"), stderr);
  }

  @Test
  void replaysTheBundledSampleAndSummarises() throws IOException {
    Path out = tmp.resolve("out");
    assertEquals(0, run("replay", sample("vxlan.pcap").toString(), "--out", out.toString()), stderr);
    assertTrue(stderr.contains("packets   44"), stderr);
    assertTrue(stderr.contains("mirror duplicates 13"), stderr);
    assertTrue(stderr.contains("101: 27 packets") && stderr.contains("102: 17 packets"), stderr);
    List<Map<String, Object>> eve = Json.lines(out.resolve("eve.json"));
    assertEquals(6, eve.stream().filter(e -> "flow".equals(e.get("event_type"))).count());
    List<String> flowLog = Files.readAllLines(out.resolve("flows.log"));
    assertTrue(flowLog.get(0).startsWith("version account-id interface-id"), flowLog.get(0));
  }

  @Test
  void aMissingFileIsNamed() {
    assertEquals(1, run("replay", tmp.resolve("nope.pcap").toString(), "--out", tmp.toString()));
    assertTrue(stderr.contains("no such file") && stderr.contains("nope.pcap"), stderr);
  }

  @Test
  void anUnknownFormatIsNamed() throws IOException {
    Path f = tmp.resolve("notes.txt");
    Files.writeString(f, "this is not a capture file at all\n");
    assertEquals(1, run("replay", f.toString(), "--out", tmp.resolve("o").toString()));
    assertTrue(stderr.contains("notes.txt"), stderr);
  }

  @Test
  void anUnwritableOutputDirectoryIsNamed() throws IOException {
    Path notDir = tmp.resolve("plain-file");
    Files.writeString(notDir, "x");
    assertEquals(1, run("replay", sample("plain.pcap").toString(), "--out", notDir.toString()));
    assertTrue(stderr.contains("plain-file"), stderr);
  }

  @Test
  void aBadConfigIsNamedWithItsKey() throws IOException {
    Path cfg = tmp.resolve("bad.properties");
    Files.writeString(cfg, "flow.max_flows=many\n");
    assertEquals(1, run("replay", sample("plain.pcap").toString(), "--config", cfg.toString(),
        "--out", tmp.resolve("o").toString()));
    assertTrue(stderr.contains("bad.properties") && stderr.contains("flow.max_flows=many"), stderr);
  }

  @Test
  void missingArgumentsAreAUsageError() {
    assertEquals(2, run("replay"));
    assertTrue(stderr.contains("FILE"), stderr);
  }

  @Test
  void aDamagedCaptureIsProcessedUpToTheDamageAndSaysWhere() throws IOException {
    byte[] good = Files.readAllBytes(sample("plain.pcap"));
    // Cut in the middle of the last record's data and append garbage: records 1..30 are whole.
    byte[] cut = Arrays.copyOf(good, good.length - 20);
    byte[] damaged = Arrays.copyOf(cut, cut.length + 7);
    Arrays.fill(damaged, cut.length, damaged.length, (byte) 0x5A);
    Path f = tmp.resolve("damaged.pcap");
    Files.write(f, damaged);
    Path out = tmp.resolve("out");
    assertEquals(Main.EXIT_DAMAGED, run("replay", f.toString(), "--out", out.toString()), stderr);
    assertTrue(stderr.contains("DAMAGED") && stderr.contains("damaged.pcap"), stderr);
    assertTrue(stderr.contains("packets   30"), stderr);
    long flows = Json.lines(out.resolve("eve.json")).stream()
        .filter(e -> "flow".equals(e.get("event_type"))).count();
    assertEquals(6, flows, "every flow before the damage is written");
  }

  /**
   * SIGTERM in the middle of a long replay: the process stops reading, ends its flows and flushes,
   * so eve.json ends with a whole line and holds records of flows still open at the signal.
   */
  @Test
  void sigtermFlushesEverythingRead() throws Exception {
    Path big = tmp.resolve("big.pcap");
    long t0 = 1_705_312_800_000_000_000L;
    byte[] c = Frames.ip("10.0.1.10");
    byte[] s = Frames.ip("10.0.2.20");
    int packets = 3_000_000;
    try (PcapWriter w = PcapWriter.create(big, LinkType.ETHERNET, 65535,
        PcapWriter.Resolution.MICRO)) {
      Frames.Builder b = Frames.frame();
      for (int i = 0; i < packets; i++) {
        byte[] f = b.reset().ipv4(c, s).udp(1024 + (i % 60_000), 53).payload(new byte[16]).build();
        // 1.1 ms apart: each of the 60,000 ports comes back after 66 s, past the 60 s idle
        // timeout, so flow records are written all through the replay, not only at its end,
        // and eve.json has content long before the input is used up.
        w.write(f, 0, f.length, f.length, t0 + i * 1_100_000L);
      }
    }
    Path out = tmp.resolve("out");
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "replay", big.toString(), "--out", out.toString())
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("stderr.txt").toFile());
    Process proc = pb.start();
    Path eve = out.resolve("eve.json");
    long deadline = System.nanoTime() + 60_000_000_000L;
    while ((!Files.exists(eve) || Files.size(eve) == 0) && proc.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    proc.destroy(); // SIGTERM
    assertTrue(proc.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "process ended");
    String log = Files.readString(tmp.resolve("stderr.txt"));
    assertTrue(log.contains("stopped early"), "SIGTERM arrived mid-replay: " + log);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("packets +([0-9,]+)").matcher(log);
    assertTrue(m.find(), log);
    long read = Long.parseLong(m.group(1).replace(",", ""));
    assertTrue(read > 0 && read < packets, "stopped before the end of the input: " + read);
    List<String> lines = Files.readAllLines(eve);
    assertTrue(lines.size() > 0);
    long shutdown = 0;
    for (String line : lines) {
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) Json.parse(line); // every line whole JSON
      if ("shutdown".equals(Json.at(e, "flow.reason"))) {
        shutdown++;
      }
    }
    assertTrue(shutdown > 0, "flows open at the signal were written with reason shutdown");
  }
}

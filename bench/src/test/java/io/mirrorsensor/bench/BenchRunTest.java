package io.mirrorsensor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark command's quick mode end to end on a tiny input, and its document plumbing. */
class BenchRunTest {
  @TempDir Path dir;

  @Test
  void quickModeRewritesOnlyTheGeneratedSectionsAndRunsThePeersThatAreInstalled()
      throws Exception {
    Path doc = dir.resolve("BENCHMARKS.md");
    Files.writeString(doc, "# Benchmarks\n\nHand-written prose stays.\n\n"
        + "<!-- generated:replay -->\nold table\n<!-- /generated:replay -->\n\nMore prose.\n");
    BenchRun.main(new String[] {"--quick", "--no-live", "--doc", doc.toString(), "--plots",
        dir.resolve("bench").toString(), "--out", dir.resolve("out").toString()});
    String text = Files.readString(doc);
    assertTrue(text.contains("Hand-written prose stays.") && text.contains("More prose."), text);
    assertFalse(text.contains("old table"), text);
    // mirrorsensor replayed the 6,085-packet input: a row with a median time and a peak RSS
    assertTrue(text.contains("6,085 packets"), text);
    Matcher ours = Pattern.compile("\\| mirrorsensor \\| no rules \\| (\\d+\\.\\d+) s .*\\| "
        + "([\\d,]+|n/a) MiB \\|").matcher(text);
    assertTrue(ours.find(), text);
    assertTrue(Double.parseDouble(ours.group(1)) > 0);
    for (String peer : List.of("tshark", "tcpdump", "suricata", "snort")) {
      if (Proc.onPath(peer)) {
        assertTrue(Pattern.compile("(?m)^\\| " + peer + " \\| [^|]+ \\| \\d+\\.\\d+ s").matcher(text)
            .find(), peer + " is installed but has no row:\n" + text);
      } else {
        assertTrue(text.contains("peers not on PATH, so not run:") && Pattern.compile(
            "not run: [a-z, ]*" + peer).matcher(text).find(), peer + " absent but not named");
      }
    }
    // memory scaling: two sizes x two kinds of flow, each with a positive heap per flow
    Matcher mem = Pattern.compile("\\| ([\\d,]+) \\| (handshake|http) \\| ([\\d,]+) B \\|")
        .matcher(text);
    int memRows = 0;
    while (mem.find()) {
      memRows++;
      assertTrue(Long.parseLong(mem.group(3).replace(",", "")) > 0, mem.group());
    }
    assertEquals(4, memRows, text);
    assertTrue(text.contains("<!-- generated:machine -->") && text.contains("JDK: "), text);
    for (String png : List.of("tools.png", "rules.png", "memory.png")) {
      BufferedImage img = ImageIO.read(dir.resolve("bench").resolve(png).toFile());
      assertNotNull(img, png);
      assertTrue(img.getWidth() >= 800 && img.getHeight() >= 100, png);
      assertTrue(text.contains("](bench/" + png + ")"), "doc links " + png);
    }
    assertFalse(Files.exists(dir.resolve("bench").resolve("history.csv")),
        "the quick mode writes no history");
  }

  @Test
  void sectionsAreReplacedBetweenTheirMarkersOrAppendedWhenMissing() {
    String doc = "intro\n<!-- generated:a -->\nold\n<!-- /generated:a -->\ntail\n";
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("a", "new a");
    parts.put("b", "new b\n");
    String out = DocSections.apply(doc, parts);
    assertEquals("intro\n<!-- generated:a -->\nnew a\n<!-- /generated:a -->\ntail\n\n## b\n\n"
        + "<!-- generated:b -->\nnew b\n<!-- /generated:b -->\n", out);
    assertEquals(out, DocSections.apply(out, parts), "applying twice changes nothing");
  }

  @Test
  void historyAppendsOneLinePerRunAndShowsThem() throws Exception {
    BenchRun b = new BenchRun(true);
    b.doc = dir.resolve("BENCHMARKS.md");
    b.plots = dir.resolve("bench");
    b.figures.put("date", "2026-01-01T00:00:00Z");
    b.figures.put("commit", "abc1234");
    b.figures.put("ref-mix.pcap mirrorsensor Mbit/s", "3,195");
    b.historySection();
    b.figures.put("date", "2026-01-02T00:00:00Z");
    String section = b.historySection();
    BenchRun.deleteTree(b.scratch);
    List<String> csv = Files.readAllLines(dir.resolve("bench").resolve("history.csv"));
    assertEquals(3, csv.size(), csv.toString());
    assertTrue(csv.get(0).startsWith("date,commit,"), csv.get(0));
    assertTrue(csv.get(1).startsWith("2026-01-01T00:00:00Z,abc1234,,3195,"), csv.get(1));
    assertTrue(section.contains("| 2026-01-02T00:00:00Z | abc1234 |  | 3195 |"), section);
    assertTrue(section.contains("](bench/history.csv)"), section);
  }

  @Test
  void countsRecordsAndCutsTheHeadOnRecordBoundaries() throws Exception {
    Path f = dir.resolve("t.pcap");
    io.mirrorsensor.bench.gen.TrafficGenerator.generate(f, 300_000, 3, 8, false);
    long all = BenchRun.countAndHead(f, dir.resolve("head.pcap"), 50)[0];
    assertTrue(all > 50, "packets " + all);
    assertEquals(50, BenchRun.countAndHead(dir.resolve("head.pcap"), dir.resolve("h2.pcap"),
        10)[0]);
  }
}

package io.mirrorsensor.sensor.capture;

import io.mirrorsensor.sensor.testing.Dirs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads every capture of the shared corpus ({@code ../shared/corpus}: real pcap and pcapng files
 * from suricata-verify, tcpdump and Practical Packet Analysis) and checks packet count, first and
 * last timestamp against the {@code capinfos} output stored in each {@code <capture>.truth/
 * summary.json} (capinfos 4.0.17 prints UTC, microseconds). Skips when the corpus is absent, as in
 * a fresh clone.
 */
class PcapCorpusTest {
  private static final Pattern PACKETS = Pattern.compile("\"packets\":\\s*\"(\\d+)\"");
  private static final Pattern FIRST = Pattern.compile("\"first_time\":\\s*\"([^\"]+)\"");
  private static final Pattern LAST = Pattern.compile("\"last_time\":\\s*\"([^\"]+)\"");
  private static final DateTimeFormatter CAPINFOS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  @TestFactory
  Stream<DynamicTest> everyCorpusCaptureReadsCleanlyWithCapinfosCounts() throws IOException {
    Path corpus = Dirs.corpusOrSkip("capinfos cross-checks of the readers (PcapCorpusTest)");
    List<Path> summaries;
    try (Stream<Path> s = Files.walk(corpus)) {
      summaries =
          s.filter(p -> p.getFileName().toString().equals("summary.json"))
              .filter(p -> p.getParent().getFileName().toString().endsWith(".truth"))
              .sorted()
              .collect(Collectors.toList());
    }
    Assumptions.assumeFalse(summaries.isEmpty(), "no .truth/summary.json under " + corpus);
    return summaries.stream()
        .map(
            summary -> {
              String dirName = summary.getParent().getFileName().toString();
              Path capture =
                  summary
                      .getParent()
                      .resolveSibling(dirName.substring(0, dirName.length() - ".truth".length()));
              return DynamicTest.dynamicTest(
                  corpus.relativize(capture).toString(), () -> check(capture, summary));
            });
  }

  private static void check(Path capture, Path summary) throws IOException {
    String json = Files.readString(summary, StandardCharsets.UTF_8);
    long packets = Long.parseLong(group(PACKETS, json));
    try (CaptureReader r = CaptureReader.open(capture)) {
      CaptureRecord rec = new CaptureRecord();
      long count = 0;
      long first = 0;
      long last = 0;
      long previousEnd = -1;
      while (r.next(rec)) {
        if (count++ == 0) {
          first = rec.tsNanos;
        }
        last = rec.tsNanos;
        assertTrue(rec.capLen <= 262_144 && rec.fileOffset > previousEnd, rec.toString());
        previousEnd = rec.fileOffset;
      }
      assertNull(r.damage(), () -> String.valueOf(r.damage()));
      assertEquals(packets, count, "packets");
      assertEquals(r.size(), r.position(), "whole file consumed");
      if (count > 0) {
        assertEquals(group(FIRST, json), CAPINFOS.format(Instant.ofEpochSecond(0, first)));
        assertEquals(group(LAST, json), CAPINFOS.format(Instant.ofEpochSecond(0, last)));
      }
    }
  }

  private static String group(Pattern p, String json) {
    Matcher m = p.matcher(json);
    assertTrue(m.find(), "summary.json lacks " + p);
    return m.group(1);
  }
}

package io.mirrorsensor.sensor.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.ExtractConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer gathers each extract's records and writes them in pieces: the files must still come
 * out whole and in order whatever the interleaving, the sizes and the number of extracts open at
 * once, and a flush must put everything gathered on disk.
 */
class ExtractWriterTest {
  @TempDir
  Path tmp;

  private final List<String> events = new ArrayList<>();
  private long now;

  private ExtractWriter writer(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    ExtractConfig config = ConfigLoader.fromProperties(p, "test").extract();
    return new ExtractWriter(tmp, config, new PrintStream(new ByteArrayOutputStream(), true),
        line -> events.add(new String(line, StandardCharsets.UTF_8)), () -> now);
  }

  private static String rel(long id) {
    return ExtractConfig.DIR + "/x" + id + ".pcap";
  }

  private static List<byte[]> frames(Path pcap) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (CaptureReader r = CaptureReader.open(pcap)) {
      CaptureRecord rec = new CaptureRecord();
      while (r.next(rec)) {
        out.add(rec.frameCopy());
      }
    }
    return out;
  }

  @Test
  void manyExtractsOpenAtOnceWithInterleavedPacketsComeOutWholeAndInOrder() throws Exception {
    ExtractWriter w = writer();
    int extracts = ExtractWriter.MAX_OPEN * 3;
    Random rnd = new Random(7);
    List<List<byte[]>> sent = new ArrayList<>();
    ExtractFeed feed = new ExtractFeed();
    for (int id = 0; id < extracts; id++) {
      feed.open(id, LinkType.ETHERNET, id, rel(id), "\"src_ip\":\"10.0.0.1\"");
      sent.add(new ArrayList<>());
    }
    // Sizes from tiny to above one piece, so that pieces fill, spill and are written directly.
    int[] sizes = {60, 1514, 9001, ExtractWriter.PIECE - 16, ExtractWriter.PIECE + 100};
    for (int i = 0; i < 3000; i++) {
      int id = rnd.nextInt(extracts);
      byte[] b = new byte[sizes[rnd.nextInt(i % 50 == 0 ? sizes.length : 3)]];
      rnd.nextBytes(b);
      feed.packet(id, 1_700_000_000_000_000_000L + i, b.length, b.length, b, 0);
      sent.get(id).add(b);
      if (feed.size() > 1 << 20) {
        w.apply(feed.take());
      }
    }
    w.apply(feed.take());
    for (int id = 0; id < extracts; id++) {
      feed.close(id, 1_800_000_000_000_000_000L, "flow_end", 0);
    }
    w.apply(feed.take());
    for (int id = 0; id < extracts; id++) {
      List<byte[]> got = frames(tmp.resolve(rel(id)));
      assertEquals(sent.get(id).size(), got.size(), "extract " + id);
      for (int k = 0; k < got.size(); k++) {
        assertArrayEquals(sent.get(id).get(k), got.get(k), "extract " + id + " packet " + k);
      }
    }
    assertEquals(extracts, events.size());
    assertEquals(3000L, w.stats().get("packets_written"));
    assertEquals(0L, w.stats().get("write_errors"));
  }

  @Test
  void thousandsOfOpenExtractsHoldAtMostTheGatheringBudgetInMemory() throws Exception {
    ExtractWriter w = writer();
    int extracts = 2500;
    ExtractFeed feed = new ExtractFeed();
    byte[] b = new byte[1500];
    long most = 0;
    for (int round = 0; round < 2; round++) {
      for (int id = 0; id < extracts; id++) {
        if (round == 0) {
          feed.open(id, LinkType.ETHERNET, id, rel(id), "\"src_ip\":\"10.0.0.1\"");
        }
        b[0] = (byte) id;
        b[1] = (byte) round;
        feed.packet(id, 1_700_000_000_000_000_000L + round, b.length, b.length, b, 0);
        w.apply(feed.take());
        most = Math.max(most, w.gatheredBytes());
      }
    }
    // 2,500 extracts x a 4 KiB array each would be 10 MB: the writer writes and lets go at 4 MiB
    assertTrue(most <= ExtractWriter.GATHERED_MAX + 2048, "held " + most);
    for (int id = 0; id < extracts; id++) {
      feed.close(id, 1_800_000_000_000_000_000L, "flow_end", 0);
    }
    w.apply(feed.take());
    assertEquals(0, w.gatheredBytes());
    for (int id = 0; id < extracts; id += 499) {
      List<byte[]> got = frames(tmp.resolve(rel(id)));
      assertEquals(2, got.size(), "extract " + id);
      assertEquals((byte) id, got.get(1)[0]);
      assertEquals(1, got.get(1)[1]);
    }
  }

  @Test
  void gatheredRecordsReachTheFileAtAFlushOrASecondLaterBeforeTheExtractCloses()
      throws Exception {
    ExtractWriter w = writer();
    ExtractFeed feed = new ExtractFeed();
    feed.open(1, LinkType.ETHERNET, 1, rel(1), "\"src_ip\":\"10.0.0.1\"");
    byte[] b = new byte[100];
    feed.packet(1, 1_700_000_000_000_000_000L, b.length, b.length, b, 0);
    w.apply(feed.take());
    Path file = tmp.resolve(rel(1));
    assertEquals(0, Files.size(file), "gathered, not written yet");
    w.flush();
    assertEquals(1, frames(file).size(), "a flush writes what is gathered");

    feed.packet(1, 1_700_000_000_000_000_001L, b.length, b.length, b, 0);
    w.apply(feed.take());
    assertEquals(1, frames(file).size());
    now += ExtractWriter.FLUSH_EVERY_NANOS;
    feed.packet(1, 1_700_000_000_000_000_002L, b.length, b.length, b, 0);
    w.apply(feed.take());
    assertEquals(3, frames(file).size(), "written a second after the last flush");
    assertTrue(events.isEmpty(), "the extract is still open");
  }

  @Test
  void aFileThatCannotBeWrittenWhenGatheredRecordsGoOutCountsThemLost() throws Exception {
    ExtractWriter w = writer();
    ExtractFeed feed = new ExtractFeed();
    feed.open(1, LinkType.ETHERNET, 1, rel(1), "\"src_ip\":\"10.0.0.1\"");
    byte[] b = new byte[100];
    for (int i = 0; i < 5; i++) {
      feed.packet(1, 1_700_000_000_000_000_000L + i, b.length, b.length, b, 0);
    }
    w.apply(feed.take());
    // The directory goes away under the writer: the file's path no longer resolves.
    Path dir = tmp.resolve(ExtractConfig.DIR);
    try (var s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
    Files.writeString(dir, "not a directory");
    // Force the channel closed so that the write has to open the file again.
    for (int id = 2; id <= ExtractWriter.MAX_OPEN + 1; id++) {
      feed.open(id, LinkType.ETHERNET, id, ExtractConfig.DIR + "-" + id + ".pcap", "\"a\":1");
    }
    feed.close(1, 1_800_000_000_000_000_000L, "flow_end", 0);
    w.apply(feed.take());
    assertEquals(1, events.size());
    String e = events.get(0);
    assertTrue(e.contains("\"packets\":0,") && e.contains("\"lost_packets\":5")
        && e.contains("\"write_failed\":true"), e);
    assertEquals(0L, w.stats().get("packets_written"));
    assertTrue(w.stats().get("write_errors") >= 1);
  }
}

package io.mirrorsensor.bench.gen;

import io.mirrorsensor.sensor.gen.Checksums;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.ReplayRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficGeneratorTest {
  @TempDir Path dir;

  @Test
  void generatedCaptureReadsBackWithTheReportedRecordCount() throws IOException {
    Path file = dir.resolve("t.pcap");
    TrafficGenerator.Result r = TrafficGenerator.generate(file, 3_000_000, 42, 64, false);
    assertTrue(r.bytes() >= 3_000_000 && r.flows() > 64, r.toString());
    assertEquals(Files.size(file), r.bytes());
    int[] protocols = new int[256];
    int ipv6 = 0;
    try (CaptureReader reader = CaptureReader.open(file)) {
      CaptureRecord rec = new CaptureRecord();
      long last = 0;
      while (reader.next(rec)) {
        assertTrue(rec.tsNanos >= last);
        last = rec.tsNanos;
        byte[] f = rec.frameCopy();
        if ((f[14] >> 4) == 6) {
          ipv6++;
          protocols[f[20] & 0xFF]++;
        } else {
          protocols[f[23] & 0xFF]++;
          Checksums.assertIpv4HeaderChecksum(f, 14);
        }
        Checksums.assertTransportChecksum(f, 14);
      }
      assertNull(reader.damage());
      assertEquals(r.records(), rec.number);
    }
    assertTrue(protocols[6] > 0 && protocols[17] > 0 && protocols[1] + protocols[58] > 0);
    assertTrue(ipv6 > 0);
  }

  @Test
  void sameSeedSameBytesAndVxlanWrapsEveryFrame() throws IOException {
    Path a = dir.resolve("a.pcap");
    Path b = dir.resolve("b.pcap");
    TrafficGenerator.generate(a, 1_000_000, 7, 16, true);
    TrafficGenerator.Result rb = TrafficGenerator.generate(b, 1_000_000, 7, 16, true);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    try (CaptureReader reader = CaptureReader.open(b)) {
      CaptureRecord rec = new CaptureRecord();
      while (reader.next(rec)) {
        int vni =
            ((rec.buf[rec.offset + 46] & 0xFF) << 16)
                | ((rec.buf[rec.offset + 47] & 0xFF) << 8)
                | (rec.buf[rec.offset + 48] & 0xFF);
        assertTrue(vni >= 200 && vni < 208, "vni " + vni);
        assertEquals(0x12B5, ((rec.buf[rec.offset + 36] & 0xFF) << 8)
            | (rec.buf[rec.offset + 37] & 0xFF));
      }
      assertNull(reader.damage());
      assertEquals(rb.records(), rec.number);
    }
  }

  /**
   * The original generator's output, hashed before the mix engine and the knobs were added: the
   * cached benchmark input (bench-out/replay-1100.pcap) must not change.
   */
  @Test
  void withoutNewOptionsTheOutputIsByteIdenticalToTheOriginalGenerator() throws Exception {
    Path a = dir.resolve("a.pcap");
    Path b = dir.resolve("b.pcap");
    TrafficGenerator.generate(a, 1_000_000, 1, 200, false);
    assertEquals(7_463_153, Files.size(a));
    assertEquals("f182e0e5312c242b618951d6697c5d66edbdec90557d68168d52abaa1a46ca54", sha256(a));
    TrafficGenerator.generate(b, 1_000_000, 7, 16, true);
    assertEquals("6b2e3d2b1e2a23d2fc1834f5ced24bac8d526b9e22cb39b235a97e48d7728bb9", sha256(b));
    // The same through the option parser, as main runs it.
    TrafficGenerator.generate(a, 1_000_000, 7, TrafficGenerator.Options.parse(16,
        new String[] {"--vxlan", "--vnis", "8"}, 0));
    assertEquals("6b2e3d2b1e2a23d2fc1834f5ced24bac8d526b9e22cb39b235a97e48d7728bb9", sha256(a));
  }

  @Test
  void mixEngineIsDeterministicAndWritesValidFrames() throws IOException {
    String[] args = {"--mix", "http=60,dns=10,dns-tcp=5,tls=15,bulk=5,icmp=5", "--pipelined",
        "30", "--chunked", "30", "--loss", "2", "--ipv6", "20"};
    Path a = dir.resolve("a.pcap");
    Path b = dir.resolve("b.pcap");
    TrafficGenerator.Result ra =
        TrafficGenerator.generate(a, 2_000_000, 3, TrafficGenerator.Options.parse(40, args, 0));
    TrafficGenerator.generate(b, 2_000_000, 3, TrafficGenerator.Options.parse(40, args, 0));
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    int v6 = 0;
    try (CaptureReader reader = CaptureReader.open(a)) {
      CaptureRecord rec = new CaptureRecord();
      while (reader.next(rec)) {
        byte[] f = rec.frameCopy();
        if ((f[14] >> 4) == 6) {
          v6++;
        } else {
          Checksums.assertIpv4HeaderChecksum(f, 14);
        }
        Checksums.assertTransportChecksum(f, 14);
      }
      assertNull(reader.damage());
      assertEquals(ra.records(), rec.number);
    }
    assertTrue(v6 > 0);
    Files.copy(a, dir.resolve("g.pcap"));
    String eve = replay();
    for (String type : new String[] {"http", "dns", "tls", "flow"}) {
      assertTrue(count(eve, "\"event_type\":\"" + type + "\"") > 0, type);
    }
    assertEquals(0, count(eve, "\"event_type\":\"(anomaly|alert)\""), "the sensor finds no fault");
    TrafficGenerator.generate(b, 2_000_000, 4, TrafficGenerator.Options.parse(40, args, 0));
    assertTrue(!java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)));
  }

  @Test
  void tlsFlowsDecodeWithTheirSni() throws IOException {
    TrafficGenerator.Result r = generate("--mix", "tls=1", "--flows", "20");
    String eve = replay();
    int tls = count(eve, "\"event_type\":\"tls\"[^\n]*\"sni\":\"svc\\d+\\.tls\\.example\"");
    assertEquals(r.flows(), tls, eve.substring(0, Math.min(3000, eve.length())));
    assertTrue(count(eve, "\"version\":\"TLS 1.2\"") > 0, "tls 1.2 with certificate");
    assertTrue(count(eve, "\"subject\":\"CN=svc") > 0, "certificate subject");
  }

  @Test
  void dnsOverTcpDecodes() throws IOException {
    generate("--mix", "dns-tcp=1", "--flows", "20");
    String eve = replay();
    int dns = count(eve, "\"event_type\":\"dns\"[^\n]*\"proto\":\"TCP\"");
    assertTrue(dns >= 2 * 20, eve.substring(0, Math.min(3000, eve.length())));
    assertTrue(count(eve, "tcp\\.example\\.com") > 0);
    assertEquals(0, count(eve, "\"event_type\":\"(anomaly|alert)\""), "answers match queries");
  }

  @Test
  void pipelinedAndChunkedHttpDecodes() throws IOException {
    TrafficGenerator.Result r =
        generate("--mix", "http=1", "--pipelined", "100", "--chunked", "100", "--flows", "10");
    String eve = replay();
    int http = count(eve, "\"event_type\":\"http\"");
    // Every connection carries 2 to 5 pipelined requests, each answered.
    assertTrue(http >= 2 * r.flows() && http <= 5 * r.flows(), http + " for " + r.flows());
    assertEquals(0, count(eve, "\"event_type\":\"anomaly\"[^\n]*http"), "no http anomalies");
  }

  @Test
  void lossyBulkShowsRetransmissionsAndMissingSegments() throws IOException {
    generate("--mix", "bulk=1", "--loss", "3", "--flows", "4");
    String eve = replay();
    assertTrue(count(eve, "\"retransmissions\":[1-9]") > 0, eve);
    assertTrue(count(eve, "\"missed_bytes\":[1-9]") + count(eve, "\"lost_segments\":[1-9]")
        > 0, eve);
  }

  @Test
  void snaplenTruncatesRecords() throws IOException {
    TrafficGenerator.Result r = generate("--mix", "http=1", "--snaplen", "128", "--vxlan",
        "--vnis", "3", "--flows", "8");
    int truncated = 0;
    try (CaptureReader reader = CaptureReader.open(dir.resolve("g.pcap"))) {
      CaptureRecord rec = new CaptureRecord();
      while (reader.next(rec)) {
        assertTrue(rec.capLen <= 128);
        truncated += rec.capLen < rec.origLen ? 1 : 0;
        int vni = ((rec.buf[rec.offset + 46] & 0xFF) << 16)
            | ((rec.buf[rec.offset + 47] & 0xFF) << 8) | (rec.buf[rec.offset + 48] & 0xFF);
        assertTrue(vni >= 200 && vni < 203, "vni " + vni);
      }
      assertEquals(r.records(), rec.number);
    }
    assertTrue(truncated > 0);
    assertTrue(count(replay(), "\"truncated_packets\":[1-9]") > 0);
  }

  /**
   * 200k concurrent flows: each open flow is a small state machine, not a list of frames, so the
   * heap after opening them all stays far below what holding their frames would take (the HTTP
   * flows alone would hold gigabytes).
   */
  @Test
  void manyConcurrentFlowsUseBoundedMemory() throws IOException {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    long[] peak = {0};
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory());
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    TrafficGenerator.Result r = TrafficGenerator.generate(Path.of("/dev/null"), 1,
        5, TrafficGenerator.Options.parse(200_000,
            new String[] {"--mix", "dns=50,dns-tcp=30,icmp=20"}, 0));
    sampler.interrupt();
    assertEquals(200_000, r.flows());
    long perFlow = (peak[0] - before) / 200_000;
    // Garbage counts too, so this is loose; a frame list would be several KB per flow.
    assertTrue(perFlow < 2_000, perFlow + " bytes per open flow");
  }

  private TrafficGenerator.Result generate(String... args) throws IOException {
    return TrafficGenerator.generate(dir.resolve("g.pcap"), 200_000, 11,
        TrafficGenerator.Options.parse(1, args, 0));
  }

  private String replay() throws IOException {
    Path out = dir.resolve("out");
    ReplayRunner.replay(SensorConfig.defaults(), List.of(dir.resolve("g.pcap")), out,
        new PrintStream(new ByteArrayOutputStream()));
    return Files.readString(out.resolve("eve.json"));
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String sha256(Path p) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}

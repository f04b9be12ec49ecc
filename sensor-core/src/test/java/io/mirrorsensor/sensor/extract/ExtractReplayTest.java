package io.mirrorsensor.sensor.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.capture.PcapWriter;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.ExtractConfig;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.ReplayRunner;
import io.mirrorsensor.sensor.gen.Conversations;
import io.mirrorsensor.sensor.gen.Frames;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pcap extracts through the real replay path: every extract is read back with {@link
 * CaptureReader} (and {@code tshark -r} when it is on the PATH) and compared with the packets it
 * should hold: count, timestamps, lengths, bytes.
 */
class ExtractReplayTest {
  private static final long T0 = 1_705_312_800_000_000_000L;
  private static final long S = 1_000_000_000L;
  private static final byte[] MIRROR_SRC = Frames.ip("10.0.1.10");
  private static final byte[] MIRROR_DST = Frames.ip("10.0.0.250");

  @TempDir Path tmp;

  /** One captured frame: the outer (as written to the input) and the inner Ethernet frame. */
  record Pkt(long ts, byte[] outer, int outerOrig, byte[] inner, int innerOrig) {}

  private static SensorConfig config(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return ConfigLoader.fromProperties(p, "test");
  }

  private static List<CaptureRecord> read(Path pcap) throws IOException {
    List<CaptureRecord> out = new ArrayList<>();
    try (CaptureReader r = CaptureReader.open(pcap)) {
      CaptureRecord rec = new CaptureRecord();
      while (r.next(rec)) {
        CaptureRecord c = new CaptureRecord();
        c.buf = rec.frameCopy();
        c.capLen = rec.capLen;
        c.origLen = rec.origLen;
        c.tsNanos = rec.tsNanos;
        c.linkType = rec.linkType;
        out.add(c);
      }
      assertEquals(null, r.damage(), pcap + " must end cleanly");
    }
    return out;
  }

  /** The extract holds exactly {@code expected} (inner frames), checked by us and by tshark. */
  private static void assertExtract(Path pcap, List<Pkt> expected, boolean inner)
      throws Exception {
    List<CaptureRecord> got = read(pcap);
    assertEquals(expected.size(), got.size(), "packets in " + pcap.getFileName());
    for (int i = 0; i < got.size(); i++) {
      Pkt e = expected.get(i);
      CaptureRecord g = got.get(i);
      byte[] frame = inner ? e.inner() : e.outer();
      assertEquals(e.ts(), g.tsNanos, "timestamp of packet " + i);
      assertEquals(inner ? e.innerOrig() : e.outerOrig(), g.origLen, "original length " + i);
      assertArrayEquals(frame, g.buf, "bytes of packet " + i);
      assertEquals(LinkType.ETHERNET, g.linkType);
    }
    tsharkAgrees(pcap, expected, inner);
    libpcapAgrees(pcap, expected, inner);
  }

  /** Reads the extract back through libpcap itself (pcap4j), as issue 8 asks. */
  private static void libpcapAgrees(Path pcap, List<Pkt> expected, boolean inner)
      throws Exception {
    org.pcap4j.core.PcapHandle h;
    try {
      h = org.pcap4j.core.Pcaps.openOffline(pcap.toString(),
          org.pcap4j.core.PcapHandle.TimestampPrecision.NANO);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      System.out.println("ExtractReplayTest: libpcap is not installed, skipping the libpcap check"
          + " of " + pcap.getFileName() + " (" + e + ")");
      return;
    }
    try {
      for (int i = 0; i < expected.size(); i++) {
        byte[] raw = h.getNextRawPacket();
        assertTrue(raw != null, "libpcap: packet " + i + " of " + expected.size());
        Pkt e = expected.get(i);
        assertArrayEquals(inner ? e.inner() : e.outer(), raw, "libpcap: bytes of packet " + i);
        assertEquals(inner ? e.innerOrig() : e.outerOrig(), h.getOriginalLength(),
            "libpcap: original length of packet " + i);
        java.sql.Timestamp t = h.getTimestamp();
        assertEquals(e.ts(), t.getTime() / 1000 * S + t.getNanos(),
            "libpcap: timestamp of packet " + i);
      }
      assertEquals(null, h.getNextRawPacket(), "libpcap: no packet after the last");
    } finally {
      h.close();
    }
  }

  private static void tsharkAgrees(Path pcap, List<Pkt> expected, boolean inner)
      throws Exception {
    boolean onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "tshark")));
    if (!onPath) {
      System.out.println("ExtractReplayTest: tshark not on PATH, skipping the tshark check of "
          + pcap.getFileName());
      return;
    }
    Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-T", "fields",
        "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len")
        .redirectErrorStream(false).start();
    String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.getErrorStream().readAllBytes();
    assertEquals(0, p.waitFor(), "tshark -r " + pcap);
    List<String> lines = outText.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
    assertEquals(expected.size(), lines.size(), "tshark's packet count");
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split("\t");
      Pkt e = expected.get(i);
      long sec = e.ts() / S;
      String frac = String.format("%09d", e.ts() % S);
      assertEquals(sec + "." + frac, f[0], "tshark timestamp of packet " + i);
      assertEquals(inner ? e.innerOrig() : e.outerOrig(), Integer.parseInt(f[1]));
      assertEquals((inner ? e.inner() : e.outer()).length, Integer.parseInt(f[2]));
    }
  }

  /**
   * An HTTP conversation in VXLAN whose response carries a marker in a later segment, plus the
   * last data segment truncated to 120 captured bytes, as a mirror session's packet length does.
   */
  private List<Pkt> writeHttpCapture(Path pcap, String marker) throws IOException {
    List<Pkt> pkts = new ArrayList<>();
    byte[] body = new byte[9000];
    Arrays.fill(body, (byte) 'a');
    byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(m, 0, body, 5000, m.length);
    Conversations c = new Conversations((frame, ts, fromClient) -> {
      byte[] outer = Frames.vxlan(MIRROR_SRC, MIRROR_DST, 101, frame);
      pkts.add(new Pkt(ts, outer, outer.length, frame, frame.length));
    }, T0, 7);
    c.http(Conversations.Endpoints.of("10.0.1.10", 49152, "10.0.2.20", 80), "app.example",
        "/big", 200, "text/plain", body);
    // Truncate the largest server segment after the marker's, keeping its original length.
    int last = -1;
    for (int i = 0; i < pkts.size(); i++) {
      if (pkts.get(i).inner().length > 1000) {
        last = i;
      }
    }
    Pkt big = pkts.get(last);
    int outerCap = Frames.vxlanOverhead() + 120;
    pkts.set(last, new Pkt(big.ts(), Arrays.copyOf(big.outer(), outerCap), big.outerOrig(),
        Arrays.copyOf(big.inner(), 120), big.innerOrig()));
    try (PcapWriter w = PcapWriter.create(pcap, LinkType.ETHERNET, 65535,
        PcapWriter.Resolution.NANO)) {
      for (Pkt p : pkts) {
        w.write(p.outer(), 0, p.outer().length, p.outerOrig(), p.ts());
      }
    }
    return pkts;
  }

  private static List<Map<String, Object>> ofType(List<Map<String, Object>> eve, String t) {
    return eve.stream().filter(e -> t.equals(e.get("event_type"))).collect(Collectors.toList());
  }

  @Test
  void ruleOnALaterPacketGivesAnExtractStartingWithTheFlowsFirstPackets() throws Exception {
    Path pcap = tmp.resolve("http.pcap");
    List<Pkt> pkts = writeHttpCapture(pcap, "MARKER-8f3a");
    RuleSet set = RuleLoader.loadText("t.rules", "alert tcp any any -> any any (msg:\"marker\";"
        + " content:\"MARKER-8f3a\"; sid:9000001; rev:1;)", RuleOptions.defaults());
    Path out = tmp.resolve("out");
    ReplayRunner.replay(SensorConfig.defaults().withRules(set), List.of(pcap), out,
        new PrintStream(PrintStream.nullOutputStream()));
    List<Map<String, Object>> eve = Json.lines(out.resolve("eve.json"));
    List<Map<String, Object>> alerts = ofType(eve, "alert");
    assertFalse(alerts.isEmpty(), "the rule must fire");
    long n = (Long) alerts.get(0).get("pcap_cnt");
    assertTrue(n >= 10 && n <= 16, "fires on a later packet within the buffer bound: " + n);
    String rel = (String) alerts.get(0).get("pcap");
    assertNotNull(rel, "the alert names its extract");
    assertTrue(rel.startsWith("extracts/20240115T100000."), rel);
    assertTrue(rel.contains("-1-9000001-"), "gid-sid in the name: " + rel);
    assertTrue(!rel.contains("+") && rel.indexOf('/', "extracts/".length()) < 0
        && !rel.contains("="), "sanitised community id: " + rel);
    for (Map<String, Object> a : alerts) {
      assertEquals(rel, a.get("pcap"), "later findings of the flow point to the same extract");
    }
    Path file = out.resolve(rel);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    // Buffer 16 >= n: the extract is the whole flow, from its SYN, inner frames.
    assertExtract(file, pkts, true);
    List<Map<String, Object>> ex = ofType(eve, "extract");
    assertEquals(1, ex.size());
    assertEquals(rel, Json.at(ex.get(0), "extract.pcap"));
    assertEquals((long) pkts.size(), Json.at(ex.get(0), "extract.packets"));
    assertEquals("flow_end", Json.at(ex.get(0), "extract.reason"));
    assertEquals(alerts.get(0).get("community_id"), ex.get(0).get("community_id"));
    assertEquals(alerts.get(0).get("flow_id"), ex.get(0).get("flow_id"));
  }

  @Test
  void aSmallBufferKeepsTheLastPacketsBeforeTheTriggerAndOuterFramesOnRequest() throws Exception {
    Path pcap = tmp.resolve("http.pcap");
    List<Pkt> pkts = writeHttpCapture(pcap, "MARKER-8f3a");
    RuleSet set = RuleLoader.loadText("t.rules", "alert tcp any any -> any any (msg:\"marker\";"
        + " content:\"MARKER-8f3a\"; sid:9000001; rev:1;)", RuleOptions.defaults());
    Path out = tmp.resolve("out");
    ReplayRunner.replay(config("extract.buffer_packets", "4", "extract.frames", "outer",
        "extract.max_packets", "7").withRules(set), List.of(pcap), out,
        new PrintStream(PrintStream.nullOutputStream()));
    List<Map<String, Object>> eve = Json.lines(out.resolve("eve.json"));
    Map<String, Object> alert = ofType(eve, "alert").get(0);
    int n = ((Long) alert.get("pcap_cnt")).intValue();
    // Packets n-3 .. n from the buffer, then 3 more to reach max_packets 7.
    assertExtract(out.resolve((String) alert.get("pcap")), pkts.subList(n - 4, n + 3), false);
    Map<String, Object> ex = ofType(eve, "extract").get(0);
    assertEquals(7L, Json.at(ex, "extract.packets"));
    assertEquals("max_packets", Json.at(ex, "extract.reason"));
  }

  /** A blocked SSH attempt (three SYNs, one finding on the third). */
  private static void writeBlockedSsh(PcapWriter w, int clientPort, long t0) throws IOException {
    byte[] syn = Frames.frame().ipv4(Frames.ip("10.0.1.10"), Frames.ip("10.0.2.22"))
        .tcp(clientPort, 22).flags(Frames.SYN).seq(0x1234_5678L).window(64240).mss(1460)
        .build();
    byte[] vxlan = Frames.vxlan(MIRROR_SRC, MIRROR_DST, 101, syn);
    for (long t : new long[] {t0, t0 + S, t0 + 3 * S}) {
      w.write(vxlan, 0, vxlan.length, vxlan.length, t);
    }
  }

  @Test
  void aTcpFindingGetsAnExtractOfItsFlow() throws Exception {
    Path pcap = tmp.resolve("ssh.pcap");
    List<Pkt> expected = new ArrayList<>();
    try (PcapWriter w = PcapWriter.create(pcap, LinkType.ETHERNET, 65535,
        PcapWriter.Resolution.NANO)) {
      writeBlockedSsh(w, 51000, T0);
    }
    for (CaptureRecord r : read(pcap)) {
      byte[] inner = Arrays.copyOfRange(r.buf, Frames.vxlanOverhead(), r.capLen);
      expected.add(new Pkt(r.tsNanos, r.buf, r.origLen, inner, inner.length));
    }
    Path out = tmp.resolve("out");
    ReplayRunner.replay(SensorConfig.defaults(), List.of(pcap), out,
        new PrintStream(PrintStream.nullOutputStream()));
    List<Map<String, Object>> eve = Json.lines(out.resolve("eve.json"));
    Map<String, Object> alert = ofType(eve, "alert").get(0);
    assertTrue(((String) alert.get("pcap")).contains("-700-1-"), (String) alert.get("pcap"));
    assertExtract(out.resolve((String) alert.get("pcap")), expected, true);
  }

  @Test
  void theDiskBudgetDeletesTheOldestExtracts() throws Exception {
    Path pcap = tmp.resolve("many.pcap");
    int flows = 30;
    try (PcapWriter w = PcapWriter.create(pcap, LinkType.ETHERNET, 65535,
        PcapWriter.Resolution.NANO)) {
      for (int i = 0; i < flows; i++) {
        writeBlockedSsh(w, 40000 + i, T0 + i * 10 * S);
      }
    }
    Path out = tmp.resolve("out");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    long budget = 2000;
    ReplayRunner.replay(config("extract.disk_budget", Long.toString(budget)), List.of(pcap), out,
        new PrintStream(log, true));
    List<Map<String, Object>> eve = Json.lines(out.resolve("eve.json"));
    assertEquals(flows, ofType(eve, "alert").size(), "detection goes on");
    List<Path> left;
    try (Stream<Path> s = Files.list(out.resolve(ExtractConfig.DIR))) {
      left = s.sorted().collect(Collectors.toList());
    }
    long total = 0;
    for (Path p : left) {
      total += Files.size(p);
      assertEquals(3, read(p).size(), "a surviving extract is whole: " + p.getFileName());
    }
    assertTrue(total <= budget, "extracts take " + total + " bytes, budget " + budget);
    assertTrue(left.size() < flows && !left.isEmpty(), "some were deleted: " + left.size());
    // The newest survive: the last alert's extract is there, the first one's is gone.
    List<Map<String, Object>> alerts = ofType(eve, "alert");
    assertTrue(Files.exists(out.resolve((String) alerts.get(flows - 1).get("pcap"))));
    assertFalse(Files.exists(out.resolve((String) alerts.get(0).get("pcap"))));
    assertTrue(log.toString().contains("disk budget"), log.toString());
    // Each extract was whole when it closed; the budget deleted the oldest afterwards.
    for (Map<String, Object> e : ofType(eve, "extract")) {
      assertEquals(3L, Json.at(e, "extract.packets"));
    }
  }

  @Test
  void writeFailuresAreCountedAndReportedOnceWhileDetectionGoesOn() throws Exception {
    Path pcap = tmp.resolve("many.pcap");
    try (PcapWriter w = PcapWriter.create(pcap, LinkType.ETHERNET, 65535,
        PcapWriter.Resolution.NANO)) {
      for (int i = 0; i < 5; i++) {
        writeBlockedSsh(w, 40000 + i, T0 + i * 10 * S);
      }
    }
    Path out = tmp.resolve("out");
    Path dir = out.resolve(ExtractConfig.DIR);
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    if (Files.isWritable(dir)) {
      // Root ignores the mode: an extracts path that is a file fails the same way.
      System.out.println("ExtractReplayTest: running as root, a read-only directory is writable;"
          + " using a file in its place to make every extract write fail");
      Files.delete(dir);
      Files.writeString(dir, "not a directory");
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ReplayRunner.replay(SensorConfig.defaults(), List.of(pcap), out, new PrintStream(log, true));
    List<Map<String, Object>> eve = Json.lines(out.resolve("eve.json"));
    assertEquals(5, ofType(eve, "alert").size(), "every finding is still written");
    String text = log.toString();
    assertEquals(1, text.lines().filter(l -> l.contains("extracts: cannot write")).count(),
        "reported once a minute, not per failure: " + text);
    List<Map<String, Object>> ex = ofType(eve, "extract");
    assertEquals(5, ex.size());
    for (Map<String, Object> e : ex) {
      assertEquals(true, Json.at(e, "extract.write_failed"));
      assertEquals(0L, Json.at(e, "extract.packets"));
    }
    if (Files.isDirectory(dir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void carvingByCommunityIdFromTheVxlanSample() throws Exception {
    Path sample = Dirs.root().resolve("samples/vxlan.pcap");
    // The IPv6 HTTP flow (community id from the golden flow record of this sample).
    String id = "1:Z/X59aB5PEqH/1VXCuFjduvAzN4=";
    Path out = tmp.resolve("carved.pcap");
    Carver.Result r = Carver.carve(sample, Carver.communityIds(java.util.Set.of(id)), true,
        SensorConfig.defaults(), out);
    List<Pkt> expected = new ArrayList<>();
    io.mirrorsensor.decode.PacketDecoder dec =
        new io.mirrorsensor.decode.PacketDecoder(SensorConfig.defaults().decoderConfig());
    io.mirrorsensor.decode.DecodedPacket p = new io.mirrorsensor.decode.DecodedPacket();
    for (CaptureRecord rec : read(sample)) {
      dec.decode(rec.buf, 0, rec.capLen, rec.origLen, rec.linkType, rec.tsNanos, p);
      if (p.hasFlowKey()
          && id.equals(io.mirrorsensor.decode.FlowKey.of(p, 0).communityId())) {
        byte[] inner = Arrays.copyOfRange(rec.buf, p.l2Offset, rec.capLen);
        expected.add(new Pkt(rec.tsNanos, rec.buf, rec.origLen, inner,
            rec.origLen - p.l2Offset));
      }
    }
    assertEquals(10, expected.size(), "the flow record says 6 + 4 packets");
    assertEquals(expected.size(), r.written());
    assertExtract(out, expected, true);
    // As received: the VXLAN frames themselves.
    Path outer = tmp.resolve("outer.pcap");
    Carver.carve(sample, Carver.flow("[2001:db8:2::20]:8080 [2001:db8:1::10]:49153 tcp"), false,
        SensorConfig.defaults(), outer);
    assertExtract(outer, expected, false);
  }

  @Test
  void badExtractKeysAreRejected() {
    io.mirrorsensor.sensor.config.ConfigException e = org.junit.jupiter.api.Assertions
        .assertThrows(io.mirrorsensor.sensor.config.ConfigException.class,
            () -> config("extract.frames", "both"));
    assertTrue(e.getMessage().contains("extract.frames"), e.getMessage());
    ExtractConfig c = config("extract.buffer_packets", "8", "extract.max_seconds", "30s")
        .extract();
    assertEquals(8, c.bufferPackets());
    assertEquals(30 * S, c.maxSeconds());
  }
}

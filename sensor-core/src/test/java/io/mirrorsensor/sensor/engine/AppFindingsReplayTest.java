package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.capture.PcapWriter;
import io.mirrorsensor.sensor.config.ConfigException;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.gen.Conversations;
import io.mirrorsensor.sensor.gen.Conversations.Endpoints;
import io.mirrorsensor.sensor.gen.DnsWire;
import io.mirrorsensor.sensor.gen.Frames;
import io.mirrorsensor.sensor.testing.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Built-in app-layer findings (docs/FINDINGS.md sids 6-15) and app-layer anomaly events through
 * the real replay path: captures generated here with {@link Conversations} (timestamps and bytes
 * deterministic), written with {@link PcapWriter}, replayed, and the EVE alerts counted exactly.
 * One worker, so that the per-worker keyed detectors see every flow.
 */
class AppFindingsReplayTest {
  private static final long T0 = 1_705_312_800_000_000_000L; // 2024-01-15T10:00:00Z
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  @TempDir Path tmp;

  /** Frames of one capture, with an optional filter that drops server answers. */
  private final class Capture implements Conversations.FrameSink, AutoCloseable {
    final PcapWriter w;
    boolean dropAnswers;

    Capture(String name) throws IOException {
      w = PcapWriter.create(tmp.resolve(name), LinkType.ETHERNET, 65535,
          PcapWriter.Resolution.NANO);
    }

    @Override
    public void frame(byte[] frame, long tsNanos, boolean fromClient) throws IOException {
      if (!fromClient && dropAnswers) {
        return;
      }
      w.write(frame, 0, frame.length, frame.length, tsNanos);
    }

    @Override
    public void close() throws IOException {
      w.close();
    }
  }

  private List<Map<String, Object>> replay(String pcap, String... keyValues) throws IOException {
    Properties p = new Properties();
    p.setProperty("pipeline.workers", "1");
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    Path out = tmp.resolve(pcap + ".out");
    ReplayRunner.replay(ConfigLoader.fromProperties(p, "test"), List.of(tmp.resolve(pcap)), out,
        new PrintStream(PrintStream.nullOutputStream()));
    return Json.lines(out.resolve("eve.json"));
  }

  private static List<Map<String, Object>> alerts(List<Map<String, Object>> events, long sid) {
    return events.stream().filter(e -> "alert".equals(e.get("event_type"))
        && Long.valueOf(sid).equals(Json.at(e, "alert.signature_id")))
        .collect(Collectors.toList());
  }

  private static List<Map<String, Object>> allAlerts(List<Map<String, Object>> events) {
    return events.stream().filter(e -> "alert".equals(e.get("event_type")))
        .collect(Collectors.toList());
  }

  private static Object bySid(List<Map<String, Object>> events, int sid) {
    Map<String, Object> stats = events.stream().filter(e -> "stats".equals(e.get("event_type")))
        .findFirst().orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.at(stats, "stats.detect.by_sid");
    return m.get("700:" + sid);
  }

  private static String detail(Map<String, Object> alert) {
    @SuppressWarnings("unchecked")
    List<Object> d = (List<Object>) Json.at(alert, "alert.metadata.detail");
    return (String) d.get(0);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  // ---- HTTP ----

  @Test
  void slowHttpResponsesRaiseOneAlertPerFlow() throws IOException {
    try (Capture c = new Capture("slow.pcap")) {
      Conversations conv = new Conversations(c, T0, 1);
      // Two pipelined requests answered after 3 s: two slow transactions, one flow.
      byte[] requests = ascii("GET /a HTTP/1.1\r\nHost: app.internal\r\n\r\n"
          + "GET /b HTTP/1.1\r\nHost: app.internal\r\n\r\n");
      byte[] responses = ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
          + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      conv.serverThink(3 * S).tcp(Endpoints.of("10.0.1.10", 40000, "10.0.2.80", 80), requests,
          responses);
      // A fast one on another flow: no alert.
      conv.serverThink(5 * MS).advance(S).http(
          Endpoints.of("10.0.1.10", 40001, "10.0.2.80", 80), "app.internal", "/fast", 200,
          "text/plain", ascii("fast"));
    }
    List<Map<String, Object>> ev = replay("slow.pcap");
    assertEquals(3, ev.stream().filter(e -> "http".equals(e.get("event_type"))).count());
    List<Map<String, Object>> slow = alerts(ev, 6);
    assertEquals(1, allAlerts(ev).size(), () -> "alerts: " + allAlerts(ev));
    Map<String, Object> a = slow.get(0);
    assertEquals(700L, Json.at(a, "alert.gid"));
    assertEquals("HTTP slow response: response latency above threshold",
        Json.at(a, "alert.signature"));
    assertEquals(40000L, a.get("src_port"));
    assertEquals("http", a.get("app_proto"));
    assertTrue(detail(a).startsWith("response latency 3.0"), detail(a));
    assertTrue(detail(a).contains("GET app.internal/a -> 200"), detail(a));
    assertTrue(a.get("pcap_cnt") instanceof Long);
    // Issue 8: an app finding gets the pcap extract of its flow, like TCP findings and rules.
    assertTrue(String.valueOf(a.get("pcap")).startsWith("extracts/"), "pcap: " + a.get("pcap"));
    assertEquals(1L, bySid(ev, 6));
    Map<String, Object> flow = ev.stream().filter(e -> "flow".equals(e.get("event_type"))
        && Long.valueOf(40000).equals(e.get("src_port"))).findFirst().orElseThrow();
    assertEquals(true, Json.at(flow, "flow.alerted"));
  }

  @Test
  void a5xxBurstFromOneServerAlertsOncePerWindow() throws IOException {
    try (Capture c = new Capture("5xx.pcap")) {
      Conversations conv = new Conversations(c, T0, 2).serverThink(MS);
      int port = 41000;
      // 4 errors within 4 s from 10.0.2.81: one alert (the third), the fourth is in its window.
      for (int i = 0; i < 4; i++) {
        conv.http(Endpoints.of("10.0.1.11", port++, "10.0.2.81", 8080), "api", "/x", 500,
            "text/plain", ascii("err"));
        conv.advance(S);
      }
      // Two from another server, and 200s from the first: nothing.
      for (int i = 0; i < 2; i++) {
        conv.http(Endpoints.of("10.0.1.11", port++, "10.0.2.82", 8080), "api", "/x", 503,
            "text/plain", ascii("err"));
        conv.http(Endpoints.of("10.0.1.11", port++, "10.0.2.81", 8080), "api", "/x", 200,
            "text/plain", ascii("ok"));
      }
      // 30 s later a new window: 3 more errors, a second alert.
      conv.advance(30 * S);
      for (int i = 0; i < 3; i++) {
        conv.http(Endpoints.of("10.0.1.11", port++, "10.0.2.81", 8080), "api", "/y", 502,
            "text/plain", ascii("err"));
      }
    }
    List<Map<String, Object>> ev = replay("5xx.pcap", "http.alert.5xx_burst.count", "3",
        "http.alert.5xx_burst.window", "10s");
    List<Map<String, Object>> burst = alerts(ev, 7);
    assertEquals(2, allAlerts(ev).size(), () -> "alerts: " + allAlerts(ev));
    assertEquals(2, burst.size());
    for (Map<String, Object> a : burst) {
      assertEquals("10.0.2.81", a.get("dest_ip"));
      assertTrue(detail(a).startsWith("3 5xx responses within 10.000 s from server 10.0.2.81"),
          detail(a));
    }
    assertEquals(2L, bySid(ev, 7));
  }

  // ---- DNS ----

  @Test
  void nxdomainBurstToOneClientAlertsOnce() throws IOException {
    try (Capture c = new Capture("nx.pcap")) {
      Conversations conv = new Conversations(c, T0, 3);
      for (int i = 0; i < 4; i++) {
        conv.dnsNxdomain(Endpoints.of("10.0.1.12", 50000 + i, "10.0.0.2", 53), 100 + i,
            "missing" + i + ".example.com");
        conv.advance(500 * MS);
      }
      for (int i = 0; i < 2; i++) {
        conv.dnsNxdomain(Endpoints.of("10.0.1.13", 50000 + i, "10.0.0.2", 53), 200 + i,
            "missing" + i + ".example.com");
      }
    }
    List<Map<String, Object>> ev = replay("nx.pcap", "dns.alert.nxdomain_burst.count", "3",
        "dns.alert.nxdomain_burst.window", "10s");
    assertEquals(1, allAlerts(ev).size(), () -> "alerts: " + allAlerts(ev));
    Map<String, Object> a = alerts(ev, 8).get(0);
    assertEquals("10.0.1.12", a.get("src_ip"));
    assertEquals(50002L, a.get("src_port"), "the third NXDOMAIN's flow");
    assertEquals("dns", a.get("app_proto"));
    assertTrue(detail(a).contains("to client 10.0.1.12 (last: missing2.example.com)"), detail(a));
  }

  @Test
  void keyedStateIsBoundedAndEvictionsCounted() throws IOException {
    try (Capture c = new Capture("evict.pcap")) {
      Conversations conv = new Conversations(c, T0, 9);
      for (int i = 0; i < 20; i++) {
        conv.dnsNxdomain(Endpoints.of("10.0.3." + (i + 1), 50000, "10.0.0.2", 53), i,
            "gone.example.com");
      }
    }
    List<Map<String, Object>> ev = replay("evict.pcap", "app.alert.max_tracked", "16");
    Map<String, Object> stats = ev.stream().filter(e -> "stats".equals(e.get("event_type")))
        .findFirst().orElseThrow();
    assertEquals(16L, Json.at(stats, "stats.app.findings_state.tracked"));
    assertEquals(4L, Json.at(stats, "stats.app.findings_state.evicted"));
    assertEquals(0, allAlerts(ev).size());
  }

  @Test
  void servfailAlertsOncePerFlow() throws IOException {
    try (Capture c = new Capture("servfail.pcap")) {
      Conversations conv = new Conversations(c, T0, 4);
      Endpoints e = Endpoints.of("10.0.1.14", 50100, "10.0.0.2", 53);
      for (int i = 0; i < 2; i++) {
        conv.udp(e, DnsWire.query(300 + i, "db.internal.example", DnsWire.TYPE_A),
            servfail(300 + i, "db.internal.example"));
      }
      conv.udp(Endpoints.of("10.0.1.14", 50101, "10.0.0.2", 53),
          DnsWire.query(302, "db.internal.example", DnsWire.TYPE_A),
          servfail(302, "db.internal.example"));
      conv.dns(Endpoints.of("10.0.1.14", 50102, "10.0.0.2", 53), 303, "ok.example",
          Frames.ip("10.0.9.9"), 60);
    }
    List<Map<String, Object>> ev = replay("servfail.pcap");
    assertEquals(2, allAlerts(ev).size(), () -> "alerts: " + allAlerts(ev));
    assertEquals(List.of(50100L, 50101L),
        alerts(ev, 9).stream().map(a -> a.get("src_port")).collect(Collectors.toList()));
    assertEquals("SERVFAIL for db.internal.example", detail(alerts(ev, 9).get(0)));
  }

  private static byte[] servfail(int id, String name) {
    byte[] r = DnsWire.response(id, name, DnsWire.TYPE_A, 0, false);
    r[3] = (byte) ((r[3] & 0xF0) | 2); // RCODE 2, RFC 1035 4.1.1
    return r;
  }

  @Test
  void unansweredQueriesAlertOncePerFlow() throws IOException {
    try (Capture c = new Capture("timeout.pcap")) {
      Conversations conv = new Conversations(c, T0, 5);
      c.dropAnswers = true;
      Endpoints e = Endpoints.of("10.0.1.15", 50200, "10.0.0.2", 53);
      conv.dns(e, 400, "a.example", Frames.ip("10.0.9.9"), 60);
      conv.advance(MS);
      conv.dns(e, 401, "b.example", Frames.ip("10.0.9.9"), 60);
      c.dropAnswers = false;
      conv.dns(Endpoints.of("10.0.1.15", 50201, "10.0.0.2", 53), 402, "c.example",
          Frames.ip("10.0.9.9"), 60);
    }
    List<Map<String, Object>> ev = replay("timeout.pcap");
    assertEquals(1, allAlerts(ev).size(), () -> "alerts: " + allAlerts(ev));
    Map<String, Object> a = alerts(ev, 10).get(0);
    assertEquals(50200L, a.get("src_port"));
    assertNull(a.get("pcap_cnt"), "raised when the flow ended, not by a packet");
    assertEquals("no answer to a.example (id 400) within 5.000 s", detail(a));
  }

  @Test
  void tunnellingSuspectCountsUniqueSuspiciousNamesPerClientAndDomain() throws IOException {
    SplittableRandom rnd = new SplittableRandom(42);
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    try (Capture c = new Capture("tunnel.pcap")) {
      Conversations conv = new Conversations(c, T0, 6);
      Endpoints a = Endpoints.of("10.0.1.16", 50300, "10.0.0.2", 53);
      Endpoints b = Endpoints.of("10.0.1.17", 50300, "10.0.0.2", 53);
      Endpoints d = Endpoints.of("10.0.1.18", 50300, "10.0.0.2", 53);
      int id = 1;
      for (int i = 0; i < 6; i++) {
        // Client A: 20-byte base32 labels (high entropy, below the length bar) under
        // t.exfil.com, registered domain exfil.com.
        conv.dns(a, id++, random(rnd, alphabet, 20) + ".t.exfil.com", Frames.ip("10.0.9.9"), 0);
        // Client B: 45-byte labels under foo.co.uk (three labels: "co" is short).
        conv.dns(b, id++, random(rnd, alphabet, 45) + ".foo.co.uk", Frames.ip("10.0.9.9"), 0);
        // Client C: one long name, asked again and again, and ordinary names: never unique.
        conv.dns(d, id++, "x".repeat(50) + ".static.example.com", Frames.ip("10.0.9.9"), 0);
        conv.dns(d, id++, "www" + i + ".example.com", Frames.ip("10.0.9.9"), 0);
        conv.advance(100 * MS);
      }
    }
    List<Map<String, Object>> ev = replay("tunnel.pcap", "dns.alert.tunnel.names", "5");
    List<Map<String, Object>> t = alerts(ev, 11);
    assertEquals(2, allAlerts(ev).size(), () -> "alerts: " + allAlerts(ev));
    assertEquals(List.of("10.0.1.16", "10.0.1.17"),
        t.stream().map(x -> x.get("src_ip")).collect(Collectors.toList()));
    assertTrue(detail(t.get(0)).contains(" under exfil.com from client 10.0.1.16"),
        detail(t.get(0)));
    assertTrue(detail(t.get(1)).contains(" under foo.co.uk from client 10.0.1.17"),
        detail(t.get(1)));
  }

  private static String random(SplittableRandom r, String alphabet, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Test
  void shannonEntropyOfBase32IsAboveTheDefaultAndOfWordsBelow() {
    assertTrue(entropy("mfrggzdfmztwq2lknnwg23tp") >= 3.5);
    assertTrue(entropy("wwwmailexampleserver") < 3.5);
  }

  private static double entropy(String s) {
    int[] counts = new int[256];
    for (byte b : s.getBytes(StandardCharsets.US_ASCII)) {
      counts[b & 0xFF]++;
    }
    return AppFindings.entropy(counts, s.length());
  }

  // ---- TLS ----

  /** The self-signed test certificate of TlsEveTest: valid 2026-11-30 to 2027-11-30. */
  private static final byte[] CERT = Base64.getDecoder().decode(
      "MIIB/TCCAaOgAwIBAgIJAMEjRWeJq83vMAoGCCqGSM49BAMCMEQxCzAJBgNVBAYTAlVTMRowGAYDVQQKDBFNaXJy"
      + "b3IgVGVzdCwgSW5jLjEZMBcGA1UEAwwQd3d3LmV4YW1wbGUudGVzdDAeFw0yNjExMzAyMDE5MjdaFw0yNzEx"
      + "MzAyMDE5MjdaMEQxCzAJBgNVBAYTAlVTMRowGAYDVQQKDBFNaXJyb3IgVGVzdCwgSW5jLjEZMBcGA1UEAwwQ"
      + "d3d3LmV4YW1wbGUudGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABE2rMwaotnBhk5F99SVGKa67PIlP"
      + "N1PMr4Goug2VawxeWbYeQYjvwGKqWtP+FnlnMf1lE6HKtwow6HIT75bZ58WjfjB8MB0GA1UdDgQWBBQC6f1Y"
      + "prg8H0VC0Y9p5/76Y55MbTAfBgNVHSMEGDAWgBQC6f1Yprg8H0VC0Y9p5/76Y55MbTAPBgNVHRMBAf8EBTAD"
      + "AQH/MCkGA1UdEQQiMCCCEHd3dy5leGFtcGxlLnRlc3SCDGV4YW1wbGUudGVzdDAKBggqhkjOPQQDAgNIADBF"
      + "AiAiobx/M62B8MSTn+aPtUmygQONlymvOPiPgaNquXVitgIhAOOhgF/0LWZx0VpTK2hfvFnyHgjWx7PcfGjj"
      + "FRnCBudU");

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  private static byte[] unhex(String s) {
    byte[] r = new byte[s.length() / 2];
    for (int i = 0; i < r.length; i++) {
      r[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return r;
  }

  private static String h16(int v) {
    return String.format("%04x", v);
  }

  private static String h24(int v) {
    return String.format("%06x", v);
  }

  private static String handshake(int type, String body) {
    return String.format("%02x", type) + h24(body.length() / 2) + body;
  }

  private static String record(String hs) {
    return "160303" + h16(hs.length() / 2) + hs;
  }

  /** A TLS 1.2 ClientHello (RFC 8446 4.1.2 layout), with server_name when {@code sni}. */
  private static byte[] clientHello(String sni) {
    String exts = "000a" + "0006" + "0004" + "001d" + "0017" + "000b" + "0002" + "01" + "00";
    if (sni != null) {
      exts = "0000" + h16(sni.length() + 5) + h16(sni.length() + 3) + "00" + h16(sni.length())
          + hex(ascii(sni)) + exts;
    }
    String ch = "0303" + "00".repeat(32) + "00" + "0004" + "c02f" + "1301" + "0100"
        + h16(exts.length() / 2) + exts;
    return unhex(record(handshake(1, ch)) + "140303000101");
  }

  /** ServerHello, Certificate (the test certificate), ServerHelloDone, ChangeCipherSpec. */
  private static byte[] serverFlight() {
    String sh = "0303" + "11".repeat(32) + "00" + "c02f" + "00" + "0005" + "ff01000100";
    String certMsg = h24(CERT.length + 3) + h24(CERT.length) + hex(CERT);
    return unhex(record(handshake(2, sh) + handshake(11, certMsg) + handshake(14, ""))
        + "140303000101");
  }

  @Test
  void tlsCertificateValidityPlainPortsAndMissingSni() throws IOException {
    long notYet = T0; // 2024: before notBefore
    long valid = 1_798_000_000L * S; // 2026-12-23: inside the validity
    long expired = 1_830_000_000L * S; // 2027-12-29: after notAfter
    try (Capture c = new Capture("tls.pcap")) {
      Conversations conv = new Conversations(c, notYet, 7);
      conv.tcp(Endpoints.of("10.0.1.20", 43000, "10.0.2.43", 443), clientHello("www.example.test"),
          serverFlight());
      // TLS to port 80, no SNI: sid 14 only (sid 15 is about 443 and off by default).
      conv.tcp(Endpoints.of("10.0.1.20", 43001, "10.0.2.43", 80), clientHello(null),
          serverFlight());
      conv.advance(valid - conv.now());
      conv.tcp(Endpoints.of("10.0.1.20", 43002, "10.0.2.43", 443), clientHello(null),
          serverFlight());
      conv.advance(expired - conv.now());
      conv.tcp(Endpoints.of("10.0.1.20", 43003, "10.0.2.43", 443), clientHello("www.example.test"),
          serverFlight());
    }
    List<Map<String, Object>> ev = replay("tls.pcap");
    assertEquals(4, ev.stream().filter(e -> "tls".equals(e.get("event_type"))).count());
    assertEquals(List.of(43000L, 43001L), alerts(ev, 13).stream().map(a -> a.get("src_port"))
        .collect(Collectors.toList()), "not yet valid in 2024 (both 2024 flows carry it)");
    assertEquals(List.of(43001L), alerts(ev, 14).stream().map(a -> a.get("src_port"))
        .collect(Collectors.toList()));
    assertEquals(List.of(43003L), alerts(ev, 12).stream().map(a -> a.get("src_port"))
        .collect(Collectors.toList()));
    assertEquals(4, allAlerts(ev).size(), () -> "alerts: " + allAlerts(ev));
    assertEquals("TLS ClientHello to port 80", detail(alerts(ev, 14).get(0)));
    assertTrue(detail(alerts(ev, 12).get(0)).contains("to 2027-11-30T20:19:27 (SNI www.example"),
        detail(alerts(ev, 12).get(0)));

    List<Map<String, Object>> on = replay("tls.pcap", "tls.alert.sni_missing_443", "true",
        "tls.alert.certificate_validity", "false", "tls.alert.plain_ports", "off");
    assertEquals(List.of(43002L), alerts(on, 15).stream().map(a -> a.get("src_port"))
        .collect(Collectors.toList()));
    assertEquals(1, allAlerts(on).size(), () -> "alerts: " + allAlerts(on));
  }

  // ---- anomalies ----

  @Test
  void appLayerAnomaliesAreRateLimitedAnomalyEvents() throws IOException {
    try (Capture c = new Capture("anomaly.pcap")) {
      Conversations conv = new Conversations(c, T0, 8);
      byte[] folded = ascii("GET / HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n two\r\n\r\n");
      for (int i = 0; i < 3; i++) {
        conv.tcp(Endpoints.of("10.0.1.30", 44000 + i, "10.0.2.30", 80), folded,
            ascii("HTTP/1.1 204 No Content\r\n\r\n"));
      }
    }
    List<Map<String, Object>> ev = replay("anomaly.pcap", "anomaly.events_per_id_per_minute",
        "2");
    List<Map<String, Object>> an = ev.stream().filter(e -> "anomaly".equals(e.get("event_type")))
        .collect(Collectors.toList());
    assertEquals(2, an.size(), () -> "anomalies: " + an);
    Map<String, Object> a = an.get(0);
    assertEquals("applayer", Json.at(a, "anomaly.type"));
    assertEquals("http.obsolete_line_folding", Json.at(a, "anomaly.event"));
    assertEquals("http", Json.at(a, "anomaly.layer"));
    assertEquals("10.0.1.30", a.get("src_ip"));
    assertEquals(44000L, a.get("src_port"));
    assertEquals(80L, a.get("dest_port"));
    assertTrue(a.get("flow_id") instanceof Long);
    Map<String, Object> stats = ev.stream().filter(e -> "stats".equals(e.get("event_type")))
        .findFirst().orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> counts = (Map<String, Object>) Json.at(stats, "stats.app.events");
    assertEquals(3L, counts.get("http.obsolete_line_folding"), "the counter keeps every one");
  }

  @Test
  void badAppAlertValuesAreRejectedByName() {
    Properties p = new Properties();
    p.setProperty("dns.alert.tunnel.entropy", "lots");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.fromProperties(p, "t.properties"));
    assertTrue(e.getMessage().contains("dns.alert.tunnel.entropy=lots"), e.getMessage());
    SensorConfig d = SensorConfig.defaults();
    assertEquals(2 * S, d.appAlerts().httpSlowResponseNanos());
    assertTrue(d.appAlerts().plainPort(80));
    assertTrue(!d.appAlerts().tlsSniMissing443());
  }
}

package io.mirrorsensor.decode.app.tls;

import static io.mirrorsensor.decode.app.tls.TlsBytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TLS parser on hand-built bytes ({@link TlsBytes}). Published fingerprints used as
 * independent answers:
 *
 * <ul>
 *   <li>FoxIO-LLC/ja4 technical_details/JA4.md, "Example" and "Extension hash": the ciphers,
 *       extensions (original order, {@code JA4_ro}) and signature algorithms of its example give
 *       {@code t13d1516h2_8daaf6152771_e5627efa2ab1}; the sorted extensions without signature
 *       algorithms hash to {@code 6d807ffa2a79}.
 *   <li>A browserleaks.com record of Chrome 143 (public repository service0427/v2_cp_app, tls.md):
 *       {@code ja4_ro} gives the order, {@code ja3_text} the groups and point formats; expected
 *       {@code ja3_hash 98487aa16281980e7d1120d399efb6a4} and {@code ja4
 *       t13d1516h2_8daaf6152771_d8a2da3f94cd}.
 * </ul>
 */
class TlsParserTest {
  static final long T0 = 1_700_000_000_000_000_000L;
  static final int[] CHROME_CIPHERS = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
      0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
  static final int[] SIGALGS = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};

  /**
   * Self-signed P-256 certificate made for these tests with OpenSSL 3.0.19: {@code openssl req
   * -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/C=US/O=Mirror Test,
   * Inc./CN=www.example.test" -addext "subjectAltName=DNS:www.example.test,DNS:example.test"
   * -days 365 -set_serial 0x00c123456789abcdef -outform DER}. notBefore 2026-11-30T20:19:27Z,
   * notAfter 2027-11-30T20:19:27Z.
   */
  static final byte[] CERT = Base64.getDecoder().decode(
      "MIIB/TCCAaOgAwIBAgIJAMEjRWeJq83vMAoGCCqGSM49BAMCMEQxCzAJBgNVBAYTAlVTMRowGAYDVQQKDBFNaXJy"
      + "b3IgVGVzdCwgSW5jLjEZMBcGA1UEAwwQd3d3LmV4YW1wbGUudGVzdDAeFw0yNjExMzAyMDE5MjdaFw0yNzEx"
      + "MzAyMDE5MjdaMEQxCzAJBgNVBAYTAlVTMRowGAYDVQQKDBFNaXJyb3IgVGVzdCwgSW5jLjEZMBcGA1UEAwwQ"
      + "d3d3LmV4YW1wbGUudGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABE2rMwaotnBhk5F99SVGKa67PIlP"
      + "N1PMr4Goug2VawxeWbYeQYjvwGKqWtP+FnlnMf1lE6HKtwow6HIT75bZ58WjfjB8MB0GA1UdDgQWBBQC6f1Y"
      + "prg8H0VC0Y9p5/76Y55MbTAfBgNVHSMEGDAWgBQC6f1Yprg8H0VC0Y9p5/76Y55MbTAPBgNVHRMBAf8EBTAD"
      + "AQH/MCkGA1UdEQQiMCCCEHd3dy5leGFtcGxlLnRlc3SCDGV4YW1wbGUudGVzdDAKBggqhkjOPQQDAgNIADBF"
      + "AiAiobx/M62B8MSTn+aPtUmygQONlymvOPiPgaNquXVitgIhAOOhgF/0LWZx0VpTK2hfvFnyHgjWx7PcfGjj"
      + "FRnCBudU");

  /** Chrome 143 as browserleaks recorded it, with GREASE added where Chrome puts it. */
  static byte[] chromeHello() {
    int[] ciphers = new int[CHROME_CIPHERS.length + 1];
    ciphers[0] = 0x4a4a;
    System.arraycopy(CHROME_CIPHERS, 0, ciphers, 1, CHROME_CIPHERS.length);
    return clientHello(0x0303, ciphers,
        ext(0x1a1a, new byte[0]),
        ext(0x002d, hex("0101")),
        keyShare(0x2a2a, 4588, 29),
        alpn("h2", "http/1.1"),
        ext(0xfe0d, hex("0000010001c0002000")),
        ext(0x0017, new byte[0]),
        ext(0x44cd, hex("0003026832")),
        sni("tls.browserleaks.com"),
        pointFormats(0),
        list16(0x000a, 0x3a3a, 4588, 29, 23, 24),
        supportedVersions(0x5a5a, 0x0304, 0x0303),
        ext(0xff01, hex("00")),
        ext(0x0023, new byte[0]),
        ext(0x0012, new byte[0]),
        ext(0x0005, hex("0100000000")),
        list16(0x000d, SIGALGS),
        ext(0x001b, hex("020002")),
        ext(0xfafa, hex("00")));
  }

  /** The JA4.md example, extensions in its JA4_ro order. */
  static byte[] foxioHello(boolean sigalgs) {
    return clientHello(0x0303, CHROME_CIPHERS,
        ext(0x001b, hex("020002")), sni("example.com"), keyShare(29), alpn("h2", "http/1.1"),
        ext(0x4469, hex("0003026832")), ext(0x0017, new byte[0]), ext(0x002d, hex("0101")),
        sigalgs ? list16(0x000d, SIGALGS) : list16(0x000d), ext(0x0005, hex("0100000000")),
        ext(0x0023, new byte[0]), ext(0x0012, new byte[0]), supportedVersions(0x0304, 0x0303),
        ext(0xff01, hex("00")), pointFormats(0), list16(0x000a, 29, 23, 24),
        ext(0x0015, new byte[8]));
  }

  static final class Recorder implements TlsListener {
    final List<String> calls = new ArrayList<>();
    final List<TlsEvent> events = new ArrayList<>();
    TlsTransaction completed;

    @Override
    public void clientHello(TlsTransaction t) {
      calls.add("clientHello");
    }

    @Override
    public void serverHello(TlsTransaction t) {
      calls.add("serverHello");
    }

    @Override
    public void certificate(TlsTransaction t) {
      calls.add("certificate");
    }

    @Override
    public void complete(TlsTransaction t) {
      calls.add("complete");
      assertNull(completed, "complete twice");
      completed = t;
    }

    @Override
    public void event(TlsEvent e, long tsNanos) {
      events.add(e);
    }
  }

  static TlsHello parseHello(byte[] body) {
    TlsHello h = new TlsHello(true, 64);
    assertTrue(h.parse(body, 0, body.length, null, T0));
    return h;
  }

  static String md5(String s) throws Exception {
    byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII));
    StringBuilder r = new StringBuilder();
    for (byte x : d) {
      r.append(String.format("%02x", x));
    }
    return r.toString();
  }

  @Test
  void chromeHelloGivesPublishedJa3AndJa4() {
    TlsHello h = parseHello(chromeHello());
    assertEquals("771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47"
        + "-53,45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0",
        h.ja3String());
    assertEquals("98487aa16281980e7d1120d399efb6a4", h.ja3Hash());
    assertEquals("t13d1516h2_8daaf6152771_d8a2da3f94cd", h.ja4());
  }

  @Test
  void foxioExampleGivesPublishedJa4() {
    assertEquals("t13d1516h2_8daaf6152771_e5627efa2ab1", parseHello(foxioHello(true)).ja4());
    // Without signature algorithms the extension string ends without '_' (JA4.md).
    assertEquals("t13d1516h2_8daaf6152771_6d807ffa2a79", parseHello(foxioHello(false)).ja4());
  }

  @Test
  void indexesEveryClientHelloField() {
    TlsHello h = parseHello(chromeHello());
    assertEquals(0x0303, h.legacyVersion());
    assertEquals(0x0304, h.effectiveVersion());
    assertEquals(0, h.random()[0]);
    assertEquals(31, h.random()[31]);
    assertEquals(32, h.sessionIdLength());
    assertEquals(16, h.cipherSuiteCount());
    assertTrue(TlsHello.isGrease(h.cipherSuite(0)));
    assertArrayEquals(new int[] {0}, h.compressionMethods());
    assertEquals(18, h.extensionCount());
    assertEquals("tls.browserleaks.com", h.sni());
    assertEquals(List.of("h2", "http/1.1"), h.alpns());
    assertArrayEquals(new int[] {0x5a5a, 0x0304, 0x0303}, h.supportedVersions());
    assertArrayEquals(new int[] {0x3a3a, 4588, 29, 23, 24}, h.supportedGroups());
    assertArrayEquals(new int[] {0}, h.ecPointFormats());
    assertArrayEquals(SIGALGS, h.signatureAlgorithms());
    assertArrayEquals(new int[] {0x2a2a, 4588, 29}, h.keyShareGroups());
  }

  @Test
  void recognisesAllSixteenGreaseValues() {
    int n = 0;
    for (int v = 0; v < 0x10000; v++) {
      if (TlsHello.isGrease(v)) {
        n++;
        assertEquals(0x0a0a, v & 0x0f0f);
      }
    }
    assertEquals(16, n);
    assertFalse(TlsHello.isGrease(0x0a1a));
  }

  @Test
  void sslv3HelloWithoutExtensions() throws Exception {
    byte[] body = clientHello(0x0300, new int[] {0x002f, 0x000a});
    TlsHello h = parseHello(body);
    assertEquals("768,47-10,,,", h.ja3String());
    assertEquals(md5("768,47-10,,,"), h.ja3Hash());
    assertEquals("ts3i020000_" + TlsHello.hexDigest("SHA-256", "000a,002f", 12)
        + "_000000000000", h.ja4());
  }

  @Test
  void ja4AlpnUsesHexWhenNotAlphanumeric() {
    String s = new String(new byte[] {0x30, (byte) 0xab}, StandardCharsets.ISO_8859_1);
    assertEquals("3b", parseHello(clientHello(0x0303, new int[] {0x1301}, alpn(s))).ja4()
        .substring(8, 10));
    assertEquals("h1", parseHello(clientHello(0x0303, new int[] {0x1301}, alpn("http/1.1")))
        .ja4().substring(8, 10));
    assertEquals("00", parseHello(clientHello(0x0303, new int[] {0x1301}, alpn(""))).ja4()
        .substring(8, 10));
    assertEquals("t12i0101aa", parseHello(clientHello(0x0303, new int[] {0x1301}, alpn("a")))
        .ja4().substring(0, 10));
  }

  @Test
  void serverHelloGivesJa3sAndSelectedVersion() throws Exception {
    byte[] sh = serverHello(0x0303, new byte[32], 0xc02f, ext(0xff01, hex("00")),
        ext(0x0000, new byte[0]), pointFormats(0), ext(0x0023, new byte[0]), alpn("h2"));
    TlsHello h = new TlsHello(false, 64);
    assertTrue(h.parse(sh, 0, sh.length, null, T0));
    assertEquals("771,49199,65281-0-11-35-16", h.ja3String());
    assertEquals(md5("771,49199,65281-0-11-35-16"), h.ja3Hash());
    assertEquals(List.of("h2"), h.alpns());
    assertEquals(0x0303, h.effectiveVersion());
    assertNull(h.ja4());
    assertFalse(h.isHelloRetryRequest());
  }

  // ---- whole connections ----

  /** A TLS 1.2 connection: client and server streams, each split in records as a server does. */
  static byte[][] tls12Connection() {
    byte[] ch = handshake(1, chromeHelloTls12());
    // The ClientHello split across two records: a handshake message spanning records.
    byte[] client = cat(record(22, 0x0301, Arrays.copyOfRange(ch, 0, 100)),
        record(22, 0x0303, Arrays.copyOfRange(ch, 100, ch.length)),
        record(22, 0x0303, handshake(16, hex("20" + "11".repeat(32)))),
        record(20, 0x0303, hex("01")),
        record(22, 0x0303, new byte[40]), // encrypted Finished: not parsed
        record(23, 0x0303, new byte[64]));
    byte[] sh = handshake(2, serverHello(0x0303, new byte[32], 0xc02f, ext(0xff01, hex("00")),
        pointFormats(0), alpn("h2")));
    // ServerHello, Certificate and ServerHelloDone in one record: several messages per record.
    byte[] server = cat(record(22, 0x0303, cat(sh, handshake(11, certificate(CERT, CERT)),
        handshake(14, new byte[0]))),
        record(20, 0x0303, hex("01")),
        record(22, 0x0303, new byte[40]));
    return new byte[][] {client, server};
  }

  static byte[] chromeHelloTls12() {
    return clientHello(0x0303, CHROME_CIPHERS, sni("www.example.test"), alpn("h2", "http/1.1"),
        list16(0x000a, 29, 23), pointFormats(0), list16(0x000d, SIGALGS));
  }

  static String summary(TlsTransaction t) {
    TlsCertificate c = t.certificate();
    return String.join("|", t.sni(), t.client().ja3String(), t.client().ja4(),
        t.server() == null ? "-" : t.server().ja3String(), t.versionText(),
        c == null ? "-" : c.subject() + "/" + c.issuer() + "/" + c.serial() + "/"
            + c.notBeforeText() + "/" + c.notAfterText() + "/" + c.dnsNames(),
        Integer.toString(t.certificateCount()), Integer.toString(t.clientHellos()));
  }

  static Recorder feed(byte[][] conn, int chunk) {
    Recorder r = new Recorder();
    TlsParser p = new TlsParser(TlsConfig.defaults(), r);
    p.time(T0);
    for (int dir = 0; dir < 2; dir++) {
      byte[] s = conn[dir];
      for (int i = 0; i < s.length; i += chunk) {
        int n = Math.min(chunk, s.length - i);
        // A fresh array per chunk: the parser may not keep the caller's buffer.
        byte[] copy = Arrays.copyOfRange(s, i, i + n);
        (dir == 0 ? p.toServer() : p.toClient()).data(copy, 0, n, i);
        Arrays.fill(copy, (byte) 0x55);
      }
    }
    p.close();
    assertTrue(p.isTls());
    return r;
  }

  @Test
  void chainAndRandomsAreExposedForRules() {
    TlsTransaction t = feed(tls12Connection(), 7).completed;
    assertEquals(2, t.chainCount());
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(CERT, Arrays.copyOfRange(t.chainBytes(), t.chainOffset(i),
          t.chainOffset(i) + t.chainLength(i)));
    }
    assertEquals(List.of("www.example.test", "example.test"),
        Arrays.stream(t.subjectAltNames()).map(b -> new String(b, StandardCharsets.UTF_8)).toList());
    assertEquals(32, t.length(TlsBuffer.SERVER_RANDOM));
    assertArrayEquals(t.server().random(), Arrays.copyOfRange(t.bytes(TlsBuffer.SERVER_RANDOM),
        t.offset(TlsBuffer.SERVER_RANDOM), t.offset(TlsBuffer.SERVER_RANDOM) + 32));
    assertArrayEquals(t.client().random(), Arrays.copyOfRange(t.bytes(TlsBuffer.CLIENT_RANDOM),
        t.offset(TlsBuffer.CLIENT_RANDOM), t.offset(TlsBuffer.CLIENT_RANDOM) + 32));
  }

  @Test
  void tls12ConnectionGivesHellosAndCertificate() {
    Recorder r = feed(tls12Connection(), Integer.MAX_VALUE);
    assertEquals(List.of("clientHello", "serverHello", "certificate", "complete"), r.calls);
    assertEquals(List.of(), r.events);
    TlsTransaction t = r.completed;
    assertEquals("TLS 1.2", t.versionText());
    TlsCertificate c = t.certificate();
    assertEquals("C=US, O=Mirror Test, Inc., CN=www.example.test", c.subject());
    assertEquals(c.subject(), c.issuer());
    assertEquals("00:C1:23:45:67:89:AB:CD:EF", c.serial());
    assertEquals("2026-11-30T20:19:27", c.notBeforeText());
    assertEquals("2027-11-30T20:19:27", c.notAfterText());
    assertEquals(List.of("www.example.test", "example.test"), c.dnsNames());
    assertEquals(2, t.certificateCount());
    assertEquals(List.of("h2"), t.server().alpns());
    assertEquals("www.example.test", new String(t.bytes(TlsBuffer.SNI), t.offset(TlsBuffer.SNI),
        t.length(TlsBuffer.SNI), StandardCharsets.US_ASCII));
    assertEquals(c.subject(), t.text(TlsBuffer.CERT_SUBJECT));
    assertEquals(c.serial(), new String(t.bytes(TlsBuffer.CERT_SERIAL), StandardCharsets.UTF_8));
    assertEquals("TLS 1.2", t.text(TlsBuffer.VERSION));
    assertEquals(t.client().ja3Hash(), t.text(TlsBuffer.JA3_HASH));
    assertEquals(t.client().ja3String(), t.text(TlsBuffer.JA3_STRING));
    assertEquals(t.server().ja3Hash(), t.text(TlsBuffer.JA3S_HASH));
    assertEquals(t.client().ja4(), t.text(TlsBuffer.JA4_HASH));
    assertTrue(c.invalidAt(1_700_000_000L), "before notBefore");
    assertFalse(c.invalidAt(1_800_000_000L));
  }

  @Test
  void anySegmentationGivesTheSameResult() {
    byte[][] conn = tls12Connection();
    String whole = summary(feed(conn, Integer.MAX_VALUE).completed);
    for (int chunk = 1; chunk <= conn[1].length; chunk++) {
      Recorder r = feed(conn, chunk);
      assertEquals(whole, summary(r.completed), "chunk " + chunk);
      assertEquals(List.of(), r.events, "chunk " + chunk);
    }
  }

  @Test
  void tls13StopsAtServerHello() {
    byte[] client = cat(record(22, 0x0301, handshake(1, chromeHello())),
        record(20, 0x0303, hex("01")), record(23, 0x0303, new byte[50]));
    byte[] server = cat(record(22, 0x0303, handshake(2, serverHello(0x0303, new byte[32], 0x1301,
        serverSupportedVersion(0x0304), ext(0x0033, cat(hex("001d0020"), new byte[32]))))),
        record(20, 0x0303, hex("01")),
        // Encrypted records; a bogus header too, to show nothing after ServerHello is read.
        record(23, 0x0303, new byte[300]), hex("ff0303ffff"));
    Recorder r = feed(new byte[][] {client, server}, Integer.MAX_VALUE);
    assertEquals(List.of("clientHello", "serverHello", "complete"), r.calls);
    assertEquals(List.of(), r.events);
    assertEquals("TLS 1.3", r.completed.versionText());
    assertArrayEquals(new int[] {0x001d}, r.completed.server().keyShareGroups());
    assertNull(r.completed.certificate());
  }

  @Test
  void helloRetryRequestAllowsASecondClientHello() {
    byte[] hrrRandom = hex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
    byte[] ch = record(22, 0x0301, handshake(1, chromeHello()));
    byte[] hrr = record(22, 0x0303, handshake(2, serverHello(0x0303, hrrRandom, 0x1301,
        serverSupportedVersion(0x0304), ext(0x0033, hex("0017")))));
    byte[] server = cat(hrr, record(22, 0x0303, handshake(2, serverHello(0x0303, new byte[32],
        0x1301, serverSupportedVersion(0x0304)))));
    Recorder r = new Recorder();
    TlsParser p = new TlsParser(TlsConfig.defaults(), r);
    p.toServer().data(ch, 0, ch.length, 0);
    int hrrLen = hrr.length;
    p.toClient().data(server, 0, hrrLen, 0);
    assertTrue(r.completed == null && p.transaction().helloRetry());
    assertArrayEquals(new int[] {0x0017}, p.transaction().server().keyShareGroups());
    assertEquals(-1, p.transaction().version());
    p.toServer().data(ch, 0, ch.length, ch.length);
    p.toClient().data(server, hrrLen, server.length - hrrLen, hrrLen);
    assertEquals(List.of("clientHello", "serverHello", "clientHello", "serverHello", "complete"),
        r.calls);
    assertEquals(List.of(), r.events);
    assertEquals(2, r.completed.clientHellos());
    assertEquals("TLS 1.3", r.completed.versionText());
    // A third ClientHello is more than a HelloRetryRequest explains.
    p.toServer().data(ch, 0, ch.length, 2L * ch.length);
    assertEquals(List.of(TlsEvent.MULTIPLE_CLIENT_HELLO), r.events);
  }

  // ---- detection and malformed input ----

  @Test
  void probeAcceptsClientHelloRecordsOnly() {
    byte[] ch = record(22, 0x0301, handshake(1, chromeHello()));
    assertEquals(TlsParser.PROBE_YES, TlsParser.probe(ch, 0, ch.length));
    assertEquals(TlsParser.PROBE_NEED_MORE, TlsParser.probe(ch, 0, 5));
    assertEquals(TlsParser.PROBE_NO, TlsParser.probe("GET / HTTP/1.1".getBytes(), 0, 14));
    assertEquals(TlsParser.PROBE_NO, TlsParser.probe(hex("160305"), 0, 3));
    assertEquals(TlsParser.PROBE_NO, TlsParser.probe(hex("1603010000"), 0, 5));
    assertEquals(TlsParser.PROBE_NO, TlsParser.probe(hex("160301000402"), 0, 6));
  }

  @Test
  void httpIsNotTlsAndRaisesNothing() {
    Recorder r = new Recorder();
    TlsParser p = new TlsParser(TlsConfig.defaults(), r);
    byte[] get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    p.toServer().data(get, 0, get.length, 0);
    byte[] resp = "HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    p.toClient().data(resp, 0, resp.length, 0);
    p.close();
    assertTrue(p.notTls());
    assertEquals(List.of(), r.calls);
    assertEquals(List.of(), r.events);
  }

  private static Recorder client(TlsConfig cfg, byte[]... chunks) {
    Recorder r = new Recorder();
    TlsParser p = new TlsParser(cfg, r);
    long off = 0;
    for (byte[] c : chunks) {
      if (c == null) {
        p.toServer().gap(off, 10);
        off += 10;
      } else {
        p.toServer().data(c, 0, c.length, off);
        off += c.length;
      }
    }
    p.close();
    return r;
  }

  @Test
  void namesMalformedRecordLayer() {
    byte[] ch = record(22, 0x0301, handshake(1, chromeHello()));
    assertEquals(List.of(TlsEvent.INVALID_RECORD_TYPE),
        client(TlsConfig.defaults(), ch, hex("6303030001ff")).events);
    assertEquals(List.of(TlsEvent.RECORD_TOO_LONG),
        client(TlsConfig.defaults(), ch, hex("160303ffff")).events);
    assertEquals(List.of(TlsEvent.INVALID_RECORD_VERSION),
        client(TlsConfig.defaults(), ch, hex("1602000001")).events);
    assertEquals(List.of(TlsEvent.EMPTY_RECORD),
        client(TlsConfig.defaults(), ch, hex("1603030000")).events);
    Recorder tooMany = client(new TlsConfig(65536, 32768, 64, 3), ch, hex("150303000201001503030002"
        + "0100150303000201 00".replace(" ", "")));
    assertEquals(List.of(TlsEvent.TOO_MANY_RECORDS), tooMany.events);
  }

  @Test
  void gapBeforeEncryptionStopsTheDirection() {
    byte[] ch = record(22, 0x0301, handshake(1, chromeHello()));
    Recorder r = client(TlsConfig.defaults(), Arrays.copyOf(ch, 50), null, ch);
    assertEquals(List.of(TlsEvent.STREAM_GAP), r.events);
    assertEquals(List.of(), r.calls);
    // Picked up midstream (a gap first): nothing to start from, no anomaly.
    assertEquals(List.of(), client(TlsConfig.defaults(), null, ch).events);
  }

  @Test
  void namesMalformedHellos() {
    byte[] body = chromeHello();
    byte[] truncated = Arrays.copyOf(body, 40 + 32);
    // Cipher-suite length pointing past the message.
    Recorder r = client(TlsConfig.defaults(), record(22, 0x0301, handshake(1, truncated)));
    assertEquals(List.of(TlsEvent.INVALID_HANDSHAKE), r.events);
    assertEquals(List.of(), r.calls);

    Recorder big = client(new TlsConfig(128, 32768, 64, 256),
        record(22, 0x0301, handshake(1, body)));
    assertEquals(List.of(TlsEvent.HANDSHAKE_TOO_LONG), big.events);

    Recorder many = client(new TlsConfig(65536, 32768, 4, 256),
        record(22, 0x0301, handshake(1, foxioHello(true))));
    assertEquals(List.of(TlsEvent.TOO_MANY_EXTENSIONS), many.events);
    // Counted beyond the index (JA4 "16"), hashed only from the indexed ones.
    assertEquals("t13d1516", many.completed.client().ja4().substring(0, 8));

    Recorder dup = client(TlsConfig.defaults(), record(22, 0x0301, handshake(1,
        clientHello(0x0303, new int[] {0x1301}, sni("a.example"), sni("b.example")))));
    assertEquals(List.of(TlsEvent.DUPLICATE_EXTENSION), dup.events);
    assertEquals("a.example", dup.completed.sni());

    Recorder badSni = client(TlsConfig.defaults(), record(22, 0x0301, handshake(1,
        clientHello(0x0303, new int[] {0x1301}, ext(0, hex("0005000003")) ))));
    assertEquals(List.of(TlsEvent.INVALID_SNI), badSni.events);
    assertNull(badSni.completed.sni());
    assertEquals('d', badSni.completed.client().ja4().charAt(3), "the extension is there");
  }

  @Test
  void namesBadCertificates() {
    byte[] ch = record(22, 0x0301, handshake(1, chromeHelloTls12()));
    byte[] sh = handshake(2, serverHello(0x0303, new byte[32], 0xc02f));
    for (Object[] c : new Object[][] {
        {TlsConfig.defaults(), new byte[] {0x30, 0x03, 1, 2, 3}, TlsEvent.INVALID_CERTIFICATE},
        {new TlsConfig(65536, 100, 64, 256), CERT, TlsEvent.CERTIFICATE_TOO_LONG}}) {
      Recorder r = new Recorder();
      TlsParser p = new TlsParser((TlsConfig) c[0], r);
      p.toServer().data(ch, 0, ch.length, 0);
      byte[] s = record(22, 0x0303, cat(sh, handshake(11, certificate((byte[]) c[1]))));
      p.toClient().data(s, 0, s.length, 0);
      p.close();
      assertEquals(List.of(c[2]), r.events);
      assertNull(r.completed.certificate());
      assertEquals("TLS 1.2", r.completed.versionText());
    }
  }

  @Test
  void sslv2CompatibleClientHelloIsIndexedWithoutFingerprints() {
    // RFC 5246 appendix E.2, in the shape of suricata-verify tls__tls-glupteba frame 4: two
    // specs (TLS_RSA_WITH_AES_128_CBC_SHA, SSL2_DES_192_EDE3_CBC_WITH_MD5), no session id, a
    // 16-byte challenge.
    byte[] body = cat(hex("010301" + "0006" + "0000" + "0010" + "00002f" + "0700c0"), new byte[16]);
    byte[] v2 = cat(new byte[] {(byte) 0x80, (byte) body.length}, body);
    assertEquals(TlsParser.PROBE_YES, TlsParser.probe(v2, 0, v2.length));
    Recorder r = client(TlsConfig.defaults(), v2, record(22, 0x0301, handshake(16, new byte[4])));
    assertEquals(List.of(), r.events);
    TlsHello h = r.completed.client();
    assertTrue(h.isSslv2());
    assertEquals(0x0301, h.legacyVersion());
    assertEquals(1, h.cipherSuiteCount());
    assertEquals(0x002f, h.cipherSuite(0));
    assertNull(h.ja3String());
    assertNull(h.ja4());
  }
}

package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorsensor.decode.app.dns.DnsConfig;
import io.mirrorsensor.decode.app.dns.DnsParser;
import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.tls.TlsConfig;
import io.mirrorsensor.decode.app.tls.TlsParser;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * tls.certs, tls.subjectaltname, tls.random*, dns.opcode, dns.rcode and dns.answers.rrname on
 * transactions the real parsers made: a TLS 1.2 server flight with a two-certificate chain (RFC
 * 5246 section 7.4.2) and DNS messages after RFC 1035 section 4.1.
 */
class TlsDnsKeywordTest {
  /**
   * The decoders' test certificate (TlsParserTest.CERT): self-signed P-256, subject {@code
   * C=US, O=Mirror Test, Inc., CN=www.example.test}, SAN DNS:www.example.test, DNS:example.test.
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
  /** A second chain entry: not DER, but tls.certs inspects raw bytes, as Suricata does. */
  static final byte[] INTERMEDIATE = "intermediate-ca-bytes".getBytes(StandardCharsets.US_ASCII);

  static TlsTransaction tls12WithChain() {
    TlsParser p = new TlsParser(TlsConfig.defaults(), t -> {});
    byte[] ch = AppLayerDetectorTest.clientHello("www.example.test");
    for (int i = 0; i < 32; i++) {
      ch[11 + i] = (byte) (0xA0 + i); // record(5) + handshake header(4) + version(2)
    }
    ByteArrayOutputStream sh = new ByteArrayOutputStream();
    sh.writeBytes(new byte[] {3, 3});
    for (int i = 0; i < 32; i++) {
      sh.write(0x10 + i);
    }
    sh.write(0);
    sh.writeBytes(new byte[] {(byte) 0xc0, 0x2f, 0, 0, 0});
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    for (byte[] c : new byte[][] {CERT, INTERMEDIATE}) {
      u24(list, c.length);
      list.writeBytes(c);
    }
    ByteArrayOutputStream cert = new ByteArrayOutputStream();
    u24(cert, list.size());
    cert.writeBytes(list.toByteArray());
    byte[] flight = cat(handshake(2, sh.toByteArray()), handshake(11, cert.toByteArray()),
        handshake(14, new byte[0]));
    ByteArrayOutputStream rec = new ByteArrayOutputStream();
    rec.writeBytes(new byte[] {0x16, 3, 3, (byte) (flight.length >>> 8), (byte) flight.length});
    rec.writeBytes(flight);
    byte[] server = rec.toByteArray();
    p.toServer().data(ch, 0, ch.length, 0);
    p.toClient().data(server, 0, server.length, 0);
    return p.transaction();
  }

  static byte[] handshake(int type, byte[] body) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(type);
    u24(o, body.length);
    o.writeBytes(body);
    return o.toByteArray();
  }

  static void u24(ByteArrayOutputStream o, int v) {
    o.write(v >>> 16);
    o.write(v >>> 8);
    o.write(v);
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  static List<Long> tlsSids(RuleSet set, TlsTransaction t) {
    Detector d = set.newDetector();
    List<Long> sids = new ArrayList<>();
    d.inspectTls(t, 1, new DetectorTest.Flow(set), (r, p) -> sids.add(r.sid()));
    sids.sort(null);
    return sids;
  }

  @Test
  void tlsCertsInspectsEveryCertificateOfTheChain() throws Exception {
    TlsTransaction t = tls12WithChain();
    assertEquals(2, t.chainCount());
    RuleSet set = AppLayerDetectorTest.load(
        // the server certificate's DER: its subject's CN bytes
        "alert tls any any -> any any (tls.certs; content:\"www.example.test\"; sid:1;)",
        // the second entry only
        "alert tls any any -> any any (tls.certs; content:\"intermediate-ca\"; startswith; sid:2;)",
        // the DER's first bytes: SEQUENCE, long form length 0x01FD, in the first certificate
        "alert tls any any -> any any (tls.certs; content:\"|30 82 01 fd|\"; startswith; bsize:513; sid:3;)",
        "alert tls any any -> any any (tls.certs; content:\"not in any\"; sid:4;)",
        // both contents in one certificate: no single one has both
        "alert tls any any -> any any (tls.certs; content:\"intermediate\"; content:\"example\"; sid:5;)",
        "alert tls any any -> any any (tls.certs; to_sha256; bsize:32; sid:6;)",
        "alert tls any any -> any any (tls.certs; content:\"intermediate\"; flow:to_server; sid:7;)");
    assertEquals(7, set.report().loaded(), set.report().summary());
    assertEquals(List.of(1L, 2L, 3L, 6L), tlsSids(set, t));
  }

  @Test
  void subjectAltNameAndRandom() throws Exception {
    TlsTransaction t = tls12WithChain();
    RuleSet set = AppLayerDetectorTest.load(
        "alert tls any any -> any any (tls.subjectaltname; content:\"example.test\"; startswith; endswith; sid:1;)",
        "alert tls any any -> any any (tls.subjectaltname; content:\"www.example.test\"; bsize:16; sid:2;)",
        "alert tls any any -> any any (tls.subjectaltname; content:\"other.test\"; sid:3;)",
        "alert tls any any -> any any (flow:to_server; tls.random; content:\"|a0 a1 a2 a3|\"; startswith; bsize:32; sid:4;)",
        "alert tls any any -> any any (flow:to_client; tls.random; content:\"|10 11 12 13|\"; startswith; bsize:32; sid:5;)",
        "alert tls any any -> any any (flow:to_client; tls.random_time; content:\"|10 11 12 13|\"; bsize:4; sid:6;)",
        "alert tls any any -> any any (flow:to_client; tls.random_bytes; content:\"|14 15|\"; startswith; bsize:28; sid:7;)",
        "alert tls any any -> any any (flow:to_server; tls.random; content:\"|10 11 12 13|\"; sid:8;)");
    assertEquals(8, set.report().loaded(), set.report().summary());
    assertEquals(List.of(1L, 2L, 4L, 5L, 6L, 7L), tlsSids(set, t));
  }

  @Test
  void transactionalRulesMatchRequestAndResponseOfOneTransaction() throws Exception {
    TlsTransaction t = tls12WithChain();
    String ja3 = t.client().ja3Hash();
    String ja3s = t.server().ja3Hash();
    RuleSet set = AppLayerDetectorTest.load(
        "alert tls any any => any any (ja3.hash; content:\"" + ja3 + "\"; ja3s.hash; content:\"" + ja3s + "\"; sid:1;)",
        "alert tls any any => any any (tls.sni; content:\"www.example.test\"; tls.certs; content:\"intermediate\"; sid:2;)",
        "alert tls any any => any any (ja3.hash; content:\"" + ja3 + "\"; ja3s.hash; content:\"0000\"; sid:3;)",
        "alert tcp any any => any any (content:\"x\"; sid:4;)",
        "alert tls any any => any any (sid:5;)");
    assertEquals(3, set.report().loaded(), set.report().summary());
    assertEquals(2, set.report().failed(), set.report().summary());
    assertEquals(List.of(1L, 2L), tlsSids(set, t));
  }

  // ---- DNS ----

  /** Header flags, one question, and {@code answers} A records named by the strings. */
  static byte[] dns(int id, int flags, String q, String... answers) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(new byte[] {(byte) (id >>> 8), (byte) id, (byte) (flags >>> 8), (byte) flags,
        0, 1, 0, (byte) answers.length, 0, 0, 0, 0});
    name(o, q);
    o.writeBytes(new byte[] {0, 1, 0, 1});
    for (String a : answers) {
      name(o, a);
      o.writeBytes(new byte[] {0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1});
    }
    return o.toByteArray();
  }

  static void name(ByteArrayOutputStream o, String n) {
    for (String l : n.split("\\.")) {
      o.write(l.length());
      o.writeBytes(l.getBytes(StandardCharsets.US_ASCII));
    }
    o.write(0);
  }

  static List<Long> dnsSids(RuleSet set, byte[] query, byte[] response) {
    Detector d = set.newDetector();
    DetectorTest.Flow flow = new DetectorTest.Flow(set);
    List<Long> sids = new ArrayList<>();
    Consumer<DnsTransaction> each = tx -> d.inspectDns(tx, 1, flow, (r, p) -> sids.add(r.sid()));
    DnsParser p = new DnsParser(DnsConfig.defaults(), each::accept);
    p.onMessage(query, 0, query.length, 1, false);
    p.onMessage(response, 0, response.length, 2, false);
    sids.sort(null);
    return sids;
  }

  @Test
  void opcodeAndRcodeReadTheMessageOfTheRulesDirection() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert dns any any -> any any (dns.opcode:4; flow:to_server; sid:1;)",
        "alert dns any any -> any any (dns.opcode:!0; flow:to_server; sid:2;)",
        "alert dns any any -> any any (dns.opcode:0; sid:3;)",
        "alert dns any any -> any any (dns.rcode:3; flow:to_client; sid:4;)",
        "alert dns any any -> any any (dns.rcode:!3; flow:to_client; sid:5;)",
        "alert dns any any -> any any (dns.rcode:0; flow:to_server; sid:6;)",
        "alert dns any any -> any any (dns.rcode:>2; flow:to_server; sid:7;)",
        // no flow direction: the query's or the response's code
        "alert dns any any -> any any (dns.rcode:3; sid:8;)");
    assertEquals(8, set.report().loaded(), set.report().summary());
    // a NOTIFY (opcode 4) query, answered NXDOMAIN (rcode 3)
    byte[] q = dns(7, 4 << 11, "example.com");
    byte[] r = dns(7, 0x8000 | 4 << 11 | 3, "example.com");
    assertEquals(List.of(1L, 2L, 4L, 6L, 8L), dnsSids(set, q, r));
    // a standard query answered NOERROR
    assertEquals(List.of(3L, 5L, 6L), dnsSids(set, dns(8, 0x0100, "example.com"),
        dns(8, 0x8180, "example.com")));
  }

  @Test
  void answerNamesAreEachInspected() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert dns any any -> any any (dns.answers.rrname; content:\"cdn.example.net\"; startswith; endswith; flow:to_client; sid:1;)",
        "alert dns any any -> any any (dns.answer.name; content:\"alias\"; flow:to_client; sid:2;)",
        "alert dns any any -> any any (dns.answers.rrname; content:\"www.example.com\"; endswith; flow:to_client; sid:3;)",
        "alert dns any any -> any any (dns.response.rrname; content:\"query.example.org\"; bsize:17; sid:4;)",
        "alert dns any any -> any any (dns.answers.rrname; content:\"query\"; flow:to_client; sid:5;)",
        "alert dns any any -> any any (dns.answers.rrname; dotprefix; content:\".example.net\"; endswith; flow:to_client; sid:6;)",
        // a response buffer: without flow it reads the response, with flow:to_server never
        "alert dns any any -> any any (dns.answers.rrname; content:\"alias\"; sid:7;)",
        "alert dns any any -> any any (dns.answers.rrname; content:\"alias\"; flow:to_server; sid:8;)");
    assertEquals(8, set.report().loaded(), set.report().summary());
    byte[] q = dns(9, 0x0100, "query.example.org");
    byte[] r = dns(9, 0x8180, "query.example.org", "alias.example.org", "cdn.example.net");
    assertEquals(List.of(1L, 2L, 4L, 6L, 7L), dnsSids(set, q, r));
  }
}

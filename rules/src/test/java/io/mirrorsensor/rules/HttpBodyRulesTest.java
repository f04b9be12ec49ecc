package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.DecodedPacket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The HTTP body buffers (http.request_body, http.response_body, file.data, pcre P and Q), the
 * other named headers (http.content_len, http.connection, http.accept*, http.start), urilen, and
 * http rules that read the packet payload, on transactions the real parser made from bytes.
 */
class HttpBodyRulesTest {
  static final String POST = "POST /upload?id=1 HTTP/1.1\r\n"
      + "Host: example.com\r\n"
      + "Accept: text/html\r\n"
      + "Accept-Encoding: gzip, deflate\r\n"
      + "Accept-Language: de-CH\r\n"
      + "Connection: keep-alive\r\n"
      + "Cookie: s=1\r\n"
      + "Transfer-Encoding: chunked\r\n"
      + "\r\n"
      + "6\r\nuser=a\r\n"
      + "9\r\n&pass=xyz\r\n"
      + "0\r\n\r\n";

  static String gzipResponse(String body) throws Exception {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
      g.write(body.getBytes(StandardCharsets.ISO_8859_1));
    }
    byte[] z = bo.toByteArray();
    return "HTTP/1.1 200 OK\r\n"
        + "Content-Type: text/plain\r\n"
        + "Content-Encoding: gzip\r\n"
        + "Connection: close\r\n"
        + "Content-Length: " + z.length + "\r\n"
        + "\r\n"
        + new String(z, StandardCharsets.ISO_8859_1);
  }

  static List<Long> sorted(List<Long> l) {
    List<Long> s = new ArrayList<>(l);
    s.sort(null);
    return s;
  }

  @Test
  void aContentOutsideTheBodiesIsPreferredAsTheFastPattern() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert http any any -> any any (http.uri; content:\"/dl/\"; file_data; content:\"MZ-longer-pattern\"; sid:1;)",
        "alert http any any -> any any (http.uri; content:\"/dl/\"; file_data; content:\"MZ-longer-pattern\"; fast_pattern; sid:2;)",
        "alert http any any -> any any (http.uri; content:\"/d\"; file_data; content:\"MZ-longer-pattern\"; sid:3;)",
        "alert http any any -> any any (http.method; content:\"POST\"; pkt_data; content:\"a-long-raw-pattern\"; sid:4;)");
    assertEquals("http.uri", set.rule(1, 1).fastPattern.buffer.name);
    assertEquals("file.data", set.rule(1, 2).fastPattern.buffer.name, "explicit fast_pattern wins");
    assertEquals("file.data", set.rule(1, 3).fastPattern.buffer.name, "2 bytes are too short to prefer");
    assertEquals("http.method", set.rule(1, 4).fastPattern.buffer.name);
  }

  @Test
  void theRuleSetSaysWhetherAnyRuleReadsABody() throws Exception {
    // the app layer keeps bodies only for sets that read them
    assertFalse(AppLayerDetectorTest.load(
        "alert http any any -> any any (http.uri; content:\"/a\"; sid:1;)",
        "alert tcp any any -> any any (content:\"x\"; sid:2;)").readsHttpBodies());
    assertTrue(AppLayerDetectorTest.load(
        "alert http any any -> any any (file_data; content:\"MZ\"; sid:1;)").readsHttpBodies());
    assertTrue(AppLayerDetectorTest.load(
        "alert http any any -> any any (http.request_body; to_lowercase; content:\"a\"; sid:1;)").readsHttpBodies());
    assertTrue(AppLayerDetectorTest.load(
        "alert http any any -> any any (pcre:\"/x/P\"; sid:1;)").readsHttpBodies());
    assertTrue(AppLayerDetectorTest.load(
        "alert http any any -> any any (http.method; content:\"POST\"; pkt_data; content:\"id=\"; sid:1;)").readsHttpBodies());
  }

  @Test
  void bodyBuffersAreDechunkedAndDecompressed() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert http any any -> any any (http.request_body; content:\"user=a&pass=xyz\"; bsize:15; sid:1;)",
        "alert http any any -> any any (content:\"pass=\"; http_client_body; sid:2;)",
        "alert http any any -> any any (flow:to_client; file_data; content:\"EICAR-TEST\"; sid:3;)",
        "alert http any any -> any any (flow:to_server; file.data; content:\"user=a\"; startswith; sid:4;)",
        "alert http any any -> any any (http.response_body; content:\"EICAR\"; startswith; sid:5;)",
        "alert http any any -> any any (content:\"-TEST\"; http_server_body; sid:6;)",
        "alert http any any -> any any (pcre:\"/pass=x{1}yz$/P\"; sid:7;)",
        "alert http any any -> any any (flow:to_client; pcre:\"/^EICAR-/Q\"; sid:8;)",
        // the chunk framing and the compressed bytes are not in the bodies
        "alert http any any -> any any (http.request_body; content:\"|0d 0a|\"; sid:9;)",
        "alert http any any -> any any (flow:to_server; file_data; content:\"EICAR\"; sid:10;)",
        "alert http any any -> any any (file_data; content:\"EICAR\"; startswith; sid:12;)",
        "alert http any any -> any any (file_data; content:\"user=a\"; sid:13;)",
        "alert http any any -> any any (flow:to_client; file_data; content:\"|1f 8b|\"; sid:11;)");
    assertEquals(0, set.report().skipped(), set.report().summary());
    // file_data without a direction is the response body
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 12L),
        sorted(AppLayerDetectorTest.http(set, POST, gzipResponse("EICAR-TEST body"))));
  }

  @Test
  void namedHeaderBuffersAndHttpStart() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert http any any -> any any (http.accept; content:\"text/html\"; bsize:9; sid:1;)",
        "alert http any any -> any any (http.accept_enc; content:\"gzip, deflate\"; bsize:13; sid:2;)",
        "alert http any any -> any any (http.accept_lang; content:\"de-CH\"; bsize:5; sid:3;)",
        "alert http any any -> any any (http.connection; content:\"keep-alive\"; bsize:10; sid:4;)",
        "alert http any any -> any any (flow:to_client; http.connection; content:\"close\"; bsize:5; sid:5;)",
        "alert http any any -> any any (flow:to_client; http.content_len; byte_test:0,>,10,0,string,dec; sid:6;)",
        "alert http any any -> any any (content:\"keep\"; http_connection; content:\"text\"; http_accept; content:\"de\"; http_accept_lang; content:\"gzip\"; http_accept_enc; sid:7;)",
        "alert http any any -> any any (flow:to_client; content:\"text/plain\"; http_content_type; sid:8;)",
        "alert http any any -> any any (http.start; content:\"POST /upload?id=1 HTTP/1.1|0d 0a|Host: example.com|0d 0a|\"; startswith; content:\"Cookie: s=1|0d 0a|\"; content:\"chunked|0d 0a 0d 0a|\"; endswith; sid:9;)",
        "alert http any any -> any any (flow:to_client; http.start; content:\"HTTP/1.1 200 OK|0d 0a|Content-Type: text/plain|0d 0a|\"; startswith; sid:10;)",
        "alert http any any -> any any (http.content_len; content:\"1\"; sid:11;)",
        "alert http any any -> any any (content:\"POST /upload\"; http_start; sid:12;)");
    assertEquals(0, set.report().skipped(), set.report().summary());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 12L),
        sorted(AppLayerDetectorTest.http(set, POST, gzipResponse("EICAR-TEST body"))));
  }

  @Test
  void urilenNormalisedByDefaultRawOnRequest() throws Exception {
    String get = "GET /a/../b%41 HTTP/1.1\r\nHost: x\r\n\r\n"; // raw 10 bytes, normalised /bA: 3
    RuleSet set = AppLayerDetectorTest.load(
        "alert http any any -> any any (urilen:3; sid:1;)",
        "alert http any any -> any any (urilen:10,raw; sid:2;)",
        "alert http any any -> any any (urilen:2<>4, norm; sid:3;)",
        "alert http any any -> any any (urilen:<3; sid:4;)",
        "alert http any any -> any any (urilen:3<>10,raw; sid:5;)",
        "alert http any any -> any any (urilen:>9,raw; http.method; content:\"GET\"; sid:6;)");
    assertEquals(List.of(1L, 2L, 3L, 6L), sorted(AppLayerDetectorTest.http(set, get, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")));
    LoadReport r = AppLayerDetectorTest.load("alert http any any -> any any (urilen:5,wide; sid:1;)").report();
    assertEquals(1, r.failed());
    assertTrue(r.diagnostics().get(0).toString().contains("urilen: unknown mode 'wide' (norm or raw)"), r.diagnostics().get(0).toString());
  }

  @Test
  void packetPayloadOfAnHttpRuleIsTheTransactionsRawMessage() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        // content before and after the http keyword: both on the raw request (head, then body)
        "alert http any any -> any any (content:\"POST\"; http.uri; content:\"/upload\"; pkt_data; content:\"pass=xyz\"; sid:1;)",
        "alert tcp any any -> any any (content:\"upload\"; http_uri; content:\"Transfer-Encoding: chunked\"; sid:2;)",
        "alert http any any -> any any (content:\"HTTP/1.1 200\"; startswith; http.stat_code; content:\"200\"; sid:3;)",
        "alert tcp any any -> any any (content:\"upload\"; http_uri; content:\"not there\"; sid:4;)");
    assertEquals(0, set.report().skipped(), set.report().summary());
    assertEquals(List.of(1L, 2L, 3L),
        sorted(AppLayerDetectorTest.http(set, POST, gzipResponse("x"))));
  }

  @Test
  void theRawMessageAndTheBodyAreScannedOnceAndKeepTheirOwnBuffers() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        // raw message (head, then body): across the head's end, and in the head
        "alert http any any -> any any (flow:to_client; http.stat_code; content:\"200\"; pkt_data; content:\"close|0d 0a 0d 0a|hello\"; fast_pattern; sid:1;)",
        "alert http any any -> any any (flow:to_client; http.stat_code; content:\"200\"; pkt_data; content:\"HTTP/1.1 200\"; fast_pattern; sid:2;)",
        // file.data: in the body; in the head only; across the head's end
        "alert http any any -> any any (flow:to_client; file_data; content:\"hello world\"; sid:3;)",
        "alert http any any -> any any (flow:to_client; file_data; content:\"Connection: close\"; nocase; sid:4;)",
        "alert http any any -> any any (flow:to_client; file_data; content:\"close|0d 0a 0d 0a|hello\"; sid:5;)");
    RuleSet.Prefilter merged = null;
    for (RuleSet.Prefilter pf : set.appGroups[Protocols.APP_HTTP].prefilters) {
      if (pf.toClient && pf.bodyRules != null) {
        merged = pf;
      }
    }
    assertTrue(merged != null, "one prefilter for the response's raw message and body");
    Detector d = set.newDetector();
    List<Long> sids = AppLayerDetectorTest.http(set, d, "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world");
    assertEquals(List.of(1L, 2L, 3L), sorted(sids));
    // the file.data rules whose pattern lies in the head, wholly or in part, were not candidates
    assertEquals(3, d.candidatesEvaluated());
  }

  /** A flow whose app protocol the app layer has or has not identified. */
  static final class AppFlow extends DetectorTest.Flow {
    String app;

    AppFlow(RuleSet s, String app) {
      super(s);
      this.app = app;
    }

    @Override
    public String appProto() {
      return app;
    }
  }

  @Test
  void appRuleWithoutItsKeywordsInspectsPacketsOfItsFlows() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert http any any -> any any (content:\"wwnotginh\"; sid:1;)",
        "alert http any any -> any any (flow:to_server; content:\"GET\"; depth:3; sid:2;)");
    assertEquals(0, set.report().skipped(), set.report().summary());
    assertEquals(null, set.rules().get(0).appLayer(), "a packet rule");
    Detector d = set.newDetector();
    DecodedPacket p = DetectorTest.tcp("GET /wwnotginh HTTP/1.1\r\n\r\n", 1234, 80, 0x18);
    assertEquals(List.of(1L, 2L), DetectorTest.fire(set, d, p, new AppFlow(set, "http")));
    assertEquals(List.of(), DetectorTest.fire(set, d, p, new AppFlow(set, null)));
    assertEquals(List.of(), DetectorTest.fire(set, d, p, new AppFlow(set, "tls")));
    assertEquals(List.of(), DetectorTest.fire(set, d, p, null));
    // the same for dns and tls rules without dns or tls keywords
    RuleSet other = AppLayerDetectorTest.load(
        "alert dns any any -> any any (content:\"wwnotginh\"; sid:3;)",
        "alert tls any any -> any any (content:\"wwnotginh\"; sid:4;)");
    assertEquals(0, other.report().skipped(), other.report().summary());
    Detector o = other.newDetector();
    assertEquals(List.of(3L), DetectorTest.fire(other, o, p, new AppFlow(other, "dns")));
    assertEquals(List.of(4L), DetectorTest.fire(other, o, p, new AppFlow(other, "tls")));
    assertEquals(List.of(), DetectorTest.fire(other, o, p, new AppFlow(other, "http")));
  }
}

package io.mirrorsensor.decode.app.http;

import static io.mirrorsensor.decode.app.http.HttpParserTest.run;
import static org.junit.jupiter.api.Assertions.*;

import io.mirrorsensor.decode.app.http.HttpParserTest.Recorder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Body inspection: the {@code http.request_body} / {@code http.response_body} buffers, bounded by
 * {@link HttpConfig#maxBodyBytes()}, de-chunked and decompressed (gzip, zlib and raw deflate).
 */
class HttpBodyTest {
  static final String GET = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";

  static String s(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  static byte[] gzip(byte[] plain) throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(o)) {
      g.write(plain);
    }
    return o.toByteArray();
  }

  static byte[] deflate(byte[] plain, boolean raw) throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(o, new Deflater(6, raw))) {
      d.write(plain);
    }
    return o.toByteArray();
  }

  static String response(String encoding, byte[] body) {
    return "HTTP/1.1 200 OK\r\n" + (encoding == null ? "" : "Content-Encoding: " + encoding
        + "\r\n") + "Content-Length: " + body.length + "\r\n\r\n" + s(body);
  }

  static String chunked(byte[] body, int chunk) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < body.length; i += chunk) {
      int n = Math.min(chunk, body.length - i);
      sb.append(Integer.toHexString(n)).append("\r\n").append(s(java.util.Arrays.copyOfRange(
          body, i, i + n))).append("\r\n");
    }
    return sb.append("0\r\n\r\n").toString();
  }

  static HttpTransaction only(Recorder r) {
    assertEquals(1, r.tx.size(), r.shown().toString());
    return r.tx.get(0);
  }

  static byte[] text(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < n; i++) {
      sb.append("line ").append(i).append(" of the body text\n");
    }
    return sb.substring(0, n).getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void headerNameWithSpaceBeforeTheColonCountsAsLibhtpReadsIt() throws Exception {
    // http-evader 232: "Content-Encoding : gzip" still gzips the body for libhtp
    byte[] z = gzip("EICAR body".getBytes(StandardCharsets.ISO_8859_1));
    String resp = "HTTP/1.1 200 OK\r\nContent-Encoding : gzip\r\nContent-Length: " + z.length
        + "\r\n\r\n" + s(z);
    HttpTransaction t = only(run(HttpConfig.defaults(), GET, resp, Integer.MAX_VALUE));
    assertEquals("EICAR body", t.text(HttpBuffer.RESPONSE_BODY));
    assertEquals("gzip", t.header(false, "content-encoding", 0));
    // and a reserved bit set in the gzip FLG byte does not stop decompression
    z[3] = (byte) 0x80;
    resp = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + z.length
        + "\r\n\r\n" + s(z);
    assertEquals("EICAR body", only(run(HttpConfig.defaults(), GET, resp, Integer.MAX_VALUE))
        .text(HttpBuffer.RESPONSE_BODY));
  }

  @Test
  void plainBodiesOfRequestAndResponse() {
    Recorder r = run(HttpConfig.defaults(),
        "POST /f HTTP/1.1\r\nContent-Length: 11\r\n\r\nuser=a&pw=b", response(null,
            "<html>hi</html>".getBytes(StandardCharsets.ISO_8859_1)), Integer.MAX_VALUE);
    HttpTransaction t = only(r);
    assertEquals("user=a&pw=b", t.text(HttpBuffer.REQUEST_BODY));
    assertEquals("<html>hi</html>", t.text(HttpBuffer.RESPONSE_BODY));
    assertEquals(0, t.offset(HttpBuffer.RESPONSE_BODY));
    assertEquals(15, t.length(HttpBuffer.RESPONSE_BODY));
    assertEquals(0, t.bodyBytesNotKept(false));
    assertFalse(t.bodyDecompressed(false));
    assertEquals("http.request_body", HttpBuffer.REQUEST_BODY.ruleName());
    assertEquals("http.response_body", HttpBuffer.RESPONSE_BODY.ruleName());
    assertTrue(r.events.isEmpty(), r.events.toString());
  }

  @Test
  void noBodyIsAbsent() {
    HttpTransaction t = only(run(HttpConfig.defaults(), GET,
        "HTTP/1.1 204 No Content\r\n\r\n", Integer.MAX_VALUE));
    assertEquals(-1, t.length(HttpBuffer.REQUEST_BODY));
    assertEquals(-1, t.offset(HttpBuffer.RESPONSE_BODY));
    assertNull(t.bytes(HttpBuffer.RESPONSE_BODY));
    assertNull(t.text(HttpBuffer.RESPONSE_BODY));
  }

  @Test
  void aBodyOfDeclaredLengthIsKeptInOneArrayOfThatLength() {
    // delivered in pieces of 100 bytes: without the Content-Length the array doubles from 1 KiB
    // (to 65536 for 50000 bytes); with it, it is made once at the declared length
    byte[] body = text(50000);
    HttpConfig cfg = HttpConfig.defaults().withBody(1 << 20, 1000);
    HttpTransaction t = only(run(cfg, GET, response(null, body), 100));
    assertEquals(s(body), t.text(HttpBuffer.RESPONSE_BODY));
    assertEquals(50000, t.bytes(HttpBuffer.RESPONSE_BODY).length);
    // the limit bounds the array whatever the head declares
    t = only(run(HttpConfig.defaults().withBody(20000, 1000), GET, response(null, body), 100));
    assertEquals(s(body).substring(0, 20000), t.text(HttpBuffer.RESPONSE_BODY));
    assertEquals(20000, t.bytes(HttpBuffer.RESPONSE_BODY).length);
    // a chunked body declares no length: grown by doubling
    t = only(run(cfg, GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + chunked(body, 4000), 100));
    assertEquals(s(body), t.text(HttpBuffer.RESPONSE_BODY));
    assertEquals(65536, t.bytes(HttpBuffer.RESPONSE_BODY).length);
  }

  @Test
  void chunkedBodyIsDechunkedAndBounded() {
    byte[] body = text(3000);
    HttpConfig cfg = HttpConfig.defaults().withBody(1000, 1000);
    for (int split : new int[] {1, 7, 100, Integer.MAX_VALUE}) {
      HttpTransaction t = only(run(cfg, GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
          + chunked(body, 333), split));
      assertEquals(s(body).substring(0, 1000), t.text(HttpBuffer.RESPONSE_BODY), "split " + split);
      assertEquals(3000, t.responseBodyBytes());
      assertEquals(2000, t.bodyBytesNotKept(false));
      assertTrue(t.bytes(HttpBuffer.RESPONSE_BODY).length <= 1000, "bounded array");
    }
  }

  @Test
  void bodyInspectionOff() {
    HttpTransaction t = only(run(HttpConfig.defaults().withBody(0, 1000),
        "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", response(null, text(10)),
        Integer.MAX_VALUE));
    assertEquals(-1, t.length(HttpBuffer.REQUEST_BODY));
    assertEquals(-1, t.length(HttpBuffer.RESPONSE_BODY));
    assertEquals(10, t.responseBodyBytes());
  }

  @Test
  void gzipResponseIsDecompressed() throws Exception {
    byte[] body = text(5000);
    HttpTransaction t = only(run(HttpConfig.defaults(), GET, response("gzip", gzip(body)),
        Integer.MAX_VALUE));
    assertEquals(s(body), t.text(HttpBuffer.RESPONSE_BODY));
    assertTrue(t.bodyDecompressed(false));
    assertFalse(t.bodyDecompressionStopped(false));
    assertEquals(0, t.bodyBytesNotKept(false));
    assertEquals(gzip(body).length, t.responseBodyBytes(), "EVE length stays the wire length");
  }

  @Test
  void gzipWithHeaderFieldsAndXGzip() throws Exception {
    byte[] body = text(400);
    byte[] gz = gzip(body);
    // FEXTRA, FNAME and FCOMMENT set: 10-byte header, extra field, name, comment, then data
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(gz, 0, 3);
    o.write(gz[3] | 4 | 8 | 16);
    o.write(gz, 4, 6);
    o.write(new byte[] {3, 0, 'a', 'b', 'c'});
    o.write("name.txt\0a comment\0".getBytes(StandardCharsets.ISO_8859_1));
    o.write(gz, 10, gz.length - 10);
    byte[] fancy = o.toByteArray();
    for (int split = 1; split < 40; split++) {
      HttpTransaction t = only(run(HttpConfig.defaults(), GET, response("x-gzip", fancy), split));
      assertEquals(s(body), t.text(HttpBuffer.RESPONSE_BODY), "split " + split);
    }
  }

  @Test
  void gzipSplitAtEverySize() throws Exception {
    byte[] body = text(2000);
    byte[] gz = gzip(body);
    String resp = response("gzip", gz);
    for (int split = 1; split <= resp.length(); split++) {
      Recorder r = run(HttpConfig.defaults(), GET, resp, split);
      HttpTransaction t = only(r);
      assertEquals(s(body), t.text(HttpBuffer.RESPONSE_BODY), "split " + split);
      assertTrue(r.events.isEmpty(), "split " + split + " " + r.events);
    }
  }

  @Test
  void deflateZlibAndRaw() throws Exception {
    byte[] body = text(3000);
    for (boolean raw : new boolean[] {false, true}) {
      for (int split : new int[] {1, 2, 3, 64, Integer.MAX_VALUE}) {
        Recorder r = run(HttpConfig.defaults(), GET, response("deflate", deflate(body, raw)),
            split);
        HttpTransaction t = only(r);
        assertEquals(s(body), t.text(HttpBuffer.RESPONSE_BODY), "raw " + raw + " split " + split);
        assertTrue(r.events.isEmpty(), r.events.toString());
      }
    }
  }

  @Test
  void chunkedDeflateRequestBody() throws Exception {
    byte[] body = text(700);
    String req = "POST /up HTTP/1.1\r\nContent-Encoding: Deflate\r\nTransfer-Encoding: chunked"
        + "\r\n\r\n" + chunked(deflate(body, false), 17);
    HttpTransaction t = only(run(HttpConfig.defaults(), req, "HTTP/1.1 204 No Content\r\n\r\n",
        5));
    assertEquals(s(body), t.text(HttpBuffer.REQUEST_BODY));
    assertTrue(t.bodyDecompressed(true));
  }

  @Test
  void gzipOutputBoundedByMaxBodyBytes() throws Exception {
    byte[] body = text(50_000);
    HttpTransaction t = only(run(HttpConfig.defaults().withBody(4096, 1000), GET,
        response("gzip", gzip(body)), 1000));
    assertEquals(s(body).substring(0, 4096), t.text(HttpBuffer.RESPONSE_BODY));
    assertTrue(t.bodyBytesNotKept(false) > 0, "compressed rest counted");
    assertFalse(t.bodyDecompressionStopped(false), "the cap is not an anomaly");
  }

  @Test
  void decompressionBombIsCapped() throws Exception {
    byte[] zeros = new byte[20 * 1024 * 1024]; // 20 MiB of zeros gzip to about 20 KiB
    byte[] bomb = gzip(zeros);
    HttpConfig cfg = HttpConfig.defaults().withBody(1 << 20, 100);
    Recorder r = run(cfg, GET + GET, response("gzip", bomb) + response(null, new byte[] {'o',
        'k'}), 1460);
    assertEquals(List.of(HttpEvent.BODY_DECOMPRESSION_LIMIT), r.events);
    assertEquals(2, r.tx.size(), "framing unaffected: the next response still parses");
    assertEquals("ok", r.tx.get(1).text(HttpBuffer.RESPONSE_BODY));
    HttpTransaction t = r.tx.get(0);
    assertTrue(t.bodyDecompressionStopped(false));
    int kept = t.length(HttpBuffer.RESPONSE_BODY);
    assertTrue(kept > 0 && kept < 1 << 20, "kept " + kept);
    assertTrue(t.bodyBytesNotKept(false) > bomb.length / 2, "rest counted, not inflated");
    assertEquals(bomb.length, t.responseBodyBytes());
    assertTrue(t.responseComplete());
  }

  @Test
  void defaultCapStopsABombWithoutAnEvent() throws Exception {
    byte[] bomb = gzip(new byte[8 * 1024 * 1024]);
    Recorder r = run(HttpConfig.defaults(), GET, response("gzip", bomb), 1460);
    HttpTransaction t = only(r);
    assertEquals(HttpConfig.DEFAULT_MAX_BODY_BYTES, t.length(HttpBuffer.RESPONSE_BODY));
  }

  @Test
  void corruptGzipRaisesAnEventAndKeepsTheTransaction() throws Exception {
    byte[] body = text(4000);
    byte[] gz = gzip(body);
    for (int i = 30; i < 60; i++) {
      gz[i] ^= (byte) 0x5A;
    }
    String req = GET + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n";
    String resp = response("gzip", gz) + response(null, "second".getBytes(StandardCharsets.UTF_8));
    for (int split : new int[] {1, 13, Integer.MAX_VALUE}) {
      Recorder r = run(HttpConfig.defaults(), req, resp, split);
      assertEquals(List.of(HttpEvent.BODY_DECOMPRESSION_FAILED), r.events, "split " + split);
      assertEquals(2, r.tx.size());
      HttpTransaction t = r.tx.get(0);
      assertTrue(t.bodyDecompressionStopped(false));
      assertTrue(t.responseComplete());
      assertEquals(200, t.status());
      assertEquals(gz.length, t.responseBodyBytes());
      String kept = t.text(HttpBuffer.RESPONSE_BODY);
      assertTrue(kept == null || s(body).startsWith(kept), "what came out before is good");
      assertEquals("second", r.tx.get(1).text(HttpBuffer.RESPONSE_BODY));
    }
  }

  @Test
  void notGzipAtAllRaisesFailed() {
    Recorder r = run(HttpConfig.defaults(), GET, response("gzip",
        "plain text, not gzip".getBytes(StandardCharsets.ISO_8859_1)), Integer.MAX_VALUE);
    assertEquals(List.of(HttpEvent.BODY_DECOMPRESSION_FAILED), r.events);
    HttpTransaction t = only(r);
    assertEquals(-1, t.length(HttpBuffer.RESPONSE_BODY));
    assertEquals(20, t.bodyBytesNotKept(false));
  }

  @Test
  void unknownAndLayeredCodingsAreKeptAsOnTheWire() throws Exception {
    byte[] br = {0x0b, 0x02, (byte) 0x80, 'h', 'i', 0x03};
    HttpTransaction t = only(run(HttpConfig.defaults(), GET, response("br", br),
        Integer.MAX_VALUE));
    assertEquals(s(br), t.text(HttpBuffer.RESPONSE_BODY));
    assertFalse(t.bodyDecompressed(false));
    byte[] twice = gzip(gzip(text(100)));
    t = only(run(HttpConfig.defaults(), GET, response("gzip, gzip", twice), Integer.MAX_VALUE));
    // one header naming two codings: not decoded here
    assertFalse(t.bodyDecompressed(false));
  }

  @Test
  void gapInBodyKeepsWhatCameBefore() {
    Recorder r = new Recorder();
    HttpParser p = new HttpParser(HttpConfig.defaults(), r);
    byte[] req = HttpParserTest.b(GET);
    p.toServer().data(req, 0, req.length, 0);
    byte[] head = HttpParserTest.b("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n12345");
    p.toClient().data(head, 0, head.length, 0);
    p.toClient().gap(head.length, 5);
    byte[] rest = HttpParserTest.b("abcdefghij");
    p.toClient().data(rest, 0, rest.length, head.length + 5);
    p.close();
    HttpTransaction t = only(r);
    assertEquals("12345", t.text(HttpBuffer.RESPONSE_BODY));
    assertEquals(15, t.bodyBytesNotKept(false));
    assertTrue(t.gap());
  }

  @Test
  void gzipHeaderParser() {
    byte[] h = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    assertEquals(10, HttpBodyDecoder.gzipHeader(h, 10));
    assertEquals(-1, HttpBodyDecoder.gzipHeader(h, 9));
    assertEquals(-2, HttpBodyDecoder.gzipHeader(new byte[] {0x1f, 0x00}, 2));
    assertTrue(HttpBodyDecoder.zlibHeader((byte) 0x78, (byte) 0x9c));
    assertFalse(HttpBodyDecoder.zlibHeader((byte) 0x78, (byte) 0x9d));
  }
}

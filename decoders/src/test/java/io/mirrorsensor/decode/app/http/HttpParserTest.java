package io.mirrorsensor.decode.app.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-written byte fixtures (no captured bytes), one per feature and per {@link HttpEvent}, and
 * the split-at-every-size check: any segmentation of the two streams gives the same transactions.
 */
class HttpParserTest {
  private static final long MS = 1_000_000L;

  /** A transaction reduced to comparable text. */
  static String show(HttpTransaction t) {
    return t.text(HttpBuffer.METHOD) + " " + t.text(HttpBuffer.URI_RAW) + " "
        + t.text(HttpBuffer.PROTOCOL) + " host=" + t.text(HttpBuffer.HOST) + " ua="
        + t.text(HttpBuffer.USER_AGENT) + " -> " + t.status() + " ct="
        + t.text(HttpBuffer.CONTENT_TYPE) + " req=" + t.requestBodyBytes() + " resp="
        + t.responseBodyBytes() + (t.gap() ? " gap" : "") + (t.responseComplete() ? "" : " open");
  }

  static final class Recorder implements HttpListener {
    final List<HttpTransaction> tx = new ArrayList<>();
    final List<HttpEvent> events = new ArrayList<>();

    @Override
    public void transaction(HttpTransaction t) {
      tx.add(t);
    }

    @Override
    public void event(HttpEvent e, long tsNanos) {
      events.add(e);
    }

    List<String> shown() {
      List<String> s = new ArrayList<>();
      tx.forEach(t -> s.add(show(t)));
      return s;
    }
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void requestEndedComesOncePerRequestWhenItsBodyEndsBeforeTheTransaction() {
    List<String> seen = new ArrayList<>();
    HttpListener l = new HttpListener() {
      @Override
      public void requestEnded(HttpTransaction t) {
        seen.add("request " + t.text(HttpBuffer.URI_RAW) + " at " + t.requestEndNanos() / MS
            + " body " + t.requestBodyBytes() + " status " + t.status());
      }

      @Override
      public void transaction(HttpTransaction t) {
        seen.add("transaction " + t.text(HttpBuffer.URI_RAW) + " " + t.status());
      }
    };
    HttpParser p = new HttpParser(HttpConfig.defaults(), l);
    byte[] post = b("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n");
    p.time(1 * MS);
    p.toServer().data(post, 0, post.length, 0);
    assertEquals(List.of(), seen, "the body is still to come");
    p.time(2 * MS);
    p.toServer().data(b("hello"), 0, 5, post.length);
    byte[] get = b("GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
    p.time(3 * MS);
    p.toServer().data(get, 0, get.length, post.length + 5);
    assertEquals(List.of("request /up at 2 body 5 status -1", "request /next at 3 body 0 status -1"),
        seen, "pipelined: each request as it ends, before any response");
    byte[] resp = b("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    p.time(4 * MS);
    p.toClient().data(resp, 0, resp.length, 0);
    // a third request cut short by the flow's end: handed over, never "ended"
    byte[] cut = b("GET /cut HTTP/1.1\r\nHo");
    p.toServer().data(cut, 0, cut.length, post.length + 5 + get.length);
    p.close();
    assertEquals(List.of("request /up at 2 body 5 status -1", "request /next at 3 body 0 status -1",
        "transaction /up 200", "transaction /next -1"), seen);
  }

  /** Feeds the request stream, then the response stream, in pieces of {@code split} bytes. */
  static Recorder run(HttpConfig cfg, String req, String resp, int split) {
    Recorder r = new Recorder();
    HttpParser p = new HttpParser(cfg, r);
    feed(p, p.toServer(), b(req), split, 0);
    feed(p, p.toClient(), b(resp), split, 100 * MS);
    p.close();
    return r;
  }

  static void feed(HttpParser p, io.mirrorsensor.decode.tcp.StreamSink s, byte[] stream,
      int split, long t0) {
    for (int off = 0; off < stream.length; off += split) {
      int n = Math.min(split, stream.length - off);
      p.time(t0 + off * MS);
      s.data(java.util.Arrays.copyOfRange(stream, off, off + n), 0, n, off);
    }
  }

  static Recorder run(String req, String resp) {
    return run(HttpConfig.defaults(), req, resp, Integer.MAX_VALUE);
  }

  static final String PIPELINE_REQ = "GET /a?x=1 HTTP/1.1\r\nHost: example.com\r\n"
      + "User-Agent: curl/8\r\nAccept: */*\r\nX-Dup: 1\r\nX-Dup: 2\r\n\r\n"
      + "POST /form HTTP/1.1\r\nHost: example.com:8080\r\nContent-Length: 5\r\n"
      + "Content-Type: text/plain\r\n\r\nhello"
      + "PUT /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
      + "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n"
      + "HEAD /h HTTP/1.1\r\nHost: h\r\nFolded: a\r\n  b\r\n\r\n"
      + "GET /nm HTTP/1.0\r\nHost: h\r\n\r\n";
  static final String PIPELINE_RESP = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
      + "Content-Length: 4\r\n\r\nbody"
      + "HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
      + "a\r\n0123456789\r\n0\r\n\r\n"
      + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"
      + "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"
      + "HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n";

  @Test
  void chunkExtensionIsAnEventAndIgnored() {
    // suricata-verify http-event-chunk: "8 " (trailing space only) is not one, "0 ; ..." is
    String req = "POST /qwe.asd HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "8 \r\ntototata\r\n4 \r\ntiti\r\n0 ; qwe3=asd3; zxc3=\"rt\"y3\"\r\n"
        + "trailehdr1: tralierdata1\r\n\r\n";
    Recorder r = run(req, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    assertEquals(List.of(HttpEvent.CHUNK_EXTENSION), r.events);
    assertEquals(List.of("POST /qwe.asd HTTP/1.1 host=127.0.0.1 ua=null -> 200 ct=null req=12 resp=0"),
        r.shown());
    assertEquals(List.of(), run(req.replace("0 ; qwe3=asd3; zxc3=\"rt\"y3\"", "0"),
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").events);
  }

  static List<HttpEvent> requestEvents(String headers) {
    return run("GET / HTTP/1.1\r\n" + headers + "\r\n", "HTTP/1.1 204 No Content\r\n\r\n").events;
  }

  @Test
  void hostHeaderIsCheckedAsLibhtpDoes() {
    for (String ok : List.of("[::1]:8000", "[::1]", "example.com", "Example.COM:443", "www.example.com.",
        "my_host-1.local", "[2001:db8::192.0.2.1]", "[1:2:3:4:5:6:7:8]:65535", "10.0.0.1:80")) {
      assertEquals(List.of(), requestEvents("Host: " + ok + "\r\n"), ok);
    }
    for (String bad : List.of("exa mple.com", "example.com:0", "example.com:", "example.com:ff",
        "example.com:65536", "[::1]x", "[::1", "[::g]", "a..b", ".example.com", "ex@mple.com",
        "example.com/path", "[1:2:3:4:5:6:7:8:9]", "a".repeat(64) + ".com")) {
      assertEquals(List.of(HttpEvent.HOST_INVALID), requestEvents("Host: " + bad + "\r\n"), bad);
    }
    // libhtp joins a repeated Host into "a, b": never valid
    assertEquals(List.of(HttpEvent.HOST_INVALID), requestEvents("Host: a\r\nHost: a\r\n"));
    assertEquals(List.of(), requestEvents("X: y\r\n"), "no Host header: not this event");
  }

  @Test
  void repeatedContentLengthsThatDisagreeAreAConflict() {
    // suricata-verify http-multiple-cl: 11 then 93; the first is used
    Recorder r = run("POST /which.php HTTP/1.1\r\nHost: h\r\nContent-Length:11\r\nContent-Length:93\r\n\r\n"
        + "bar=1&foo=2GET /next HTTP/1.1\r\nHost: h\r\n\r\n",
        "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
    assertEquals(List.of(HttpEvent.CONTENT_LENGTH_CONFLICT), r.events);
    assertEquals(2, r.tx.size());
    assertEquals(List.of(), requestEvents("Content-Length: 0\r\nContent-Length: 0\r\n"), "equal: fine");
    assertEquals(List.of(HttpEvent.CONTENT_LENGTH_CONFLICT, HttpEvent.INVALID_CONTENT_LENGTH),
        requestEvents("Content-Length: x\r\nContent-Length: 0\r\n"), "libhtp: either not a number");
    assertEquals(List.of(HttpEvent.CONTENT_LENGTH_CONFLICT),
        requestEvents("Content-Length: 0\r\nContent-Length: 0\r\nContent-Length: 1\r\n"));
  }

  @Test
  void parsesPipelinedMessagesWithEveryFraming() {
    Recorder r = run(PIPELINE_REQ, PIPELINE_RESP);
    assertEquals(List.of(
        "GET /a?x=1 HTTP/1.1 host=example.com ua=curl/8 -> 200 ct=text/html req=0 resp=4",
        "POST /form HTTP/1.1 host=example.com:8080 ua=null -> 201 ct=null req=5 resp=10",
        "PUT /up HTTP/1.1 host=h ua=null -> 204 ct=null req=5 resp=0",
        "HEAD /h HTTP/1.1 host=h ua=null -> 200 ct=null req=0 resp=0",
        "GET /nm HTTP/1.0 host=h ua=null -> 304 ct=null req=0 resp=0"), r.shown());
    // "3;ext=1": a chunk extension, as libhtp's REQUEST_CHUNK_EXTENSION
    assertEquals(List.of(HttpEvent.CHUNK_EXTENSION, HttpEvent.OBSOLETE_LINE_FOLDING), r.events);
    HttpTransaction first = r.tx.get(0);
    assertEquals("1", first.header(true, "x-dup", 0));
    assertEquals("2", first.header(true, "X-DUP", 1));
    assertEquals(5, first.headerCount(true));
    assertEquals(1, r.tx.get(2).interimResponses());
    assertEquals("a\r\n  b", r.tx.get(3).header(true, "folded", 0));
    // Rule buffers are ranges into the copied head.
    byte[] head = first.bytes(HttpBuffer.METHOD);
    assertEquals("GET", new String(head, first.offset(HttpBuffer.METHOD),
        first.length(HttpBuffer.METHOD), StandardCharsets.US_ASCII));
    assertEquals("200", first.text(HttpBuffer.STAT_CODE));
    assertEquals("OK", first.text(HttpBuffer.STAT_MSG));
    assertEquals("GET /a?x=1 HTTP/1.1", first.text(HttpBuffer.REQUEST_LINE));
    assertTrue(first.text(HttpBuffer.REQUEST_HEADER).startsWith("Host: example.com\r\n"));
    assertTrue(first.text(HttpBuffer.REQUEST_HEADER).endsWith("X-Dup: 2\r\n"));
    assertEquals(-1, first.length(HttpBuffer.REFERER));
  }

  @Test
  void splitAtEverySizeGivesTheSameTransactions() {
    List<String> whole = run(PIPELINE_REQ, PIPELINE_RESP).shown();
    int max = Math.max(PIPELINE_REQ.length(), PIPELINE_RESP.length());
    for (int split = 1; split <= max; split++) {
      Recorder r = run(HttpConfig.defaults(), PIPELINE_REQ, PIPELINE_RESP, split);
      assertEquals(whole, r.shown(), "split " + split);
      assertEquals(List.of(HttpEvent.CHUNK_EXTENSION, HttpEvent.OBSOLETE_LINE_FOLDING), r.events,
          "split " + split);
    }
  }

  @Test
  void measuresLatencyFromLastRequestByteToFirstAndLastResponseByte() {
    Recorder r = new Recorder();
    HttpParser p = new HttpParser(HttpConfig.defaults(), r);
    p.time(10 * MS);
    byte[] q = b("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    p.toServer().data(q, 0, q.length, 0);
    p.time(40 * MS);
    byte[] h = b("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n");
    p.toClient().data(h, 0, h.length, 0);
    p.time(55 * MS);
    p.toClient().data(b("abc"), 0, 3, h.length);
    HttpTransaction t = r.tx.get(0);
    assertEquals(30 * MS, t.responseLatencyNanos());
    assertEquals(45 * MS, t.responseCompleteNanos());
    assertEquals(10 * MS, t.requestStartNanos());
  }

  @Test
  void bodyUntilCloseEndsAtClose() {
    Recorder r = run("GET / HTTP/1.0\r\n\r\n", "HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nxyz");
    assertEquals(List.of("GET / HTTP/1.0 host=null ua=null -> 200 ct=null req=0 resp=3"),
        r.shown());
    assertTrue(r.tx.get(0).connectionClose());
  }

  @Test
  void requestTargetRunsToTheLastSpaceAsInLibhtp() {
    Recorder r = run("GET /uri afterspace HTTP/1.1\r\nHost: h\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    HttpTransaction t = r.tx.get(0);
    assertEquals("/uri afterspace", t.text(HttpBuffer.URI_RAW));
    assertEquals("HTTP/1.1", t.text(HttpBuffer.PROTOCOL));
    assertEquals(200, t.status());
    // without a version at the end it is no request line
    assertTrue(run("GET /a b\r\n\r\n", "").tx.isEmpty());
  }

  @Test
  void toleratesHttp09() {
    Recorder r = run("GET /old\r\n", "<html>old</html>");
    HttpTransaction t = r.tx.get(0);
    assertTrue(t.http09());
    assertEquals("/old", t.text(HttpBuffer.URI_RAW));
    assertEquals(16, t.responseBodyBytes());
  }

  @Test
  void stopsParsingAfterConnect() {
    Recorder r = run("CONNECT a.b:443 HTTP/1.1\r\nHost: a.b:443\r\n\r\n\u0016\u0003\u0001junk",
        "HTTP/1.1 200 Connection established\r\n\r\n\u0016\u0003\u0003junk");
    assertEquals(1, r.tx.size());
    assertTrue(r.tx.get(0).connect());
    assertEquals(200, r.tx.get(0).status());
    assertTrue(r.events.isEmpty(), r.events::toString);
  }

  @Test
  void detectsByContentNotPort() {
    Recorder r = run("\u0016\u0003\u0001\u0002\u0000GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
    assertTrue(r.tx.isEmpty());
    assertEquals(HttpParser.PROBE_YES, HttpParser.probe(b("GET /"), 0, 5));
    assertEquals(HttpParser.PROBE_NEED_MORE, HttpParser.probe(b("GE"), 0, 2));
    assertEquals(HttpParser.PROBE_NO, HttpParser.probe(b("get /"), 0, 5));
  }

  @Test
  void ignoresAResponseWithoutRequest() {
    Recorder r = new Recorder();
    HttpParser p = new HttpParser(HttpConfig.defaults(), r);
    byte[] resp = b("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    p.toClient().data(resp, 0, resp.length, 0);
    p.close();
    assertTrue(r.tx.isEmpty());
  }

  @Test
  void gapInABodyMarksTheTransactionAndKeepsFraming() {
    Recorder r = new Recorder();
    HttpParser p = new HttpParser(HttpConfig.defaults(), r);
    byte[] q = b("GET / HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
    p.toServer().data(q, 0, q.length, 0);
    byte[] h = b("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab");
    p.toClient().data(h, 0, h.length, 0);
    p.toClient().gap(h.length, 4);
    byte[] rest = b("cdefHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    p.toClient().data(rest, 0, rest.length, h.length + 4);
    assertEquals(2, r.tx.size());
    assertTrue(r.tx.get(0).gap());
    assertEquals(404, r.tx.get(1).status());
    assertEquals(List.of(HttpEvent.STREAM_GAP), r.events);
  }

  @Test
  void gapInAHeadResynchronisesOnTheNextRequestLine() {
    Recorder r = new Recorder();
    HttpParser p = new HttpParser(HttpConfig.defaults(), r);
    byte[] a = b("GET /1 HTTP/1.1\r\nHost: a\r\nX-Lo");
    p.toServer().data(a, 0, a.length, 0);
    p.toServer().gap(a.length, 50);
    byte[] c = b("ng: tail\r\n\r\nGET /2 HTTP/1.1\r\nHost: b\r\n\r\n");
    p.toServer().data(c, 0, c.length, a.length + 50);
    byte[] resp = b("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    p.toClient().data(resp, 0, resp.length, 0);
    p.close();
    assertEquals(1, r.tx.size());
    assertEquals("/2", r.tx.get(0).text(HttpBuffer.URI_RAW));
  }

  private static void anomaly(HttpConfig cfg, String req, String resp, HttpEvent e) {
    Recorder r = run(cfg, req, resp, Integer.MAX_VALUE);
    assertTrue(r.events.contains(e), () -> e + " not in " + r.events);
  }

  private static void anomaly(String req, String resp, HttpEvent e) {
    anomaly(HttpConfig.defaults(), req, resp, e);
  }

  @Test
  void namesEveryAnomaly() {
    HttpConfig tiny = new HttpConfig(40, 120, 2, 2);
    anomaly(tiny, "GET / HTTP/1.1\r\nX: " + "a".repeat(50) + "\r\n\r\n", "", HttpEvent.LINE_TOO_LONG);
    anomaly(tiny, "GET / HTTP/1.1\r\n" + "X-Aaaaaaaaaaaa: 1\r\n".repeat(8) + "\r\n", "",
        HttpEvent.HEAD_TOO_LONG);
    anomaly(tiny, "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", "", HttpEvent.TOO_MANY_HEADERS);
    anomaly(tiny, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n", "",
        HttpEvent.TOO_MANY_PIPELINED);
    anomaly("GET / HTTP/1.1\r\nNoColon\r\n\r\n", "", HttpEvent.INVALID_HEADER);
    anomaly("GET / HTTP/1.1\r\nA: 1\r\n b\r\n\r\n", "", HttpEvent.OBSOLETE_LINE_FOLDING);
    anomaly("GET / HTTP/1.1\r\n\r\nGET / HTTX/1.1\r\n\r\n", "", HttpEvent.INVALID_REQUEST_LINE);
    anomaly("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", HttpEvent.INVALID_STATUS_LINE);
    anomaly("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", "", HttpEvent.INVALID_CONTENT_LENGTH);
    anomaly("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\na", "",
        HttpEvent.CONTENT_LENGTH_CONFLICT);
    anomaly("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "", HttpEvent.TE_AND_CL);
    anomaly("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "",
        HttpEvent.TRANSFER_ENCODING_INVALID);
    anomaly("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "",
        HttpEvent.INVALID_CHUNK_SIZE);
    Recorder r = new Recorder();
    HttpParser p = new HttpParser(HttpConfig.defaults(), r);
    byte[] q = b("GET / HTTP/1.1\r\n\r\n");
    p.toServer().data(q, 0, q.length, 0);
    byte[] two = b("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
    p.toClient().data(two, 0, two.length, 0);
    assertTrue(r.events.contains(HttpEvent.UNSOLICITED_RESPONSE));
    p.toServer().gap(q.length, 10);
    assertTrue(r.events.contains(HttpEvent.STREAM_GAP));
    for (HttpEvent e : HttpEvent.values()) {
      assertTrue(e.id().startsWith("http."), e::id);
    }
  }
}

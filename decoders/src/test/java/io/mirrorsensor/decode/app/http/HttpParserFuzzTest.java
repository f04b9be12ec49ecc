package io.mirrorsensor.decode.app.http;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mirrorsensor.decode.StreamRecords;

/**
 * Jazzer target for {@link HttpParser}: both directions fed in fuzzer-chosen segments and gaps
 * ({@link StreamRecords}); byte 0 chooses default or tiny bounds (tiny body cap and
 * decompression ratio too). Every transaction handed over must have its buffers inside their
 * arrays and its bodies within {@link HttpConfig#maxBodyBytes()}. Seeds: {@code HttpParserFuzzTestInputs/parse/}.
 */
class HttpParserFuzzTest {
  static final HttpConfig TINY = new HttpConfig(64, 256, 4, 2, 48, 4);

  @FuzzTest(maxDuration = "60s")
  void parse(byte[] data) {
    if (data.length == 0) {
      return;
    }
    HttpConfig config = (data[0] & 1) == 0 ? HttpConfig.defaults() : TINY;
    HttpParser p = new HttpParser(config, t -> check(t, config));
    StreamRecords.feed(data, 1, p.toServer(), p.toClient(), p::time);
    p.close();
  }

  static void check(HttpTransaction t, HttpConfig config) {
    for (HttpBuffer b : HttpBuffer.values()) {
      int off = t.offset(b);
      int len = t.length(b);
      if (len < 0) {
        assertEquals(-1, off, b.name());
        continue;
      }
      byte[] bytes = t.bytes(b);
      assertNotNull(bytes, b.name());
      assertTrue(off >= 0 && off + len <= bytes.length, b.name() + " within its array");
      assertNotNull(t.text(b));
    }
    assertTrue(t.requestBodyBytes() >= 0 && t.responseBodyBytes() >= 0);
    for (boolean request : new boolean[] {true, false}) {
      HttpBuffer b = request ? HttpBuffer.REQUEST_BODY : HttpBuffer.RESPONSE_BODY;
      assertTrue(t.length(b) <= config.maxBodyBytes(), "body bounded");
      assertTrue(t.bodyBytesNotKept(request) >= 0);
      if (!t.bodyDecompressed(request) && !t.gap()) { // lost bytes count as not kept, not seen
        long wire = request ? t.requestBodyBytes() : t.responseBodyBytes();
        assertTrue(Math.max(0, t.length(b)) + t.bodyBytesNotKept(request) <= wire,
            "plain body: kept and not kept add up to at most what was seen");
      }
    }
    assertTrue(t.headerCount(true) <= config.maxHeaders() && t.headerCount(false) <= config.maxHeaders());
  }
}

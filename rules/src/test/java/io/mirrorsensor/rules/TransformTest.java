package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Transforms on real transactions (DNS names and HTTP heads through the parsers) and on byte
 * fixtures, with Suricata's outputs (detect-transform-*.c and the keyword docs' examples).
 */
class TransformTest {
  static List<Long> dnsSids(RuleSet set, String name) {
    Detector d = set.newDetector();
    DetectorTest.Flow flow = new DetectorTest.Flow(set);
    List<Long> sids = new ArrayList<>();
    AppLayerDetectorTest.dns(tx -> d.inspectDns(tx, 1, flow, (r, p) -> sids.add(r.sid())), name);
    sids.sort(null);
    return sids;
  }

  @Test
  void dotprefixMatchesTheDomainAndItsSubdomainsOnly() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert dns any any -> any any (dns.query; dotprefix; content:\".example.com\"; endswith; sid:1;)",
        "alert dns any any -> any any (dns.query; dotprefix; content:\".www.example.com\"; startswith; endswith; sid:2;)",
        "alert dns any any -> any any (dns.query; dotprefix; content:\".ample.com\"; endswith; sid:3;)",
        // without the transform, a plain content on the same buffer still sees it untransformed
        "alert dns any any -> any any (dns.query; content:\".example.com\"; endswith; sid:4;)",
        "alert dns any any -> any any (dns.query; content:\"www\"; startswith; dotprefix; content:\".www.\"; startswith; sid:5;)");
    assertEquals(5, set.report().loaded(), set.report().summary());
    assertEquals(List.of(1L, 2L, 4L, 5L), dnsSids(set, "www.example.com"));
    assertEquals(List.of(1L), dnsSids(set, "example.com"));
    assertEquals(List.of(), dnsSids(set, "badexample.com"));
  }

  @Test
  void rulesWithTheSameChainShareOneBufferAndPrefilter() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert dns any any -> any any (dns.query; dotprefix; content:\".example.com\"; endswith; sid:1;)",
        "alert dns any any -> any any (dns.query; dotprefix; content:\".other.org\"; endswith; sid:2;)",
        "alert dns any any -> any any (dns.query; to_uppercase; content:\"WWW\"; sid:3;)");
    Rule a = set.rule(1, 1);
    Rule b = set.rule(1, 2);
    Rule c = set.rule(1, 3);
    assertSame(a.segBuffers[0], b.segBuffers[0]);
    assertTrue(a.segBuffers[0] != c.segBuffers[0]);
    assertSame(StickyBuffer.DNS_QUERY, a.segBuffers[0].root);
    assertEquals(2, set.appGroups[Protocols.APP_DNS].prefilters.length);
    assertEquals(List.of(1L, 3L), dnsSids(set, "www.example.com"));
  }

  @Test
  void transformsApplyInRuleOrder() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert dns any any -> any any (dns.query; to_uppercase; dotprefix; content:\".WWW.EXAMPLE.COM\"; startswith; endswith; sid:1;)",
        "alert dns any any -> any any (dns.query; to_md5; content:\"|" + hex(md5("www.example.com")) + "|\"; bsize:16; sid:2;)",
        "alert dns any any -> any any (dns.query; dotprefix; to_sha256; content:\"|" + hex(sha256(".www.example.com")) + "|\"; sid:3;)",
        "alert dns any any -> any any (dns.query; to_sha1; content:\"www\"; sid:4;)");
    assertEquals(4, set.report().loaded(), set.report().summary());
    assertEquals(List.of(1L, 2L, 3L), dnsSids(set, "www.example.com"));
  }

  @Test
  void httpTransformsRewriteTheBufferBeforeContent() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert http any any -> any any (http.uri.raw; url_decode; content:\"/x y/d.php?q=A\"; startswith; endswith; sid:1;)",
        "alert http any any -> any any (http.user_agent; strip_whitespace; content:\"Mozilla/5.0(X11)\"; bsize:16; sid:2;)",
        "alert http any any -> any any (http.user_agent; compress_whitespace; content:\"Mozilla/5.0 (X11)\"; endswith; sid:3;)",
        "alert http any any -> any any (http.user_agent; to_lowercase; content:\"mozilla\"; startswith; sid:4;)",
        "alert http any any -> any any (http.user_agent; content:\"mozilla\"; sid:5;)",
        "alert http any any -> any any (http.header; header_lowercase; content:\"user-agent: Mozilla\"; sid:6;)",
        "alert http any any -> any any (http.uri.raw; pcrexform:\"q=(.*)$\"; content:\"%41\"; startswith; endswith; sid:7;)",
        "alert http any any -> any any (http.user_agent; xor:\"01\"; content:\"Ln{hmm`\"; startswith; sid:8;)");
    assertEquals(8, set.report().loaded(), set.report().summary());
    List<Long> sids = AppLayerDetectorTest.http(set,
        "GET /x+y/%64.php?q=%41 HTTP/1.1\r\nHost: a\r\nUser-Agent: Mozilla/5.0 \t (X11)\r\n\r\n",
        AppLayerDetectorTest.OK);
    sids.sort(null);
    assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 7L, 8L), sids);
  }

  @Test
  void fixtures() {
    assertEquals("a b c ", run(new Transform.CompressWhitespace(), "a \t b\r\n\nc  "));
    assertEquals("abc", run(new Transform.StripWhitespace(), " a\tb\u000bc\f"));
    assertEquals("% %4 %zz/ A", run(new Transform.UrlDecode(), "%+%4+%zz%2f+%41"));
    assertEquals("%4", run(new Transform.UrlDecode(), "%4"));
    assertEquals("x-a: B\r\n:path: /\r\nhost: Q:R\r\n",
        run(new Transform.HeaderLowercase(), "X-A: B\r\n:path: /\r\nHOST: Q:R\r\n"));
    assertEquals("X-A: B\r\nHost: h\r\n",
        run(new Transform.StripPseudoHeaders(), ":method: GET\r\nX-A: B\r\n:path: /\r\nHost: h\r\n"));
    assertEquals("Hi", run(new Transform.FromBase64(null, 0, 0, false), "SGk="));
    assertEquals("Hello", run(new Transform.FromBase64(null, 2, 0, false), "xxSGVsbG8"));
    assertEquals("Hel", run(new Transform.FromBase64(null, 0, 4, false), "SGVsbG8"));
    assertEquals("Hi", run(new Transform.FromBase64(null, 0, 0, true), "S G\nk"));
    assertEquals("", run(new Transform.FromBase64(null, 0, 0, false), "S G\nk"));
  }

  @Test
  void badTransformsAreErrors() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (dotprefix; content:\"x\"; sid:1;)",
        "alert dns any any -> any any (dns.query; xor:\"0\"; content:\"x\"; sid:2;)",
        "alert dns any any -> any any (dns.query; pcrexform:\"abc\"; content:\"x\"; sid:3;)",
        "alert dns any any -> any any (dns.query; from_base64: mode bogus; content:\"x\"; sid:4;)",
        "alert dns any any -> any any (dns.query; to_lowercase:1; content:\"x\"; sid:5;)");
    assertEquals(0, set.report().loaded(), set.report().summary());
    assertEquals(5, set.report().failed(), set.report().summary());
  }

  static String run(Transform t, String in) {
    byte[] b = new byte[in.length() + 64];
    byte[] s = in.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(s, 0, b, 0, s.length);
    int n = t.apply(b, s.length);
    return new String(b, 0, n, StandardCharsets.ISO_8859_1);
  }

  @Test
  void digestsAreRaw() {
    Transform t = new Transform.Digest("to_sha1", "SHA-1", 20);
    byte[] b = new byte[64];
    b[0] = 'a';
    assertEquals(20, t.apply(b, 1));
    byte[] want = sha("SHA-1", "a");
    byte[] got = java.util.Arrays.copyOf(b, 20);
    assertArrayEquals(want, got);
  }

  static byte[] md5(String s) {
    return sha("MD5", s);
  }

  static byte[] sha256(String s) {
    return sha("SHA-256", s);
  }

  static byte[] sha(String alg, String s) {
    try {
      return MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.ISO_8859_1));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x ", x & 0xff));
    }
    return sb.toString().strip();
  }
}

package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** base64_decode and base64_data on packet payloads and an HTTP header. */
class Base64Test {
  @Test
  void decodedBytesAreInspectedByBase64Data() throws Exception {
    String b64 = Base64.getEncoder().encodeToString("powershell -enc evil".getBytes());
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (content:\"data=\"; base64_decode:relative; base64_data; content:\"powershell\"; startswith; sid:1;)",
        "alert tcp any any -> any any (content:\"data=\"; base64_decode:offset 4,relative; base64_data; content:\"ershell\"; sid:2;)",
        "alert tcp any any -> any any (content:\"data=\"; base64_decode:bytes 8,relative; base64_data; content:\"evil\"; sid:3;)",
        "alert tcp any any -> any any (base64_decode; base64_data; content:\"evil\"; sid:4;)",
        "alert tcp any any -> any any (content:\"data=\"; base64_decode:relative; base64_data; content:\"-enc\"; content:\"evil\"; distance:1; within:4; sid:5;)");
    assertEquals(5, set.report().loaded(), set.report().summary());
    // the fast pattern is the raw payload's content, never a decoded one
    assertEquals("data=", new String(set.rule(1, 1).fastPattern.pattern));
    assertNull(set.rule(1, 4).fastPattern);
    List<Long> got = DetectorTest.fire(set, set.newDetector(),
        DetectorTest.tcp("GET /?data=" + b64 + " HTTP/1.1", 1, 80, 0x18), null);
    got.sort(null);
    // sid 2: 4 input bytes skipped = 3 decoded bytes ("pow"); sid 3: 8 input bytes = "powershe";
    // sid 4 decodes from the payload's start: "GET", then the space stops it
    assertEquals(List.of(1L, 2L, 5L), got);
  }

  @Test
  void base64DataInAnHttpRuleAndErrors() throws Exception {
    String b64 = Base64.getEncoder().encodeToString("admin:secret".getBytes());
    RuleSet set = AppLayerDetectorTest.load(
        "alert http any any -> any any (http.header; content:\"Authorization: Basic \"; base64_decode:relative; base64_data; content:\"admin:\"; startswith; sid:1;)",
        "alert tcp any any -> any any (base64_data; content:\"x\"; sid:2;)",
        "alert tcp any any -> any any (base64_decode:bytes 0; sid:3;)",
        "alert tcp any any -> any any (base64_decode:depth 3; sid:4;)");
    assertEquals(1, set.report().loaded(), set.report().summary());
    assertEquals(3, set.report().failed(), set.report().summary());
    List<Long> got = AppLayerDetectorTest.http(set,
        "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Basic " + b64 + "\r\n\r\n", AppLayerDetectorTest.OK);
    assertEquals(List.of(1L), got);
  }
}

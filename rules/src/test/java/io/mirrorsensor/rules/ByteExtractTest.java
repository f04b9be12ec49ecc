package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * byte_extract variables in content windows and byte_test, on generated TCP payloads; the first
 * rules are suricata-verify's byte-extract-01 on its payload shape ("10" then length digits).
 */
class ByteExtractTest {
  static List<Long> fire(String payload, String... rules) throws Exception {
    RuleSet set = AppLayerDetectorTest.load(rules);
    assertEquals(rules.length, set.report().loaded(), set.report().summary());
    List<Long> got = DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp(payload, 1234, 80, 0x18), null);
    got.sort(null);
    return got;
  }

  @Test
  void variablesDriveContentWindows() throws Exception {
    // "12" at 0: depth 12 finds "34" at 8..10; at offset 2 is '3' ...
    String payload = "1234567834 x";
    assertEquals(List.of(1L, 2L, 4L), fire(payload,
        "alert tcp any any -> any any (byte_extract:2,0,v,string,dec; content:\"34\"; offset:8; depth:v; sid:1;)",
        "alert tcp any any -> any any (byte_extract:1,7,v,string,dec; content:\"34\"; offset:v; sid:2;)",
        // depth 1 from offset 8 cannot hold two bytes
        "alert tcp any any -> any any (byte_extract:1,0,v,string,dec; content:\"34\"; offset:8; depth:v; sid:3;)",
        // '3' right after "12": the cursor moves past it (3), then distance 3 reaches "78" at 6
        "alert tcp any any -> any any (content:\"12\"; byte_extract:1,0,d,relative,string,dec; content:\"78\"; distance:d; within:2; sid:4;)",
        "alert tcp any any -> any any (content:\"12\"; byte_extract:1,0,d,relative,string,dec; content:\"56\"; distance:d; within:2; sid:5;)"));
  }

  @Test
  void relativeExtractionMovesTheCursorAndFeedsByteTest() throws Exception {
    // a length-prefixed record: type 0x16, length 0x0005, then 5 bytes, then 0x05 again
    String payload = "\u0016\u0000\u0005hello\u0005";
    assertEquals(List.of(1L, 2L, 3L, 5L), fire(payload,
        "alert tcp any any -> any any (content:\"|16|\"; byte_extract:2,0,len,relative; content:\"hello\"; within:len; sid:1;)",
        "alert tcp any any -> any any (content:\"|16|\"; byte_extract:2,0,len,relative; byte_test:1,=,len,5,relative; sid:2;)",
        // at = 5: the first 'l' of "hello"
        "alert tcp any any -> any any (byte_extract:1,2,at; byte_test:1,=,108,at; sid:3;)",
        "alert tcp any any -> any any (content:\"|16|\"; byte_extract:2,0,len,relative,multiplier 2; byte_test:1,=,len,5,relative; sid:4;)",
        // 5 aligned up to 8: the trailing 0x05
        "alert tcp any any -> any any (byte_extract:1,2,n,align 4; byte_test:1,=,5,n; sid:5;)"));
  }

  @Test
  void undefinedVariablesAreErrors() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (content:\"x\"; depth:nope; sid:1;)",
        "alert tcp any any -> any any (byte_extract:1,0,v; byte_extract:1,1,v; sid:2;)",
        "alert tcp any any -> any any (byte_extract:1,0,9v; sid:3;)");
    assertEquals(3, set.report().failed(), set.report().summary());
  }
}

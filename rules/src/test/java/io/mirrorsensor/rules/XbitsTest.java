package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorsensor.decode.DecodedPacket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** xbits: host and host-pair bits shared across flows and detectors, with expiry. */
class XbitsTest {
  static DecodedPacket at(String payload, int src, int dst, long seconds) {
    DecodedPacket p = DetectorTest.tcp(payload, 1000, 80, 0x18);
    // 10.0.0.src -> 10.0.0.dst
    java.util.Arrays.fill(p.srcAddr, (byte) 0);
    java.util.Arrays.fill(p.dstAddr, (byte) 0);
    p.srcAddr[0] = 10;
    p.dstAddr[0] = 10;
    p.srcAddr[3] = (byte) src;
    p.dstAddr[3] = (byte) dst;
    p.tsNanos = seconds * 1_000_000_000L;
    return p;
  }

  @Test
  void bitsFollowTheTrackedAddressAcrossFlowsAndWorkers() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (content:\"login\"; xbits:set,seen,track ip_src,expire 10; noalert; sid:1;)",
        "alert tcp any any -> any any (content:\"data\"; xbits:isset,seen,track ip_src; sid:2;)",
        "alert tcp any any -> any any (content:\"data\"; xbits:isnotset,seen,track ip_src; sid:3;)",
        "alert tcp any any -> any any (content:\"pair\"; xbits:set,p,track ip_pair; sid:4;)",
        "alert tcp any any -> any any (content:\"back\"; xbits:isset,p,track ip_pair; sid:5;)",
        "alert tcp any any -> any any (content:\"logout\"; xbits:unset,seen,track ip_src; sid:6;)");
    assertEquals(6, set.report().loaded(), set.report().summary());
    Detector w1 = set.newDetector();
    Detector w2 = set.newDetector();
    assertEquals(List.of(3L), DetectorTest.fire(set, w2, at("data", 1, 9, 0), null));
    assertEquals(List.of(), DetectorTest.fire(set, w1, at("login", 1, 9, 1), null));
    // another worker, another flow of the same source host
    assertEquals(List.of(2L), DetectorTest.fire(set, w2, at("data", 1, 7, 5), null));
    // another host
    assertEquals(List.of(3L), DetectorTest.fire(set, w2, at("data", 2, 7, 5), null));
    // expired after 10 s
    assertEquals(List.of(3L), DetectorTest.fire(set, w2, at("data", 1, 7, 12), null));
    DetectorTest.fire(set, w1, at("login", 1, 9, 20), null);
    DetectorTest.fire(set, w1, at("logout", 1, 9, 21), null);
    assertEquals(List.of(3L), DetectorTest.fire(set, w2, at("data", 1, 7, 22), null));
    // ip_pair ignores the direction
    assertEquals(List.of(4L), DetectorTest.fire(set, w1, at("pair", 1, 9, 30), null));
    assertEquals(List.of(5L), DetectorTest.fire(set, w2, at("back", 9, 1, 31), null));
    assertEquals(List.of(), DetectorTest.fire(set, w2, at("back", 9, 2, 31), null));
  }

  @Test
  void badXbitsAreErrors() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (xbits:set,a; sid:1;)",
        "alert tcp any any -> any any (xbits:flip,a,track ip_src; sid:2;)",
        "alert tcp any any -> any any (xbits:set,a,track ip_any; sid:3;)");
    assertEquals(3, set.report().failed(), set.report().summary());
  }
}

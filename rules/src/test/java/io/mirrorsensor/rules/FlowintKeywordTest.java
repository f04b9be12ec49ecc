package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** flowint: Suricata's detect-flowint.c semantics, per-flow storage, reload numbering. */
class FlowintKeywordTest {
  /** A flow with flowint storage sized by the set. */
  static final class Flow extends DetectorTest.Flow {
    long[] ints;

    Flow(RuleSet s) {
      super(s);
      ints = new long[Math.max(1, s.flowintSlots())];
    }

    @Override
    public long[] flowints() {
      return ints;
    }
  }

  static List<Long> fire(RuleSet set, Detector d, String payload, DetectorTest.Flow f) {
    List<Long> got = DetectorTest.fire(set, d, DetectorTest.tcp(payload, 1, 2, 0x18), f);
    got.sort(null);
    return got;
  }

  @Test
  void countsComparesAndTestsPresence() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (content:\"login\"; flowint:logins,+,1; noalert; sid:1;)",
        "alert tcp any any -> any any (content:\"login\"; flowint:logins,>,2; sid:2;)",
        "alert tcp any any -> any any (content:\"x\"; flowint:logins,notset; sid:3;)",
        "alert tcp any any -> any any (content:\"x\"; flowint:logins,isset; flowint:logins,==,1; sid:4;)",
        "alert tcp any any -> any any (content:\"reset\"; flowint:logins,=,0; noalert; sid:5;)",
        "alert tcp any any -> any any (content:\"x\"; flowint:logins,<=,limit; sid:6;)",
        "alert tcp any any -> any any (content:\"down\"; flowint:never,-,1; noalert; sid:7;)",
        "alert tcp any any -> any any (content:\"x\"; flowint:never,isnotset; sid:8;)",
        "alert tcp any any -> any any (content:\"x\"; flowint:logins,!=,0; flowint:logins,<,3; flowint:logins,>=,1; sid:9;)");
    assertEquals(9, set.report().loaded(), set.report().summary());
    assertEquals(List.of("logins", "limit", "never"), set.flowintNames());
    Detector d = set.newDetector();
    Flow f = new Flow(set);
    assertEquals(List.of(3L, 8L), fire(set, d, "x", f));
    fire(set, d, "login", f);
    // logins == 1 (the + on an unset flowint sets it); limit unset counts as 0, so <= fails
    assertEquals(List.of(4L, 8L, 9L), fire(set, d, "x", f));
    fire(set, d, "login", f);
    fire(set, d, "login", f);
    assertEquals(List.of(2L), fire(set, d, "login", f)); // 4 > 2 (after this rule's own +1 order)
    fire(set, d, "reset", f);
    assertEquals(List.of(6L, 8L), fire(set, d, "x", f)); // 0 <= 0; 0 != 0 fails
    // - on an unset flowint does nothing: it stays unset
    fire(set, d, "down", f);
    assertEquals(List.of(6L, 8L), fire(set, d, "x", f));
    // another flow starts from nothing
    assertEquals(List.of(3L, 8L), fire(set, d, "x", new Flow(set)));
    // without a flow nothing matches and nothing is stored
    assertEquals(List.of(), fire(set, d, "login", null));
  }

  @Test
  void arithmeticIsUnsigned32Bit() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (content:\"a\"; flowint:num,=,4294967295; noalert; sid:1;)",
        "alert tcp any any -> any any (content:\"b\"; flowint:num,+,2; noalert; sid:2;)",
        "alert tcp any any -> any any (content:\"c\"; flowint:num,-,5; noalert; sid:3;)",
        "alert tcp any any -> any any (content:\"?\"; flowint:num,==,1; sid:4;)",
        "alert tcp any any -> any any (content:\"?\"; flowint:num,==,4294967292; sid:5;)");
    Detector d = set.newDetector();
    Flow f = new Flow(set);
    fire(set, d, "a", f);
    fire(set, d, "b", f);
    assertEquals(List.of(4L), fire(set, d, "?", f));
    fire(set, d, "c", f);
    assertEquals(List.of(5L), fire(set, d, "?", f));
  }

  @Test
  void settersRunBeforeReadersOnOnePacket() throws Exception {
    // file order puts the reader first; Suricata orders flowint setters before readers
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (content:\"x\"; flowint:seen,isset; sid:1;)",
        "alert tcp any any -> any any (content:\"x\"; flowint:seen,=,1; noalert; sid:2;)");
    assertEquals(List.of(1L), fire(set, set.newDetector(), "x", new Flow(set)));
  }

  @Test
  void badSyntaxIsAnError() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (flowint:num,~,1; sid:1;)",
        "alert tcp any any -> any any (flowint:num,+; sid:2;)",
        "alert tcp any any -> any any (flowint:num,isset,3; sid:3;)",
        "alert tcp any any -> any any (flowint:num,=,4294967296; sid:4;)");
    assertEquals(4, set.report().failed(), set.report().summary());
    assertTrue(set.report().diagnostics().get(1).toString().contains("needs a value"),
        set.report().diagnostics().get(1).toString());
  }

  @Test
  void aReloadKeepsTheSlotNumbers() throws Exception {
    RuleSet v1 = RuleLoader.loadText("a", "alert tcp any any -> any any (content:\"x\"; flowint:aa,+,1; sid:1;)\n"
        + "alert tcp any any -> any any (content:\"x\"; flowint:bb,+,1; sid:2;)\n", RuleOptions.defaults());
    RuleSet v2 = RuleLoader.reloadText("a",
        "alert tcp any any -> any any (content:\"x\"; flowint:cc,+,1; sid:3;)\n"
        + "alert tcp any any -> any any (content:\"x\"; flowint:bb,>,0; sid:4;)\n", RuleOptions.defaults(), v1);
    assertEquals(List.of("aa", "bb", "cc"), v2.flowintNames(), "old names keep their slots");
    assertEquals(3, v2.flowintSlots());
  }

  @Test
  void thresholdBackoffAlertsOnCountTimesPowersOfTheMultiplierPerFlow() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (content:\"g\"; threshold:type backoff, track by_flow, count 1, multiplier 10; sid:1;)",
        "alert tcp any any -> any any (content:\"h\"; threshold: type backoff, track by_flow, count 2, multiplier 2; sid:2;)",
        "alert tcp any any -> any any (content:\"x\"; threshold:type backoff, track by_src, count 1, multiplier 2; sid:3;)",
        "alert tcp any any -> any any (content:\"x\"; threshold:type limit, track by_flow, count 1, seconds 60; sid:4;)",
        "alert tcp any any -> any any (content:\"x\"; threshold:type backoff, track by_flow, count 1; sid:5;)");
    assertEquals(2, set.report().loaded(), set.report().summary());
    assertEquals(1, set.report().skippedByReason().get("threshold:by_flow"));
    assertEquals(2, set.report().failed());
    Detector d = set.newDetector();
    Flow f = new Flow(set);
    List<Integer> g = new java.util.ArrayList<>();
    List<Integer> h = new java.util.ArrayList<>();
    for (int i = 1; i <= 120; i++) {
      if (!fire(set, d, "g", f).isEmpty()) {
        g.add(i);
      }
      if (!fire(set, d, "h", f).isEmpty()) {
        h.add(i);
      }
    }
    assertEquals(List.of(1, 10, 100), g);
    assertEquals(List.of(2, 4, 8, 16, 32, 64), h);
    assertEquals(List.of(1L), fire(set, d, "g", new Flow(set)), "another flow counts afresh");
  }
}

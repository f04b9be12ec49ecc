package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detect.rules}: the version is a hash of the rules' texts (same files, same version; a
 * changed rule, another), and a hot reload published to the lineage shows as a new version, a
 * new in-use time and one more reload, as {@code listen --watch} and SIGHUP publish them.
 */
class RuleSetStatusTest {
  private static final String RULE_A = "alert tcp any any -> any 80 (msg:\"a\"; content:\"GET\";"
      + " sid:1; rev:1;)\n";
  private static final String RULE_B = "alert udp any any -> any 53 (msg:\"b\"; sid:2; rev:1;)\n";

  @TempDir Path tmp;

  @Test
  void versionFollowsTheRulesAndAReloadIsSeen() throws Exception {
    Path f = tmp.resolve("a.rules");
    Files.writeString(f, RULE_A);
    RuleSet set = RuleLoader.load(List.of(f), RuleOptions.defaults());
    RuleSetStatus status = new RuleSetStatus(set, 1_700_000_000_123L);
    Map<String, Object> first = status.stats(1_700_000_100_000L);
    assertEquals(1L, first.get("loaded"));
    assertEquals(0L, first.get("failed"));
    assertEquals(0L, first.get("reloads"));
    assertEquals(1_700_000_000L, first.get("in_use_since"));
    String v1 = (String) first.get("version");
    assertTrue(v1.matches("[0-9a-f]{16}"), v1);
    // The same file loaded again: the same version (a fleet can compare versions).
    assertEquals(v1, RuleSetStatus.version(RuleLoader.load(List.of(f), RuleOptions.defaults())));
    // Unchanged lineage: nothing moves.
    assertEquals(first, status.stats(1_700_000_200_000L));

    Files.writeString(f, RULE_A + RULE_B);
    RuleSet next = RuleLoader.reload(List.of(f), RuleOptions.defaults(), set);
    assertEquals(first, status.stats(1_700_000_300_000L), "not in force before publish");
    next.publish();
    Map<String, Object> after = status.stats(1_700_000_400_000L);
    assertEquals(2L, after.get("loaded"));
    assertEquals(1L, after.get("reloads"));
    assertEquals(1_700_000_400L, after.get("in_use_since"));
    assertNotEquals(v1, after.get("version"));
    assertEquals(RuleSetStatus.version(next), after.get("version"));
  }
}

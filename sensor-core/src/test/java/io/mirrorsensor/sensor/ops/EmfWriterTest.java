package io.mirrorsensor.sensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.live.LiveRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** EMF documents checked against the specification's required structure, and their deltas. */
class EmfWriterTest {
  private static List<Map<String, Object>> run(String dims) throws Exception {
    Properties p = new Properties();
    p.setProperty("vni.101.session", "web-frontend");
    p.setProperty("ops.emf.dimensions", dims);
    p.setProperty("ops.emf.namespace", "Mirror/Test");
    ConfigLoader.Loaded l = ConfigLoader.loadAll(p, "test");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EmfWriter w = new EmfWriter(l.ops(), l.sensor(), out, false, "sensor-a",
        new PrintStream(PrintStream.nullOutputStream()));
    w.accept(new LiveRunner.Snapshot(OpsMetricsTest.stats(100, 98, 2, 0, 0), 60,
        1_700_000_000_000L, new long[1], true, true));
    // Not a stats event: no document.
    w.accept(new LiveRunner.Snapshot(OpsMetricsTest.stats(150, 148, 2, 0, 0), 65,
        1_700_000_005_000L, new long[1], true, false));
    w.accept(new LiveRunner.Snapshot(OpsMetricsTest.stats(300, 290, 7, 3, 0), 120,
        1_700_000_060_000L, new long[1], true, true));
    List<Map<String, Object>> docs = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      Map<String, Object> d = RecentFindings.parse(line);
      EmfSpec.check(d);
      docs.add(d);
    }
    return docs;
  }

  @Test
  void documentsHaveTheRequiredStructureAndCountTheInterval() throws Exception {
    List<Map<String, Object>> docs = run("vni,session");
    assertEquals(6, docs.size(), "per interval: the sensor's document and one per VNI (2)");
    Map<String, Object> first = docs.get(0);
    assertEquals("sensor-a", first.get("Sensor"));
    assertEquals(100L, first.get("Received"));
    assertEquals(1L, first.get("SynUnanswered"));
    assertEquals("Mirror/Test", StatsTree.at(first, "_aws.CloudWatchMetrics") instanceof List
        ? ((Map<?, ?>) ((List<?>) StatsTree.at(first, "_aws.CloudWatchMetrics")).get(0))
            .get("Namespace") : null);
    Map<String, Object> second = docs.get(3);
    assertEquals(1_700_000_060_000L, StatsTree.at(second, "_aws.Timestamp"));
    assertEquals(200L, second.get("Received"), "the interval's datagrams, not the total");
    assertEquals(8L, second.get("Dropped"), "ring full 5 + kernel 3");
    assertEquals(5L, second.get("DroppedRingFull"));
    assertEquals(0L, second.get("SynUnanswered"));
    assertEquals(68L, second.get("Events"), "alerts +20, http +48");
    assertEquals(48L, second.get("HttpTransactions"));
    Map<String, Object> vni101 = docs.get(4);
    assertEquals("101", vni101.get("VNI"));
    assertEquals("web-frontend", vni101.get("Session"));
    assertEquals(5L, vni101.get("ListenerDropped"), "dropped before the ring: 7 - 2");
    assertEquals(null, docs.get(5).get("ListenerDropped"), "VNI 102: no listener counts");
    assertEquals(List.of(List.of("VNI", "Session")),
        ((Map<?, ?>) ((List<?>) StatsTree.at(vni101, "_aws.CloudWatchMetrics")).get(0))
            .get("Dimensions"));
    assertEquals("vni-102", docs.get(5).get("Session"), "an unnamed session is named by VNI");
  }

  @Test
  void dimensionsAreConfigurable() throws Exception {
    List<Map<String, Object>> docs = run("session");
    assertEquals(List.of(List.of("Session")),
        ((Map<?, ?>) ((List<?>) StatsTree.at(docs.get(1), "_aws.CloudWatchMetrics")).get(0))
            .get("Dimensions"));
    assertEquals(null, docs.get(1).get("VNI"));
    assertEquals(2, run("").size(), "no per-VNI documents without dimensions");
  }

  @Test
  void theCheckerRejectsAMetricWithoutItsMember() throws Exception {
    Map<String, Object> bad = RecentFindings.parse("{\"_aws\":{\"Timestamp\":1700000000000,"
        + "\"CloudWatchMetrics\":[{\"Namespace\":\"n\",\"Dimensions\":[[\"Sensor\"]],"
        + "\"Metrics\":[{\"Name\":\"Dropped\",\"Unit\":\"Count\"}]}]},\"Sensor\":\"a\"}");
    assertThrows(AssertionError.class, () -> EmfSpec.check(bad));
  }
}

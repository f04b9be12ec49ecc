package io.mirrorsensor.sensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.app.AppFinding;
import io.mirrorsensor.decode.tcp.TcpFinding;
import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.engine.RuleSetStatus;
import io.mirrorsensor.sensor.live.LiveRunner;
import io.mirrorsensor.sensor.live.VxlanSender;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics of a live run on real traffic, checked against the eve.json the same run wrote: a
 * capture with known HTTP and DNS transactions goes through the listener (in this JVM, 2 workers,
 * a rule set loaded), and the exposition of the run's last snapshot (taken after every flow ended
 * and the final stats event was written) must say, by event_type, as many events as eve.json
 * holds; as many findings of each built-in type and rule alerts as its alert events; HTTP and DNS
 * latency summaries whose {@code _count}, {@code _sum} and maximum are those of the events'
 * {@code response_latency_ms} and {@code latency_ms}; the rule set's version; and per-VNI
 * listener counts equal to the workers' per-VNI counts.
 */
class OpsTrafficMetricsTest {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  @TempDir Path tmp;

  @Test
  void sampleCaptureMetricsMatchItsEveJson() throws Exception {
    Map<String, Double> m = run(Dirs.root().resolve("samples/vxlan.pcap"), 44);
    // samples/README.md: 27 frames on VNI 101, 17 on VNI 102, none dropped.
    assertEquals(27.0, PromGrammar.value(m, "mirrorsensor_vni_received_datagrams_total", "vni",
        "101", "session", ""));
    assertEquals(17.0, PromGrammar.value(m, "mirrorsensor_vni_received_datagrams_total", "vni",
        "102", "session", ""));
    assertEquals(0.0, PromGrammar.value(m, "mirrorsensor_vni_dropped_datagrams_total", "vni",
        "102", "session", ""));
    // Two HTTP transactions (IPv4 on both VNIs counts once, IPv6) and one DNS.
    assertEquals(2.0, PromGrammar.value(m, "mirrorsensor_http_response_latency_seconds_count"));
    assertEquals(1.0, PromGrammar.value(m, "mirrorsensor_dns_latency_seconds_count"));
    // Live, packet time is the sensor's receive time (the sender paces at its own rate, not the
    // capture's): a single answer's latency is every quantile of the summary.
    double dns = PromGrammar.value(m, "mirrorsensor_dns_latency_seconds", "quantile", "1");
    assertTrue(dns > 0, text(m));
    for (String q : new String[] {"0.5", "0.9", "0.99", "0.999"}) {
      assertEquals(dns, PromGrammar.value(m, "mirrorsensor_dns_latency_seconds", "quantile", q),
          dns * 0.001, q);
    }
  }

  @Test
  void browsingMixMetricsMatchItsEveJson() throws Exception {
    Path corpus = Dirs.corpusOrSkip("browsing mix through the listener");
    if (corpus == null) {
      return;
    }
    Path pcap = corpus.resolve("pcaps/derived-vxlan-aws-browsing-mixed.pcap");
    Map<String, Double> m = run(pcap, -1);
    assertTrue(PromGrammar.value(m, "mirrorsensor_http_response_latency_seconds_count") > 20);
    assertTrue(PromGrammar.value(m, "mirrorsensor_dns_latency_seconds_count") > 20);
  }

  /**
   * Sends {@code pcap} to a live runner, stops it, and checks the last snapshot's exposition
   * against the eve.json; returns the series.
   *
   * @param expected datagrams the capture holds, or -1 (then: every datagram sent is received)
   */
  private Map<String, Double> run(Path pcap, int expected) throws Exception {
    Path rules = tmp.resolve("test.rules");
    Files.writeString(rules, String.join("\n",
        "alert http any any -> any any (msg:\"HTTP GET\"; http.method; content:\"GET\";"
            + " sid:9000001; rev:1;)",
        "alert dns any any -> any any (msg:\"DNS query\"; dns.query; content:\"example\";"
            + " nocase; sid:9000002; rev:1;)",
        ""));
    RuleSet set = RuleLoader.load(List.of(rules), RuleOptions.defaults());
    assertEquals(2, set.report().loaded(), set.report().summary());
    Properties p = new Properties();
    p.setProperty("pipeline.workers", "2");
    p.setProperty("pipeline.ring_size", "4096");
    p.setProperty("live.stats_interval", "1s");
    ConfigLoader.Loaded loaded = ConfigLoader.loadAll(p, "test");
    SensorConfig cfg = loaded.sensor().withRules(set);
    Path out = tmp.resolve("out");
    LiveRunner live = new LiveRunner(cfg, "127.0.0.1", 0, -1, Outputs.open(out, cfg, QUIET),
        QUIET);
    OpsState state = new OpsState(loaded.ops(), cfg);
    AtomicReference<LiveRunner.Snapshot> last = new AtomicReference<>();
    live.onSnapshot(s -> {
      last.set(s);
      state.accept(s);
    }, 1_000_000_000L);
    long before = System.currentTimeMillis() / 1000;
    live.start();
    VxlanSender.Result sent;
    try {
      sent = new VxlanSender(pcap, 1, new int[] {4789})
          .send(new InetSocketAddress("127.0.0.1", live.port()), 20_000, 1);
      if (expected >= 0) {
        assertEquals(expected, sent.datagrams());
      }
      // Until a snapshot shows every datagram arrived (received, or lost in the kernel).
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        OpsState.View v = state.latest();
        if (v != null && v.received() + Math.max(0, v.kernelDrops()) >= sent.datagrams()) {
          break;
        }
        Thread.sleep(50);
      }
    } finally {
      live.stop();
    }
    assertNotNull(last.get());
    assertTrue(last.get().statsEvent(), "the last snapshot is the final stats event's");
    String text = PrometheusText.render(state);
    Map<String, Double> m = PromGrammar.check(text);
    OpsMetricsTest.assertPromtoolAccepts(text);

    // Events by type: exactly eve.json's.
    List<Map<String, Object>> events = Json.lines(out.resolve("eve.json"));
    Map<String, Long> byType = new TreeMap<>();
    for (Map<String, Object> e : events) {
      byType.merge((String) e.get("event_type"), 1L, Long::sum);
    }
    assertTrue(byType.containsKey("http") && byType.containsKey("dns"), byType.toString());
    Map<String, Long> exposed = new TreeMap<>();
    seriesOf(m, "mirrorsensor_events_total").forEach((labels, v) -> {
      if (v > 0) {
        exposed.put(labels.get("event_type"), v.longValue());
      }
    });
    assertEquals(byType, exposed, text);

    // Findings by type: the built-in detectors' alerts per finding, and the rules'.
    Map<String, Long> alertsBySid = new TreeMap<>();
    for (Map<String, Object> e : events) {
      if ("alert".equals(e.get("event_type"))) {
        alertsBySid.merge(Json.at(e, "alert.gid") + ":" + Json.at(e, "alert.signature_id"), 1L,
            Long::sum);
      }
    }
    for (TcpFinding f : TcpFinding.values()) {
      assertEquals(alertsBySid.getOrDefault(TcpFinding.GID + ":" + f.sid(), 0L).doubleValue(),
          PromGrammar.value(m, "mirrorsensor_findings_by_type_total", "source", "tcp", "type",
              f.name().toLowerCase(Locale.ROOT)), f.name());
    }
    for (AppFinding f : AppFinding.values()) {
      assertEquals(alertsBySid.getOrDefault(AppFinding.GID + ":" + f.sid(), 0L).doubleValue(),
          PromGrammar.value(m, "mirrorsensor_findings_by_type_total", "source", "app", "type",
              f.name().toLowerCase(Locale.ROOT)), f.name());
    }
    long ruleAlerts = alertsBySid.getOrDefault("1:9000001", 0L)
        + alertsBySid.getOrDefault("1:9000002", 0L);
    assertTrue(ruleAlerts > 0, alertsBySid.toString());
    assertEquals((double) ruleAlerts, PromGrammar.value(m,
        "mirrorsensor_findings_by_type_total", "source", "rules", "type", "rule"));

    // Latency summaries: count, sum and maximum of the events' own latency fields.
    checkLatency(m, "mirrorsensor_http_response_latency_seconds", events, "http",
        "http.response_latency_ms");
    checkLatency(m, "mirrorsensor_dns_latency_seconds", events, "dns", "dns.latency_ms");
    double toEvent = PromGrammar.value(m, "mirrorsensor_receive_to_event_latency_seconds_count");
    long caused = events.stream().filter(e -> !"stats".equals(e.get("event_type"))
        && !"extract".equals(e.get("event_type"))).count();
    assertTrue(toEvent > 0 && toEvent <= caused, toEvent + " of " + caused);
    assertTrue(PromGrammar.value(m, "mirrorsensor_receive_to_event_latency_seconds_sum") > 0);
    assertQuantilesRise(m, "mirrorsensor_receive_to_event_latency_seconds");
    assertTrue(PromGrammar.value(m, "mirrorsensor_receive_latency_seconds_count")
        >= PromGrammar.value(m, "mirrorsensor_processed_packets_total") - 0.5, text);

    // The rule set.
    assertEquals(1.0, PromGrammar.value(m, "mirrorsensor_rules_info", "version",
        RuleSetStatusVersion.of(set)));
    assertEquals(2.0, PromGrammar.value(m, "mirrorsensor_rules_loaded"));
    assertEquals(0.0, PromGrammar.value(m, "mirrorsensor_rules_reloads_total"));
    double since = PromGrammar.value(m, "mirrorsensor_rules_load_timestamp_seconds");
    assertTrue(since >= before && since <= System.currentTimeMillis() / 1000.0, since + "");

    // Per VNI: the listener's counts before the rings are the workers' counts after them.
    Map<Map<String, String>, Double> listener = seriesOf(m,
        "mirrorsensor_vni_received_datagrams_total");
    assertTrue(!listener.isEmpty(), text);
    double sum = 0;
    for (Map.Entry<Map<String, String>, Double> e : listener.entrySet()) {
      String vni = e.getKey().get("vni");
      sum += e.getValue();
      assertEquals(e.getValue(), PromGrammar.value(m, "mirrorsensor_vni_packets_total", "vni",
          vni, "session", ""), "VNI " + vni);
    }
    assertEquals(PromGrammar.value(m, "mirrorsensor_received_datagrams_total"), sum);
    return m;
  }

  /** {@code _count}, {@code _sum} and quantile 1 of a summary against the events' field. */
  private static void checkLatency(Map<String, Double> m, String name,
      List<Map<String, Object>> events, String type, String field) {
    long n = 0;
    BigDecimal sum = BigDecimal.ZERO;
    double max = 0;
    for (Map<String, Object> e : events) {
      Object v = type.equals(e.get("event_type")) ? Json.at(e, field) : null;
      if (v instanceof Number) {
        n++;
        BigDecimal ms = new BigDecimal(v.toString());
        // The summary clamps to at least 1 us, as it records.
        ms = ms.max(new BigDecimal("0.001"));
        sum = sum.add(ms);
        max = Math.max(max, ms.doubleValue());
      }
    }
    assertTrue(n > 0, "no " + field);
    assertEquals((double) n, PromGrammar.value(m, name + "_count"), name);
    assertEquals(sum.doubleValue() / 1e3, PromGrammar.value(m, name + "_sum"), 1e-9, name);
    assertEquals(max / 1e3, PromGrammar.value(m, name, "quantile", "1"), 1e-9, name);
    assertQuantilesRise(m, name);
  }

  /** A summary's quantiles never decrease (percentiles are capped at the exact maximum). */
  static void assertQuantilesRise(Map<String, Double> m, String name) {
    double last = 0;
    for (String q : new String[] {"0.5", "0.9", "0.99", "0.999", "1"}) {
      double v = PromGrammar.value(m, name, "quantile", q);
      assertTrue(v >= last, name + " quantile " + q + ": " + v + " < " + last);
      last = v;
    }
  }

  private static String text(Map<String, Double> m) {
    return m.toString();
  }

  /** The series of one family: labels to value. */
  static Map<Map<String, String>, Double> seriesOf(Map<String, Double> m, String family) {
    Map<Map<String, String>, Double> out = new java.util.LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (k.startsWith(family + "{")) {
        Map<String, String> labels = new TreeMap<>();
        String inner = k.substring(family.length() + 1, k.length() - 1);
        for (String kv : inner.split(", ")) {
          int eq = kv.indexOf('=');
          labels.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        out.put(labels, v);
      }
    });
    return out;
  }

  /** RuleSetStatus's version of a set, through its stats (the version function is internal). */
  private static final class RuleSetStatusVersion {
    static String of(RuleSet set) {
      return (String) new RuleSetStatus(set, 0).stats(0).get("version");
    }
  }
}

package io.mirrorsensor.sensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.live.LiveRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * /metrics and /health from synthetic snapshots: the exposition checked line by line against the
 * 0.0.4 grammar (and by {@code promtool check metrics} when it is installed), the health rules
 * one by one.
 */
class OpsMetricsTest {
  /** A live stats map shaped as LiveRunner builds it. */
  static Map<String, Object> stats(long received, long processed, long ringFull, long kernel,
      long writeErrors) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> dropped = new LinkedHashMap<>();
    dropped.put("not_vxlan", 0L);
    dropped.put("source_not_allowed", 0L);
    dropped.put("vni_not_allowed", 0L);
    dropped.put("oversized", 0L);
    dropped.put("ring_full", ringFull);
    Map<String, Object> listenerVni = new LinkedHashMap<>();
    listenerVni.put("101", Map.of("received", received / 2, "bytes", received * 50,
        "dropped", ringFull));
    listenerVni.put("other", Map.of("received", received - received / 2, "bytes",
        received * 50, "dropped", 0L));
    m.put("capture", new LinkedHashMap<>(Map.of("received", received, "bytes", received * 100,
        "processed", processed, "dropped", dropped, "kernel_drops", kernel, "per_vni",
        listenerVni)));
    m.put("decoder", new LinkedHashMap<>(Map.of("packets", processed, "ipv4", processed,
        "anomalies", Map.of("tcp.hlen_too_small", 3L))));
    m.put("ring", Map.of("size", 1024L, "workers", 2L, "full_drops", ringFull, "high_water", 7L));
    m.put("flow", new LinkedHashMap<>(Map.of("packets", processed, "created", 6L, "active", 4L,
        "high_water", 6L, "mirror_duplicates", 13L)));
    Map<String, Object> perVni = new LinkedHashMap<>();
    perVni.put("101", new LinkedHashMap<>(Map.of("syn_rtt_ms", new LinkedHashMap<>(Map.of(
        "p50", new java.math.BigDecimal("2.000"), "p99", new java.math.BigDecimal("3.500"),
        "max", new java.math.BigDecimal("4.125"), "count", 2L, "sum",
        new java.math.BigDecimal("6.125"))), "bytes_seen", 3366L,
        "missed_bytes", 10L, "loss_estimate", new java.math.BigDecimal("0.002962"))));
    perVni.put("none", new LinkedHashMap<>(Map.of("bytes_seen", 0L, "missed_bytes", 0L,
        "loss_estimate", java.math.BigDecimal.ZERO)));
    m.put("tcp", new LinkedHashMap<>(Map.of("analysis", Map.of("retransmission", 1L),
        "resets", 0L, "reassembly", Map.of("streams", 0L, "buffered_bytes", 0L),
        "per_vni", perVni)));
    m.put("detect", Map.of("alerts", 1L + processed / 10, "rule_alerts", processed / 10,
        "rule_candidates_evaluated", 17L,
        "by_sid", new LinkedHashMap<>(Map.of("700:1", 1L, "700:2", 0L, "700:6", 0L)),
        "rules", new LinkedHashMap<>(Map.of("loaded", 2L, "failed", 0L, "skipped", 1L,
            "version", "0123456789abcdef", "load_ms", 1250L, "in_use_since", 1_700_000_000L,
            "reloads", 1L))));
    m.put("events", new java.util.TreeMap<>(Map.of("alert", 1L + processed / 10, "flow", 6L,
        "http", processed / 4, "stats", 2L)));
    io.mirrorsensor.sensor.output.LatencyHistogram http =
        new io.mirrorsensor.sensor.output.LatencyHistogram();
    http.recordNanos(10_000_000L);
    http.recordNanos(30_000_000L);
    io.mirrorsensor.sensor.output.LatencyHistogram dns =
        new io.mirrorsensor.sensor.output.LatencyHistogram();
    m.put("app", new LinkedHashMap<>(Map.of("http_transactions", processed / 4,
        "dns_transactions", 0L, "tls_sessions", 1L, "events",
        Map.of("http.request_line_too_long", 2L), "http_response_ms", http, "dns_response_ms",
        dns)));
    io.mirrorsensor.sensor.output.LatencyHistogram toEvent =
        new io.mirrorsensor.sensor.output.LatencyHistogram();
    toEvent.recordNanos(250_000L);
    m.put("receive_to_event_ms", toEvent);
    m.put("output", Map.of("write_errors", writeErrors, "behind", 0L, "dropped_events", 0L));
    m.put("worker", Map.of("exceptions", 0L));
    m.put("latency_us", Map.of("p50", 41L, "p90", 120L, "p99", 310L, "p99_9", 900L, "max",
        5100L, "count", processed, "sum", 60L * processed));
    Map<String, Object> vni = new LinkedHashMap<>();
    vni.put("101", Map.of("packets", processed / 2, "bytes", 7000L));
    vni.put("102", Map.of("packets", processed - processed / 2, "bytes", 4000L));
    m.put("vni", vni);
    return m;
  }

  static LiveRunner.Snapshot snap(Map<String, Object> stats, boolean answered) {
    return new LiveRunner.Snapshot(stats, 12.0, 1_700_000_000_000L, new long[] {0, 3}, answered,
        false);
  }

  static OpsState state(AtomicLong clock, String... kv) {
    Properties p = new Properties();
    // A session name with every character the label escaping must handle.
    p.setProperty("vni.101.session", "web \"front\" \\ end\nline2");
    p.setProperty("ops.snapshot_interval", "1s");
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    ConfigLoader.Loaded l = ConfigLoader.loadAll(p, "test");
    return new OpsState(l.ops(), l.sensor(), clock::get);
  }

  @Test
  void metricsFollowTheTextFormatAndCarryTheCounters() throws Exception {
    AtomicLong clock = new AtomicLong(0);
    OpsState st = state(clock);
    st.accept(snap(stats(100, 98, 2, 0, 0), true));
    String text = PrometheusText.render(st);
    Map<String, Double> m = PromGrammar.check(text);
    assertEquals(100.0, PromGrammar.value(m, "mirrorsensor_received_datagrams_total"));
    assertEquals(98.0, PromGrammar.value(m, "mirrorsensor_processed_packets_total"));
    assertEquals(2.0, PromGrammar.value(m, "mirrorsensor_dropped_datagrams_total", "stage",
        "listener", "reason", "ring_full"));
    assertEquals(0.0, PromGrammar.value(m, "mirrorsensor_dropped_datagrams_total", "stage",
        "kernel", "reason", "socket_buffer"));
    assertEquals(3.0, PromGrammar.value(m, "mirrorsensor_ring_occupancy_slots", "worker", "1"));
    assertEquals(4.0, PromGrammar.value(m, "mirrorsensor_flows_active"));
    assertEquals(1.0, PromGrammar.value(m, "mirrorsensor_findings_total", "gid", "700", "sid",
        "1", "signature", "SYN unanswered: possible security group / NACL drop or host down"));
    String session = "web \"front\" \\ end\nline2";
    assertEquals(49.0, PromGrammar.value(m, "mirrorsensor_vni_packets_total", "vni", "101",
        "session", session));
    assertEquals(0.0035, PromGrammar.value(m, "mirrorsensor_tcp_syn_rtt_seconds", "vni", "101",
        "session", session, "quantile", "0.99"));
    assertEquals(0.004125, PromGrammar.value(m, "mirrorsensor_tcp_syn_rtt_seconds", "vni",
        "101", "session", session, "quantile", "1"));
    assertEquals(2.0, PromGrammar.value(m, "mirrorsensor_tcp_syn_rtt_seconds_count", "vni",
        "101", "session", session));
    assertEquals(3.0, PromGrammar.value(m, "mirrorsensor_anomalies_total", "id",
        "tcp.hlen_too_small"));
    assertEquals(9.0, PromGrammar.value(m, "mirrorsensor_rule_alerts_total"));
    assertEquals(17.0, PromGrammar.value(m, "mirrorsensor_rule_candidates_evaluated_total"));
    assertEquals(0.006125, PromGrammar.value(m,
        "mirrorsensor_tcp_syn_rtt_seconds_sum", "vni", "101", "session", session), 1e-12);
    // Events, findings and app-layer counters.
    assertEquals(10.0, PromGrammar.value(m, "mirrorsensor_events_total", "event_type", "alert"));
    assertEquals(24.0, PromGrammar.value(m, "mirrorsensor_events_total", "event_type", "http"));
    assertEquals(1.0, PromGrammar.value(m, "mirrorsensor_findings_by_type_total", "source", "tcp",
        "type", "syn_unanswered"));
    assertEquals(0.0, PromGrammar.value(m, "mirrorsensor_findings_by_type_total", "source", "app",
        "type", "http_slow_response"));
    assertEquals(9.0, PromGrammar.value(m, "mirrorsensor_findings_by_type_total", "source",
        "rules", "type", "rule"));
    assertEquals(24.0, PromGrammar.value(m, "mirrorsensor_app_transactions_total", "protocol",
        "http"));
    assertEquals(2.0, PromGrammar.value(m, "mirrorsensor_app_events_total", "id",
        "http.request_line_too_long"));
    // Rule set.
    assertEquals(1.0, PromGrammar.value(m, "mirrorsensor_rules_info", "version",
        "0123456789abcdef"));
    assertEquals(2.0, PromGrammar.value(m, "mirrorsensor_rules_loaded"));
    assertEquals(1.25, PromGrammar.value(m, "mirrorsensor_rules_load_duration_seconds"));
    assertEquals(1_700_000_000.0, PromGrammar.value(m,
        "mirrorsensor_rules_load_timestamp_seconds"));
    assertEquals(1.0, PromGrammar.value(m, "mirrorsensor_rules_reloads_total"));
    // Summaries carry quantiles, _sum and _count; an empty one only _sum 0 and _count 0.
    assertEquals(0.01, PromGrammar.value(m, "mirrorsensor_http_response_latency_seconds",
        "quantile", "0.5"), 0.01 * 0.001);
    assertEquals(0.03, PromGrammar.value(m, "mirrorsensor_http_response_latency_seconds",
        "quantile", "1"));
    assertEquals(0.04, PromGrammar.value(m, "mirrorsensor_http_response_latency_seconds_sum"),
        1e-12);
    assertEquals(2.0, PromGrammar.value(m, "mirrorsensor_http_response_latency_seconds_count"));
    // Milliseconds to seconds in decimal: no binary-fraction noise in the text.
    assertTrue(text.contains("\nmirrorsensor_http_response_latency_seconds_sum 0.04\n"), text);
    assertTrue(text.contains("\nmirrorsensor_receive_latency_seconds{quantile=\"0.9\"} 1.2E-4\n"),
        text);
    assertEquals(0.0, PromGrammar.value(m, "mirrorsensor_dns_latency_seconds_count"));
    assertEquals(0.0, PromGrammar.value(m, "mirrorsensor_dns_latency_seconds_sum"));
    assertEquals(null, PromGrammar.value(m, "mirrorsensor_dns_latency_seconds", "quantile",
        "0.5"));
    assertEquals(0.00025, PromGrammar.value(m,
        "mirrorsensor_receive_to_event_latency_seconds_sum"), 1e-12);
    assertEquals(0.00012, PromGrammar.value(m, "mirrorsensor_receive_latency_seconds",
        "quantile", "0.9"), 1e-12);
    assertEquals(98.0, PromGrammar.value(m, "mirrorsensor_receive_latency_seconds_count"));
    assertEquals(98 * 60e-6, PromGrammar.value(m, "mirrorsensor_receive_latency_seconds_sum"),
        1e-12);
    // Listener per VNI (before the rings); "other": VNIs beyond the listener's table.
    assertEquals(50.0, PromGrammar.value(m, "mirrorsensor_vni_received_datagrams_total", "vni",
        "101", "session", session));
    assertEquals(2.0, PromGrammar.value(m, "mirrorsensor_vni_dropped_datagrams_total", "vni",
        "101", "session", session));
    assertEquals(50.0, PromGrammar.value(m, "mirrorsensor_vni_received_datagrams_total", "vni",
        "other", "session", ""));
    assertTrue(text.contains("session=\"web \\\"front\\\" \\\\ end\\nline2\""), text);
    assertPromtoolAccepts(text);
  }

  @Test
  void beforeTheFirstSnapshotOnlyTheHealthGaugeIsExposed() {
    OpsState st = state(new AtomicLong());
    Map<String, Double> m = PromGrammar.check(PrometheusText.render(st));
    assertEquals(Map.of("mirrorsensor_healthy{}", 0.0), m);
  }

  @Test
  void healthFollowsStalenessWorkersDropsWriteErrorsAndStopping() {
    AtomicLong clock = new AtomicLong(0);
    OpsState st = state(clock, "ops.health.max_drop_ratio", "0.05");
    OpsState.Health h = st.health();
    assertFalse(h.healthy());
    assertTrue(h.reasons().get(0).startsWith("starting"), h.reasons().toString());

    st.accept(snap(stats(100, 100, 0, 0, 0), true));
    assertTrue(st.health().healthy(), st.health().reasons().toString());

    // 4 of 104 arrived in the last interval dropped (ring full 2 + kernel 2): 3.8% <= 5%.
    clock.set(1_000_000_000L);
    st.accept(snap(stats(200, 198, 2, 2, 0), true));
    assertTrue(st.health().healthy(), st.health().reasons().toString());

    // 20 of 100 in the next interval: 20% > 5%.
    clock.set(2_000_000_000L);
    st.accept(snap(stats(300, 278, 22, 2, 0), true));
    h = st.health();
    assertFalse(h.healthy());
    assertTrue(h.reasons().get(0).startsWith("dropping: 20 of 100"), h.reasons().toString());
    assertTrue(OpsHttpServer.healthJson(h).contains("\"status\":\"unhealthy\""));

    clock.set(3_000_000_000L);
    st.accept(snap(stats(400, 378, 22, 2, 0), false));
    h = st.health();
    assertFalse(h.healthy());
    assertTrue(h.reasons().get(0).contains("worker did not answer"), h.reasons().toString());

    clock.set(4_000_000_000L);
    st.accept(snap(stats(500, 478, 22, 2, 1), true));
    assertTrue(st.health().reasons().get(0).contains("write errors"));

    clock.set(5_000_000_000L);
    st.accept(snap(stats(600, 578, 22, 2, 1), true));
    assertTrue(st.health().healthy(), st.health().reasons().toString());
    assertTrue(OpsHttpServer.healthJson(st.health()).startsWith("{\"status\":\"ok\""));

    // Three periods (3 s) without a snapshot: stale.
    clock.set(8_500_000_000L);
    h = st.health();
    assertFalse(h.healthy());
    assertTrue(h.reasons().get(0).startsWith("stale"), h.reasons().toString());

    clock.set(9_000_000_000L);
    st.accept(snap(stats(700, 678, 22, 2, 1), true));
    assertTrue(st.health().healthy());
    st.stopping();
    assertEquals(List.of("stopping"), st.health().reasons());
  }

  /** Runs {@code promtool check metrics} on {@code text} when promtool is installed. */
  static void assertPromtoolAccepts(String text) throws IOException, InterruptedException {
    Path promtool = null;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, "promtool");
      if (Files.isExecutable(p)) {
        promtool = p;
        break;
      }
    }
    if (promtool == null) {
      System.err.println("promtool not installed: the exposition is checked by the grammar only");
      return;
    }
    Process proc = new ProcessBuilder(promtool.toString(), "check", "metrics")
        .redirectErrorStream(true).start();
    proc.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    proc.getOutputStream().close();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(proc.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, proc.exitValue(), "promtool check metrics:\n" + out + "\n---\n" + text);
    assertEquals("", out.strip(), "promtool lint findings:\n" + out);
  }
}

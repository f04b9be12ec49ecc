package io.mirrorsensor.sensor.ops;

import io.mirrorsensor.decode.tcp.TcpFinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live counters in the Prometheus text exposition format, version 0.0.4: for each metric
 * family one {@code # HELP} and one {@code # TYPE} line, then its samples
 * ({@code name{label="value",...} number}), label values escaped ({@code \\}, {@code \"},
 * {@code \n}). Counters end in {@code _total}; summaries carry {@code quantile} labels.
 */
public final class PrometheusText {
  /** The Content-Type of this format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Map<String, Family> families = new LinkedHashMap<>();

  private PrometheusText() {}

  private static final class Family {
    final String name;
    final String type;
    final String help;
    final List<String> samples = new ArrayList<>();

    Family(String name, String type, String help) {
      this.name = name;
      this.type = type;
      this.help = help;
    }
  }

  private Family family(String name, String type, String help) {
    return families.computeIfAbsent(name, n -> new Family(n, type, help));
  }

  private void sample(String family, String type, String help, String suffix, double value,
      String... labels) {
    Family f = family(family, type, help);
    StringBuilder sb = new StringBuilder(family).append(suffix);
    if (labels.length > 0) {
      sb.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1])).append('"');
      }
      sb.append('}');
    }
    sb.append(' ').append(number(value));
    f.samples.add(sb.toString());
  }

  private void counter(String name, String help, double value, String... labels) {
    sample(name, "counter", help, "", value, labels);
  }

  private void gauge(String name, String help, double value, String... labels) {
    sample(name, "gauge", help, "", value, labels);
  }

  /** The quantile label and the stats key of each quantile a latency map carries. */
  private static final String[][] QUANTILES = {{"0.5", "p50"}, {"0.9", "p90"}, {"0.99", "p99"},
      {"0.999", "p99_9"}, {"1", "max"}};

  /**
   * A summary from a rendered latency map ({@code p50 p90 p99 p99_9 max count sum}, in units of
   * 1 / {@code perSecond} seconds, e.g. 1e3 for milliseconds): a sample per quantile present,
   * then {@code _sum} and {@code _count}. A percentile (the upper end of its HdrHistogram
   * bucket) is capped at the exact maximum, so that the quantiles never decrease.
   */
  private void summary(String name, String help, Map<String, Object> lat, double perSecond,
      String... labels) {
    Object maxValue = lat.get("max");
    double max = maxValue instanceof Number ? ((Number) maxValue).doubleValue()
        : Double.POSITIVE_INFINITY;
    for (String[] q : QUANTILES) {
      Object v = lat.get(q[1]);
      if (v instanceof Number) {
        sample(name, "summary", help, "", seconds(Math.min(((Number) v).doubleValue(), max),
            perSecond), concat(labels, "quantile", q[0]));
      }
    }
    Object sum = lat.get("sum");
    sample(name, "summary", help, "_sum", sum instanceof Number
        ? seconds(((Number) sum).doubleValue(), perSecond) : 0, labels);
    sample(name, "summary", help, "_count", StatsTree.num(lat, "count", 0), labels);
  }

  /**
   * {@code v / perSecond} (a power of ten) in decimal, so that 0.105 ms is written 1.05E-4, not
   * 1.0499999999999999E-4.
   */
  static double seconds(double v, double perSecond) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    return java.math.BigDecimal.valueOf(v).divide(java.math.BigDecimal.valueOf(perSecond))
        .doubleValue();
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  static String escapeLabel(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static String escapeHelp(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n");
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** A metric name component from a stats key: lower case, [a-z0-9_] only. */
  static String component(String key) {
    String s = key.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
  }

  /** The exposition of the state's latest snapshot (only the health gauges before the first). */
  public static String render(OpsState state) {
    PrometheusText p = new PrometheusText();
    p.write(state);
    StringBuilder sb = new StringBuilder(8192);
    for (Family f : p.families.values()) {
      sb.append("# HELP ").append(f.name).append(' ').append(escapeHelp(f.help)).append('\n');
      sb.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
      for (String s : f.samples) {
        sb.append(s).append('\n');
      }
    }
    return sb.toString();
  }

  private void write(OpsState state) {
    OpsState.Health h = state.health();
    gauge("mirrorsensor_healthy", "1 when GET /health answers 200, else 0.", h.healthy() ? 1 : 0);
    OpsState.View v = state.latest();
    if (v == null) {
      return;
    }
    Map<String, Object> s = v.stats();
    gauge("mirrorsensor_uptime_seconds", "Seconds since the sensor started.", v.uptimeSeconds());
    gauge("mirrorsensor_snapshot_age_seconds", "Seconds since these counters were taken.",
        Math.max(0, h.snapshotAgeSeconds()));
    gauge("mirrorsensor_drop_ratio", "Share of datagrams dropped in the last snapshot interval"
        + " (listener and kernel drops).", h.dropRatio());

    // Capture: received = processed + dropped by reason.
    counter("mirrorsensor_received_datagrams_total", "UDP datagrams the listener read.",
        StatsTree.num(s, "capture.received", 0));
    counter("mirrorsensor_received_bytes_total", "Bytes of the UDP datagrams the listener read.",
        StatsTree.num(s, "capture.bytes", 0));
    counter("mirrorsensor_processed_packets_total", "Packets the workers processed.",
        StatsTree.num(s, "capture.processed", 0));
    String dropHelp = "Datagrams dropped before analysis, by stage (listener: never waits;"
        + " kernel: socket buffer overflow) and reason.";
    StatsTree.map(s, "capture.dropped").forEach((reason, n) -> counter(
        "mirrorsensor_dropped_datagrams_total", dropHelp, ((Number) n).doubleValue(), "stage",
        "listener", "reason", reason));
    long kernel = StatsTree.num(s, "capture.kernel_drops", -1);
    if (kernel >= 0) {
      counter("mirrorsensor_dropped_datagrams_total", dropHelp, kernel, "stage", "kernel",
          "reason", "socket_buffer");
    }

    // Rings.
    long ringSize = StatsTree.num(s, "ring.size", 0);
    for (int i = 0; i < v.ringFill().length; i++) {
      gauge("mirrorsensor_ring_occupancy_slots", "Slots in use in a worker's ring now.",
          v.ringFill()[i], "worker", Integer.toString(i));
      gauge("mirrorsensor_ring_size_slots", "Slots per worker ring.", ringSize, "worker",
          Integer.toString(i));
    }
    gauge("mirrorsensor_ring_high_water_slots", "Fullest any ring was seen.",
        StatsTree.num(s, "ring.high_water", 0));
    counter("mirrorsensor_worker_exceptions_total", "Exceptions in workers (counted; the"
        + " worker went on).", StatsTree.num(s, "worker.exceptions", 0));

    // Decoder: headers per layer, anomalies by id.
    StatsTree.map(s, "decoder").forEach((k, n) -> {
      if (n instanceof Number) {
        counter("mirrorsensor_decoder_total", "Headers decoded per layer (packets: frames;"
            + " no_flow_key: packets that reached no flow).", ((Number) n).doubleValue(),
            "layer", k);
      }
    });
    StatsTree.map(s, "decoder.anomalies").forEach((id, n) -> counter(
        "mirrorsensor_anomalies_total", "Malformed or truncated traffic by stable anomaly id"
            + " (full counts; EVE events are rate-limited).", ((Number) n).doubleValue(), "id",
        id));

    // Flows.
    StatsTree.map(s, "flow").forEach((k, n) -> {
      if (!(n instanceof Number)) {
        return;
      }
      double d = ((Number) n).doubleValue();
      if (k.equals("active")) {
        gauge("mirrorsensor_flows_active", "Flows held now.", d);
      } else if (k.equals("high_water")) {
        gauge("mirrorsensor_flows_high_water", "Most flows held at once (sum over shards).", d);
      } else {
        counter("mirrorsensor_flow_" + component(k) + "_total", "Flow table counter flow." + k
            + " of the EVE stats event.", d);
      }
    });

    // TCP analysis and reassembly.
    StatsTree.map(s, "tcp.analysis").forEach((k, n) -> counter("mirrorsensor_tcp_analysis_total",
        "Packets the TCP tracker flagged, by tshark's tcp.analysis name.",
        ((Number) n).doubleValue(), "kind", k));
    counter("mirrorsensor_tcp_resets_total", "TCP resets seen.",
        StatsTree.num(s, "tcp.resets", 0));
    StatsTree.map(s, "tcp.reassembly").forEach((k, n) -> {
      if (k.equals("buffered_bytes")) {
        gauge("mirrorsensor_tcp_reassembly_buffered_bytes", "Out-of-order bytes held now.",
            ((Number) n).doubleValue());
      } else {
        counter("mirrorsensor_tcp_reassembly_" + component(k) + "_total",
            "TCP reassembly counter tcp.reassembly." + k + ".", ((Number) n).doubleValue());
      }
    });

    // Findings.
    counter("mirrorsensor_alerts_total", "Alerts raised: the built-in detectors' and, with a"
        + " rule set, the rules'.", StatsTree.num(s, "detect.alerts", 0));
    String byTypeHelp = "Findings by source (tcp: built-in TCP detectors, app: built-in HTTP/DNS/TLS"
        + " detectors, rules: the loaded rule set) and type (docs/FINDINGS.md).";
    StatsTree.map(s, "detect.by_sid").forEach((gidSid, n) -> {
      String[] gs = gidSid.split(":", 2);
      String[] st = findingType(gs[0], gs.length > 1 ? gs[1] : "");
      counter("mirrorsensor_findings_by_type_total", byTypeHelp, ((Number) n).doubleValue(),
          "source", st[0], "type", st[1]);
    });
    Map<String, Object> ruleSet = StatsTree.map(s, "detect.rules");
    if (!ruleSet.isEmpty()) {
      counter("mirrorsensor_findings_by_type_total", byTypeHelp,
          StatsTree.num(s, "detect.rule_alerts", 0), "source", "rules", "type", "rule");
      gauge("mirrorsensor_rules_info", "The rule set in force: version is the first 16 hex"
          + " digits of the SHA-256 of its rules' texts (the same files give the same version).",
          1, "version", String.valueOf(ruleSet.get("version")));
      gauge("mirrorsensor_rules_loaded", "Rules loaded in the rule set in force.",
          StatsTree.num(ruleSet, "loaded", 0));
      gauge("mirrorsensor_rules_failed", "Rules with errors when the rule set in force was"
          + " loaded (a reload with errors is refused).", StatsTree.num(ruleSet, "failed", 0));
      gauge("mirrorsensor_rules_skipped", "Rules skipped (unsupported keyword or protocol) when"
          + " the rule set in force was loaded.", StatsTree.num(ruleSet, "skipped", 0));
      gauge("mirrorsensor_rules_load_duration_seconds", "How long loading the rule set in force"
          + " took.", StatsTree.num(ruleSet, "load_ms", 0) / 1e3);
      gauge("mirrorsensor_rules_load_timestamp_seconds", "Unix time the rule set in force went"
          + " into use (start, or the hot reload that published it).",
          StatsTree.num(ruleSet, "in_use_since", 0));
      counter("mirrorsensor_rules_reloads_total", "Hot reloads that switched rule sets since the"
          + " start.", StatsTree.num(ruleSet, "reloads", 0));
    }

    // Events written, by EVE event_type.
    StatsTree.map(s, "events").forEach((type, n) -> {
      if (n instanceof Number) {
        counter("mirrorsensor_events_total", "EVE events encoded for the output, by event_type"
            + " (events dropped while the output was behind are not counted here).",
            ((Number) n).doubleValue(), "event_type", type);
      }
    });

    // App layer: transactions, parser events, latencies.
    Map<String, Object> app = StatsTree.map(s, "app");
    if (!app.isEmpty()) {
      String txHelp = "App-layer transactions written, by protocol.";
      counter("mirrorsensor_app_transactions_total", txHelp,
          StatsTree.num(app, "http_transactions", 0), "protocol", "http");
      counter("mirrorsensor_app_transactions_total", txHelp,
          StatsTree.num(app, "dns_transactions", 0), "protocol", "dns");
      counter("mirrorsensor_app_transactions_total", txHelp,
          StatsTree.num(app, "tls_sessions", 0), "protocol", "tls");
      StatsTree.map(app, "events").forEach((id, n) -> counter("mirrorsensor_app_events_total",
          "App-layer parser events (anomalies) by id, full counts (EVE events are"
              + " rate-limited).", ((Number) n).doubleValue(), "id", id));
      summary("mirrorsensor_http_response_latency_seconds", "HTTP response latency: end of the"
          + " request to the first response byte, packet time, since the start (HdrHistogram;"
          + " quantile 1 is the exact maximum).", StatsTree.map(app, "http_response_ms"), 1e3);
      summary("mirrorsensor_dns_latency_seconds", "DNS latency: query to response, packet time,"
          + " since the start (HdrHistogram; quantile 1 is the exact maximum).",
          StatsTree.map(app, "dns_response_ms"), 1e3);
    }
    // Present only when a rule set is loaded (rules.files); absent, no family is exposed.
    Map<String, Object> detect = StatsTree.map(s, "detect");
    if (detect.get("rule_alerts") instanceof Number) {
      counter("mirrorsensor_rule_alerts_total", "Alerts raised by the loaded rule set (also in"
          + " mirrorsensor_alerts_total).", StatsTree.num(detect, "rule_alerts", 0));
    }
    if (detect.get("rule_candidates_evaluated") instanceof Number) {
      counter("mirrorsensor_rule_candidates_evaluated_total", "Rules the rule set evaluated in"
          + " full (the prefilters' candidates plus rules without a fast pattern).",
          StatsTree.num(detect, "rule_candidates_evaluated", 0));
    }
    StatsTree.map(s, "detect.by_sid").forEach((gidSid, n) -> {
      String[] gs = gidSid.split(":", 2);
      String gid = gs[0];
      String sid = gs.length > 1 ? gs[1] : "";
      counter("mirrorsensor_findings_total", "Findings by gid and sid (docs/FINDINGS.md).",
          ((Number) n).doubleValue(), "gid", gid, "sid", sid, "signature", signature(gid, sid));
    });

    // Output.
    counter("mirrorsensor_output_write_errors_total", "Failed writes of output files.",
        StatsTree.num(s, "output.write_errors", 0));
    counter("mirrorsensor_output_dropped_events_total", "Events dropped because the output"
        + " thread was behind beyond output.max_pending_bytes.",
        StatsTree.num(s, "output.dropped_events", 0));
    counter("mirrorsensor_output_behind_total", "Times a worker found the output queue full.",
        StatsTree.num(s, "output.behind", 0));

    // Receive-to-processed and receive-to-event latency (since the start).
    Map<String, Object> lat = StatsTree.map(s, "latency_us");
    if (!lat.isEmpty()) {
      summary("mirrorsensor_receive_latency_seconds", "Receive of a datagram to the end of its"
          + " processing by a worker, since the start (HdrHistogram; quantile 1 is the maximum).",
          lat, 1e6);
    }
    Map<String, Object> toEvent = StatsTree.map(s, "receive_to_event_ms");
    if (!toEvent.isEmpty()) {
      summary("mirrorsensor_receive_to_event_latency_seconds", "Receive of a datagram to the"
          + " encoding of an EVE event it caused (alert, http, dns, tls, anomaly, flow end by"
          + " the packet), since the start (HdrHistogram; quantile 1 is the exact maximum).",
          toEvent, 1e3);
    }

    // Per VNI (mirror session).
    StatsTree.map(s, "vni").forEach((vni, m) -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) m;
      String session = state.session(vni);
      counter("mirrorsensor_vni_packets_total", "Packets processed per VNI (mirror session).",
          StatsTree.num(e, "packets", 0), "vni", vni, "session", session);
      counter("mirrorsensor_vni_bytes_total", "Bytes (IP length) processed per VNI.",
          StatsTree.num(e, "bytes", 0), "vni", vni, "session", session);
    });
    StatsTree.map(s, "capture.per_vni").forEach((vni, m) -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) m;
      String session = state.session(vni);
      counter("mirrorsensor_vni_received_datagrams_total", "VXLAN datagrams the listener read"
          + " per VNI, before the rings (vni \"other\": VNIs beyond the listener's table).",
          StatsTree.num(e, "received", 0), "vni", vni, "session", session);
      counter("mirrorsensor_vni_received_bytes_total", "Bytes of the VXLAN datagrams the"
          + " listener read per VNI.", StatsTree.num(e, "bytes", 0), "vni", vni, "session",
          session);
      counter("mirrorsensor_vni_dropped_datagrams_total", "VXLAN datagrams the listener dropped"
          + " per VNI (VNI not allowed, oversized, ring full).", StatsTree.num(e, "dropped", 0),
          "vni", vni, "session", session);
    });
    StatsTree.map(s, "tcp.per_vni").forEach((vni, m) -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) m;
      String session = state.session(vni);
      Map<String, Object> rtt = StatsTree.map(e, "syn_rtt_ms");
      if (!rtt.isEmpty()) {
        summary("mirrorsensor_tcp_syn_rtt_seconds", "TCP handshake time SYN to SYN-ACK per VNI"
            + " since the start, seconds (HdrHistogram; quantile 1 is the exact maximum).", rtt,
            1e3, "vni", vni, "session", session);
      }
      counter("mirrorsensor_vni_tcp_payload_bytes_total", "TCP payload bytes seen per VNI.",
          StatsTree.num(e, "bytes_seen", 0), "vni", vni, "session", session);
      counter("mirrorsensor_vni_tcp_missed_bytes_total", "TCP bytes acknowledged but never seen"
          + " per VNI (not mirrored, or lost on the way).", StatsTree.num(e, "missed_bytes", 0),
          "vni", vni, "session", session);
      Object loss = e.get("loss_estimate");
      if (loss instanceof Number) {
        gauge("mirrorsensor_vni_tcp_loss_ratio", "missed / (missed + seen) TCP bytes per VNI.",
            ((Number) loss).doubleValue(), "vni", vni, "session", session);
      }
    });
  }

  /** Source ({@code tcp}, {@code app}, or the gid) and type (the finding's name) of a gid:sid. */
  private static String[] findingType(String gid, String sid) {
    if (gid.equals(Integer.toString(TcpFinding.GID))) {
      for (TcpFinding f : TcpFinding.values()) {
        if (Integer.toString(f.sid()).equals(sid)) {
          return new String[] {"tcp", f.name().toLowerCase(java.util.Locale.ROOT)};
        }
      }
      for (io.mirrorsensor.decode.app.AppFinding f :
          io.mirrorsensor.decode.app.AppFinding.values()) {
        if (Integer.toString(f.sid()).equals(sid)) {
          return new String[] {"app", f.name().toLowerCase(java.util.Locale.ROOT)};
        }
      }
    }
    return new String[] {gid, sid};
  }

  private static String signature(String gid, String sid) {
    if (!gid.equals(Integer.toString(TcpFinding.GID))) {
      return "";
    }
    for (TcpFinding f : TcpFinding.values()) {
      if (Integer.toString(f.sid()).equals(sid)) {
        return f.signature();
      }
    }
    for (io.mirrorsensor.decode.app.AppFinding f : io.mirrorsensor.decode.app.AppFinding.values()) {
      if (Integer.toString(f.sid()).equals(sid)) {
        return f.signature();
      }
    }
    return "";
  }
}

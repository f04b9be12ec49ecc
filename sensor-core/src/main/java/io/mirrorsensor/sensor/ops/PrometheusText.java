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
    counter("mirrorsensor_alerts_total", "Alerts written by the built-in detectors.",
        StatsTree.num(s, "detect.alerts", 0));
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

    // Receive-to-processed latency (since the start).
    Map<String, Object> lat = StatsTree.map(s, "latency_us");
    if (!lat.isEmpty()) {
      String help = "Receive to processed time since the start, seconds (HdrHistogram;"
          + " quantile 1 is the maximum).";
      String[][] q = {{"0.5", "p50"}, {"0.99", "p99"}, {"0.999", "p99_9"}, {"1", "max"}};
      for (String[] e : q) {
        sample("mirrorsensor_receive_latency_seconds", "summary", help, "",
            StatsTree.num(lat, e[1], 0) / 1e6, "quantile", e[0]);
      }
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
    StatsTree.map(s, "tcp.per_vni").forEach((vni, m) -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) m;
      String session = state.session(vni);
      Map<String, Object> rtt = StatsTree.map(e, "syn_rtt_ms");
      if (!rtt.isEmpty()) {
        String help = "TCP handshake time SYN to SYN-ACK per VNI since the start, seconds"
            + " (HdrHistogram; quantile 1 is the exact maximum).";
        String[][] q = {{"0.5", "p50"}, {"0.99", "p99"}, {"1", "max"}};
        for (String[] x : q) {
          Object val = rtt.get(x[1]);
          sample("mirrorsensor_tcp_syn_rtt_seconds", "summary", help, "",
              val instanceof Number ? ((Number) val).doubleValue() / 1e3 : Double.NaN,
              "vni", vni,
              "session", session, "quantile", x[0]);
        }
        sample("mirrorsensor_tcp_syn_rtt_seconds", "summary", help, "_count",
            StatsTree.num(rtt, "count", 0), "vni", vni, "session", session);
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

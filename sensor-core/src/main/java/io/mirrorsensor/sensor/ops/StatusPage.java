package io.mirrorsensor.sensor.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code GET /}: a small self-refreshing HTML page, no external assets. */
final class StatusPage {
  private StatusPage() {}

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }

  private static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  static String render(OpsState state, Path eveFile) {
    OpsState.Health h = state.health();
    OpsState.View v = state.latest();
    OpsState.View prev = state.previous();
    long refresh = Math.max(1, state.periodNanos() / 1_000_000_000L);
    StringBuilder sb = new StringBuilder(8192);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"").append(refresh).append("\">")
        .append("<title>mirrorsensor</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}")
        .append("table{border-collapse:collapse;margin-bottom:1.5em}")
        .append("td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}")
        .append("th{background:#f3f3f3}td.l,th.l{text-align:left}")
        .append(".ok{color:#070}.bad{color:#b00}</style></head><body>\n");
    sb.append("<h1>mirrorsensor</h1>\n<p>Health: ");
    if (h.healthy()) {
      sb.append("<b class=\"ok\">OK</b>");
    } else {
      sb.append("<b class=\"bad\">UNHEALTHY</b>: ")
          .append(esc(String.join("; ", h.reasons())));
    }
    sb.append(". Refreshes every ").append(refresh).append(" s. <a href=\"/metrics\">metrics</a>"
        + " &middot; <a href=\"/health\">health</a></p>\n");
    if (v == null) {
      return sb.append("<p>No counters yet.</p></body></html>\n").toString();
    }
    Map<String, Object> s = v.stats();
    double secs = prev == null ? v.uptimeSeconds() : Math.max(1e-3,
        (v.nanos() - prev.nanos()) / 1e9);
    sb.append("<h2>Counters</h2><table>");
    row(sb, "uptime", String.format(Locale.ROOT, "%.0f s", v.uptimeSeconds()));
    row(sb, "datagrams received", n(v.received()));
    row(sb, "packets processed", n(StatsTree.num(s, "capture.processed", 0)));
    row(sb, "dropped (listener + kernel)", n(v.dropped()));
    row(sb, "drop ratio, last interval", String.format(Locale.ROOT, "%.4f", h.dropRatio()));
    row(sb, "flows active", n(StatsTree.num(s, "flow.active", 0)));
    row(sb, "mirror duplicates", n(StatsTree.num(s, "flow.mirror_duplicates", 0)));
    row(sb, "alerts", n(StatsTree.num(s, "detect.alerts", 0)));
    Map<String, Object> rules = StatsTree.map(s, "detect.rules");
    if (!rules.isEmpty()) {
      row(sb, "rule set", n(StatsTree.num(rules, "loaded", 0)) + " rules, version "
          + rules.get("version") + ", in use since " + java.time.Instant.ofEpochSecond(
              StatsTree.num(rules, "in_use_since", 0)) + ", reloads "
          + n(StatsTree.num(rules, "reloads", 0)));
    }
    row(sb, "worker exceptions", n(StatsTree.num(s, "worker.exceptions", 0)));
    row(sb, "output write errors", n(StatsTree.num(s, "output.write_errors", 0)));
    sb.append("</table>\n<h2>Drops by reason</h2><table>");
    StatsTree.map(s, "capture.dropped").forEach((k, x) -> row(sb, k, n(((Number) x).longValue())));
    row(sb, "kernel (socket buffer)", v.kernelDrops() < 0 ? "unknown" : n(v.kernelDrops()));
    sb.append("</table>\n<h2>Events by type</h2><table><tr><th class=\"l\">event_type</th>"
        + "<th>events</th><th>per s</th></tr>");
    Map<String, Object> prevEvents = prev == null ? Map.of() : StatsTree.map(prev.stats(),
        "events");
    StatsTree.map(s, "events").forEach((type, x) -> {
      long cnt = ((Number) x).longValue();
      long d = cnt - StatsTree.num(prevEvents, type, 0);
      sb.append("<tr><td class=\"l\">").append(esc(type)).append("</td><td>").append(n(cnt))
          .append("</td><td>").append(String.format(Locale.ROOT, "%.1f", d / secs))
          .append("</td></tr>");
    });
    sb.append("</table>\n<h2>Latency since the start</h2><table><tr><th class=\"l\">what</th>"
        + "<th>count</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th>"
        + "<th>max ms</th></tr>");
    latency(sb, "TCP handshake (SYN to SYN-ACK), all VNIs", null, s);
    latency(sb, "HTTP response (request end to response start)",
        StatsTree.map(s, "app.http_response_ms"), s);
    latency(sb, "DNS (query to response)", StatsTree.map(s, "app.dns_response_ms"), s);
    latency(sb, "receive to event", StatsTree.map(s, "receive_to_event_ms"), s);
    Map<String, Object> us = StatsTree.map(s, "latency_us");
    if (!us.isEmpty()) {
      Map<String, Object> ms = new java.util.LinkedHashMap<>();
      us.forEach((k, x) -> ms.put(k, k.equals("count") ? x : ((Number) x).doubleValue() / 1e3));
      latency(sb, "receive to processed", ms, s);
    }
    sb.append("</table>\n<h2>Per VNI</h2><table><tr><th class=\"l\">VNI</th>"
        + "<th class=\"l\">session</th><th>packets</th><th>bytes</th><th>packets/s</th>"
        + "<th>Mbit/s</th><th>SYN RTT p50 ms</th><th>p99 ms</th></tr>");
    Map<String, Object> vnis = StatsTree.map(s, "vni");
    Map<String, Object> prevVnis = prev == null ? Map.of() : StatsTree.map(prev.stats(), "vni");
    vnis.forEach((vni, m) -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) m;
      long pk = StatsTree.num(e, "packets", 0);
      long by = StatsTree.num(e, "bytes", 0);
      long dpk = pk - StatsTree.num(prevVnis, vni + ".packets", 0);
      long dby = by - StatsTree.num(prevVnis, vni + ".bytes", 0);
      Object p50 = StatsTree.at(s, "tcp.per_vni." + vni + ".syn_rtt_ms.p50");
      Object p99 = StatsTree.at(s, "tcp.per_vni." + vni + ".syn_rtt_ms.p99");
      sb.append("<tr><td class=\"l\">").append(esc(vni)).append("</td><td class=\"l\">")
          .append(esc(state.session(vni))).append("</td><td>").append(n(pk)).append("</td><td>")
          .append(n(by)).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f", dpk / secs)).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.3f", dby * 8 / secs / 1e6)).append("</td><td>")
          .append(p50 == null ? "" : esc(String.valueOf(p50))).append("</td><td>")
          .append(p99 == null ? "" : esc(String.valueOf(p99))).append("</td></tr>");
    });
    sb.append("</table>\n<h2>Recent findings</h2>");
    List<RecentFindings.Finding> fs = RecentFindings.read(eveFile, 20);
    if (fs.isEmpty()) {
      sb.append("<p>None in the tail of ").append(esc(eveFile.toString())).append(".</p>");
    } else {
      sb.append("<table><tr><th class=\"l\">time</th><th class=\"l\">signature</th>"
          + "<th class=\"l\">source</th><th class=\"l\">destination</th><th>VNI</th>"
          + "<th class=\"l\">session</th></tr>");
      for (RecentFindings.Finding f : fs) {
        sb.append("<tr><td class=\"l\">").append(esc(f.timestamp())).append("</td><td class=\"l\">")
            .append(esc(f.signature())).append("</td><td class=\"l\">").append(esc(f.src()))
            .append("</td><td class=\"l\">").append(esc(f.dest())).append("</td><td>")
            .append(esc(f.vni())).append("</td><td class=\"l\">").append(esc(f.session()))
            .append("</td></tr>");
      }
      sb.append("</table>");
    }
    return sb.append("\n</body></html>\n").toString();
  }

  /**
   * One latency row from a rendered latency map in milliseconds; {@code lat} null: the SYN RTT
   * row, whose per-VNI maps are shown per VNI below (here: the handshakes counted).
   */
  private static void latency(StringBuilder sb, String what, Map<String, Object> lat,
      Map<String, Object> s) {
    if (lat == null) {
      long count = 0;
      for (Object v : StatsTree.map(s, "tcp.per_vni").values()) {
        if (v instanceof Map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> e = (Map<String, Object>) v;
          count += StatsTree.num(e, "syn_rtt_ms.count", 0);
        }
      }
      sb.append("<tr><td class=\"l\">").append(esc(what)).append("</td><td>").append(n(count))
          .append("</td><td colspan=\"5\" class=\"l\">per VNI below</td></tr>");
      return;
    }
    if (lat.isEmpty()) {
      return;
    }
    sb.append("<tr><td class=\"l\">").append(esc(what)).append("</td><td>")
        .append(n(StatsTree.num(lat, "count", 0))).append("</td>");
    for (String k : new String[] {"p50", "p90", "p99", "p99_9", "max"}) {
      Object v = lat.get(k);
      sb.append("<td>").append(v instanceof Number
          ? String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue()) : "").append("</td>");
    }
    sb.append("</tr>");
  }

  private static void row(StringBuilder sb, String k, String v) {
    sb.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td>").append(esc(v))
        .append("</td></tr>");
  }
}

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
    row(sb, "worker exceptions", n(StatsTree.num(s, "worker.exceptions", 0)));
    row(sb, "output write errors", n(StatsTree.num(s, "output.write_errors", 0)));
    sb.append("</table>\n<h2>Drops by reason</h2><table>");
    StatsTree.map(s, "capture.dropped").forEach((k, x) -> row(sb, k, n(((Number) x).longValue())));
    row(sb, "kernel (socket buffer)", v.kernelDrops() < 0 ? "unknown" : n(v.kernelDrops()));
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

  private static void row(StringBuilder sb, String k, String v) {
    sb.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td>").append(esc(v))
        .append("</td></tr>");
  }
}

package io.mirrorsensor.decode.app;

import io.mirrorsensor.decode.tcp.TcpFinding;

/**
 * The built-in app-layer findings (HTTP, DNS, TLS), written as EVE {@code alert} events under the
 * same generator id as the TCP ones ({@link #GID}). Signature ids continue {@link TcpFinding}'s
 * and are stable: never renumber, only append. The table with thresholds is docs/FINDINGS.md.
 */
public enum AppFinding {
  HTTP_SLOW_RESPONSE(6, "HTTP slow response: response latency above threshold",
      "Application performance", 3),
  HTTP_5XX_BURST(7, "HTTP 5xx burst from one server", "Application error", 2),
  DNS_NXDOMAIN_BURST(8, "DNS NXDOMAIN burst to one client", "Application error", 3),
  DNS_SERVFAIL(9, "DNS SERVFAIL answer", "Application error", 3),
  DNS_TIMEOUT(10, "DNS query unanswered (timeout)", "Application error", 3),
  DNS_TUNNEL_SUSPECT(11,
      "DNS tunnelling suspect: many unique long or high-entropy names under one domain",
      "Potentially Bad Traffic", 2),
  TLS_CERT_EXPIRED(12, "TLS certificate expired", "Application error", 3),
  TLS_CERT_NOT_YET_VALID(13, "TLS certificate not yet valid", "Application error", 3),
  TLS_ON_PLAIN_PORT(14, "TLS on a port usually plaintext", "Potentially Bad Traffic", 3),
  TLS_SNI_MISSING_443(15, "TLS without SNI on port 443", "Potentially Bad Traffic", 3);

  /** The generator id of every built-in detector, TCP and app layer alike. */
  public static final int GID = TcpFinding.GID;
  /** Revision of every signature; bumped when a definition changes meaning. */
  public static final int REV = 1;

  private final int sid;
  private final String signature;
  private final String category;
  private final int severity;

  AppFinding(int sid, String signature, String category, int severity) {
    this.sid = sid;
    this.signature = signature;
    this.category = category;
    this.severity = severity;
  }

  public int sid() {
    return sid;
  }

  public String signature() {
    return signature;
  }

  public String category() {
    return category;
  }

  /** 1 (high) to 3 (low), as Suricata's classification priorities. */
  public int severity() {
    return severity;
  }
}

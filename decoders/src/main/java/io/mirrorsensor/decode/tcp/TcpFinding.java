package io.mirrorsensor.decode.tcp;

/**
 * The built-in connectivity findings, written as EVE {@code alert} events under {@link #GID}.
 * Signature ids are stable: never renumber, only append. The table with thresholds is
 * docs/FINDINGS.md.
 */
public enum TcpFinding {
  SYN_UNANSWERED(1, "SYN unanswered: possible security group / NACL drop or host down",
      "Network connectivity", 2),
  CONNECTION_REFUSED(2, "Connection refused: RST answering a SYN", "Network connectivity", 2),
  SLOW_HANDSHAKE(3, "Slow TCP handshake: SYN to SYN-ACK above threshold", "Network performance",
      3),
  RETRANSMISSION_STORM(4, "TCP retransmission storm", "Network performance", 3),
  ZERO_WINDOW_STALL(5, "TCP zero-window stall: receiver window held at 0", "Network performance",
      3);

  /** The generator id of every built-in detector (shared/EVE.md). */
  public static final int GID = 700;
  /** Revision of every signature; bumped when a definition changes meaning. */
  public static final int REV = 1;

  private final int sid;
  private final String signature;
  private final String category;
  private final int severity;

  TcpFinding(int sid, String signature, String category, int severity) {
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

  int bit() {
    return 1 << ordinal();
  }
}

package io.mirrorsensor.decode.tcp;

/**
 * Per-packet analysis flags returned by {@link TcpConnection#onPacket}, one bit each, named and
 * defined after tshark's {@code tcp.analysis.*} fields (epan/dissectors/packet-tcp.c, function
 * {@code tcp_analyze_sequence_number}). As in tshark, {@link #FAST_RETRANSMISSION} and {@link
 * #SPURIOUS_RETRANSMISSION} always come with {@link #RETRANSMISSION}.
 */
public final class TcpAnalysis {
  public static final int RETRANSMISSION = 1;
  public static final int FAST_RETRANSMISSION = 1 << 1;
  public static final int SPURIOUS_RETRANSMISSION = 1 << 2;
  public static final int OUT_OF_ORDER = 1 << 3;
  public static final int LOST_SEGMENT = 1 << 4;
  public static final int ACK_LOST_SEGMENT = 1 << 5;
  public static final int DUPLICATE_ACK = 1 << 6;
  public static final int ZERO_WINDOW = 1 << 7;
  public static final int ZERO_WINDOW_PROBE = 1 << 8;
  public static final int ZERO_WINDOW_PROBE_ACK = 1 << 9;
  public static final int WINDOW_FULL = 1 << 10;
  public static final int WINDOW_UPDATE = 1 << 11;
  public static final int KEEP_ALIVE = 1 << 12;
  public static final int KEEP_ALIVE_ACK = 1 << 13;

  /** tshark's field names (without {@code tcp.analysis.}), indexed by bit position. */
  private static final String[] NAMES = {
    "retransmission", "fast_retransmission", "spurious_retransmission", "out_of_order",
    "lost_segment", "ack_lost_segment", "duplicate_ack", "zero_window", "zero_window_probe",
    "zero_window_probe_ack", "window_full", "window_update", "keep_alive", "keep_alive_ack"
  };

  /** Number of flags (bit positions 0 .. COUNT - 1). */
  public static final int COUNT = 14;

  private TcpAnalysis() {}

  /** tshark's name (without {@code tcp.analysis.}) of the flag at bit position {@code bit}. */
  public static String name(int bit) {
    return NAMES[bit];
  }

  /** The tshark names of the flags set in {@code flags}, space separated (tests and debugging). */
  public static String names(int flags) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < NAMES.length; i++) {
      if ((flags & (1 << i)) != 0) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(NAMES[i]);
      }
    }
    return sb.toString();
  }
}

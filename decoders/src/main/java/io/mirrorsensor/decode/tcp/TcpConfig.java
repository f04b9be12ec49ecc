package io.mirrorsensor.decode.tcp;

/**
 * Bounds and thresholds of TCP tracking, findings and reassembly (keys {@code tcp.*}, documented in
 * docs/CONFIG.md). Immutable.
 *
 * @param reorderWindowNanos a segment below the highest sequence seen that arrives this soon after
 *     it is out-of-order rather than a retransmission, until the handshake gave an RTT (then the
 *     RTT is the window, as tshark does); load balancers in the mirror path reorder
 * @param synUnansweredSyns SYN transmissions (first plus retransmissions) without a SYN-ACK that
 *     raise {@link TcpFinding#SYN_UNANSWERED}
 * @param synUnansweredWindowNanos those SYNs must fall within this long of the attempt's first SYN
 * @param slowHandshakeNanos a SYN -> SYN-ACK time above this raises {@link
 *     TcpFinding#SLOW_HANDSHAKE}
 * @param retransStormPercent retransmitted data segments above this percentage of data segments
 *     raise {@link TcpFinding#RETRANSMISSION_STORM} ...
 * @param retransStormMinSegments ... once the flow has at least this many data segments
 * @param zeroWindowStallNanos a receiver window held at 0 this long raises {@link
 *     TcpFinding#ZERO_WINDOW_STALL}
 * @param reassemblyDepth bytes reassembled per direction of a flow at most
 * @param reassemblyMemcap bytes of out-of-order data buffered by all flows of one worker at most
 * @param reassemblyMaxSegments out-of-order segments buffered per direction at most
 */
public record TcpConfig(
    long reorderWindowNanos,
    int synUnansweredSyns,
    long synUnansweredWindowNanos,
    long slowHandshakeNanos,
    int retransStormPercent,
    int retransStormMinSegments,
    long zeroWindowStallNanos,
    long reassemblyDepth,
    long reassemblyMemcap,
    int reassemblyMaxSegments) {

  /** The defaults documented in docs/CONFIG.md. */
  public static TcpConfig defaults() {
    return new TcpConfig(
        3_000_000L, // 3 ms: tshark's out-of-order threshold before an RTT is known
        3,
        30_000_000_000L,
        1_000_000_000L,
        10,
        20,
        5_000_000_000L,
        1L << 20,
        64L << 20,
        256);
  }
}

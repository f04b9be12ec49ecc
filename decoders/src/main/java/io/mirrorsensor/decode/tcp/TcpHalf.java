package io.mirrorsensor.decode.tcp;

/**
 * What one endpoint of a connection has sent: sequence space, the last ACK and window it
 * advertised, its handshake options and its Zeek endpoint state. Sequence numbers are unsigned
 * 32-bit values held in a {@code long}; compare them only with {@link Seq}.
 */
final class TcpHalf {
  // Zeek's endpoint states (analyzer/protocol/tcp/TCP_Endpoint.h), as far as conn_state needs.
  static final int INACTIVE = 0;
  static final int SYN_SENT = 1;
  static final int SYN_ACK_SENT = 2;
  static final int PARTIAL = 3;
  static final int ESTABLISHED = 4;
  static final int CLOSED = 5;
  static final int RESET = 6;

  /** Most sequence gaps remembered per direction for {@code missed_bytes}; more are counted. */
  static final int MAX_GAPS = 8;

  int state = INACTIVE;

  /** Highest sequence number seen plus its length (tshark's nextseq); valid when seqKnown. */
  /** This endpoint sent a RST that was accepted and nothing but RSTs since (rst inject check). */
  boolean rstSent;
  boolean seqKnown;
  long nextSeq;
  long nextSeqTime;
  /** Highest in-order sequence number to be acknowledged (tshark's maxseqtobeacked). */
  boolean maxSeqKnown;
  long maxSeqToBeAcked;

  boolean ackKnown;
  long lastAck;
  long lastAckTime;
  int dupAcks;

  boolean winKnown;
  /** Last advertised window, scaled when the scale is known. */
  long win;
  /** Window scale shift this endpoint offered in its SYN / SYN-ACK, -1 when none. */
  int wscaleOffered = -1;
  /** Shift applied to this endpoint's window field: 0 after a handshake without scaling, -1 unknown. */
  int wscale = -1;
  boolean sackPermitted;
  boolean timestamps;

  int syns;
  long isn;
  /** Analysis flags of this endpoint's previous segment (keep-alive ACK, probe ACK). */
  int lastAnalysis;
  /** Packet time since which this endpoint advertises a zero window, -1 when it does not. */
  long zeroWindowSince = -1;

  long dataSegments;
  long retransmittedDataSegments;
  long payloadBytes;

  /**
   * Unacknowledged gaps [gapStart, gapEnd) in this endpoint's sequence space: bytes it sent that
   * the sensor never saw. When the peer acknowledges them they count as missed.
   */
  final long[] gapStart = new long[MAX_GAPS];
  final long[] gapEnd = new long[MAX_GAPS];
  int gapCount;
  /** Everything below this was already counted as missed or seen. */
  boolean missedMarkKnown;
  long missedMark;
}

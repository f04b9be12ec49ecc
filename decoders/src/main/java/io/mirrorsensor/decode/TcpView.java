package io.mirrorsensor.decode;

/**
 * View of a TCP header, RFC 9293 section 3.1, and its options (MSS RFC 9293, window scale and
 * timestamps RFC 7323, SACK-permitted and SACK RFC 2018).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * </pre>
 */
final class TcpView {
  static final int SRC_PORT_OFFSET = 0;
  static final int DST_PORT_OFFSET = 2;
  static final int SEQ_OFFSET = 4;
  static final int ACK_OFFSET = 8;
  static final int DATA_OFFSET_OFFSET = 12;
  static final int FLAGS_OFFSET = 13;
  static final int WINDOW_OFFSET = 14;
  static final int CHECKSUM_OFFSET = 16;
  static final int MIN_HEADER_LENGTH = 20;

  static final int OPT_EOL = 0;
  static final int OPT_NOP = 1;
  static final int OPT_MSS = 2; // length 4
  static final int OPT_WSCALE = 3; // length 3
  static final int OPT_SACK_PERMITTED = 4; // length 2
  static final int OPT_SACK = 5; // length 2 + 8n
  static final int OPT_TIMESTAMP = 8; // length 10
  /** RFC 7323 section 2.3: shifts above 14 are treated as 14 and logged. */
  static final int MAX_WSCALE = 14;

  private TcpView() {}

  static int srcPort(byte[] buf, int base) {
    return Bytes.u16(buf, base + SRC_PORT_OFFSET);
  }

  static int dstPort(byte[] buf, int base) {
    return Bytes.u16(buf, base + DST_PORT_OFFSET);
  }

  static long seq(byte[] buf, int base) {
    return Bytes.u32(buf, base + SEQ_OFFSET);
  }

  static long ack(byte[] buf, int base) {
    return Bytes.u32(buf, base + ACK_OFFSET);
  }

  static int headerLength(byte[] buf, int base) {
    return (Bytes.u8(buf, base + DATA_OFFSET_OFFSET) >>> 4) * 4;
  }

  static int flags(byte[] buf, int base) {
    return Bytes.u8(buf, base + FLAGS_OFFSET);
  }

  static int window(byte[] buf, int base) {
    return Bytes.u16(buf, base + WINDOW_OFFSET);
  }
}

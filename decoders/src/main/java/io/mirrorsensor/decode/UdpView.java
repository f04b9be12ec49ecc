package io.mirrorsensor.decode;

/**
 * View of a UDP header, RFC 768.
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |     Source      |   Destination   |
 * |      Port       |      Port       |
 * +--------+--------+--------+--------+
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * </pre>
 *
 * The SCTP common header (RFC 9260 section 3.1) starts with the same two ports, which is all the
 * decoder reads of SCTP.
 */
final class UdpView {
  static final int SRC_PORT_OFFSET = 0;
  static final int DST_PORT_OFFSET = 2;
  static final int LENGTH_OFFSET = 4;
  static final int CHECKSUM_OFFSET = 6;
  static final int HEADER_LENGTH = 8;
  static final int SCTP_HEADER_LENGTH = 12;

  private UdpView() {}

  static int srcPort(byte[] buf, int base) {
    return Bytes.u16(buf, base + SRC_PORT_OFFSET);
  }

  static int dstPort(byte[] buf, int base) {
    return Bytes.u16(buf, base + DST_PORT_OFFSET);
  }

  static int length(byte[] buf, int base) {
    return Bytes.u16(buf, base + LENGTH_OFFSET);
  }

  static int checksum(byte[] buf, int base) {
    return Bytes.u16(buf, base + CHECKSUM_OFFSET);
  }
}

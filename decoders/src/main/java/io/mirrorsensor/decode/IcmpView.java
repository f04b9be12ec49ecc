package io.mirrorsensor.decode;

/**
 * View of an ICMP (RFC 792) or ICMPv6 (RFC 4443 section 2.1) header: both share the layout of
 * the first 4 bytes; the next 4 depend on the type (echo: identifier and sequence).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Rest of header                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class IcmpView {
  static final int TYPE_OFFSET = 0;
  static final int CODE_OFFSET = 1;
  static final int CHECKSUM_OFFSET = 2;
  static final int HEADER_LENGTH = 8;

  private IcmpView() {}

  static int type(byte[] buf, int base) {
    return Bytes.u8(buf, base + TYPE_OFFSET);
  }

  static int code(byte[] buf, int base) {
    return Bytes.u8(buf, base + CODE_OFFSET);
  }
}

package io.mirrorsensor.decode;

/**
 * View of an IPv4 header, RFC 791 section 3.1.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Flags: bit 0 reserved (RFC 3514 "evil bit"), bit 1 DF, bit 2 MF; fragment offset in 8-byte
 * units.
 */
final class Ipv4View {
  static final int VERSION_IHL_OFFSET = 0;
  static final int TOS_OFFSET = 1;
  static final int TOTAL_LENGTH_OFFSET = 2;
  static final int ID_OFFSET = 4;
  static final int FLAGS_FRAGMENT_OFFSET = 6;
  static final int TTL_OFFSET = 8;
  static final int PROTOCOL_OFFSET = 9;
  static final int CHECKSUM_OFFSET = 10;
  static final int SRC_OFFSET = 12;
  static final int DST_OFFSET = 16;
  static final int MIN_HEADER_LENGTH = 20;
  static final int MAX_HEADER_LENGTH = 60;

  static final int FLAG_RESERVED = 0x8000;
  static final int FLAG_DF = 0x4000;
  static final int FLAG_MF = 0x2000;
  static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

  static final int OPT_EOL = 0;
  static final int OPT_NOP = 1;

  private Ipv4View() {}

  static int version(byte[] buf, int base) {
    return Bytes.u8(buf, base + VERSION_IHL_OFFSET) >>> 4;
  }

  /** Header length in bytes (IHL * 4). */
  static int headerLength(byte[] buf, int base) {
    return (Bytes.u8(buf, base + VERSION_IHL_OFFSET) & 0x0F) * 4;
  }

  static int tos(byte[] buf, int base) {
    return Bytes.u8(buf, base + TOS_OFFSET);
  }

  static int totalLength(byte[] buf, int base) {
    return Bytes.u16(buf, base + TOTAL_LENGTH_OFFSET);
  }

  static int id(byte[] buf, int base) {
    return Bytes.u16(buf, base + ID_OFFSET);
  }

  /** The 16 bits of flags and fragment offset. */
  static int flagsFragment(byte[] buf, int base) {
    return Bytes.u16(buf, base + FLAGS_FRAGMENT_OFFSET);
  }

  /** Fragment offset in bytes. */
  static int fragmentOffsetBytes(byte[] buf, int base) {
    return (flagsFragment(buf, base) & FRAGMENT_OFFSET_MASK) * 8;
  }

  static int ttl(byte[] buf, int base) {
    return Bytes.u8(buf, base + TTL_OFFSET);
  }

  static int protocol(byte[] buf, int base) {
    return Bytes.u8(buf, base + PROTOCOL_OFFSET);
  }

  static int checksum(byte[] buf, int base) {
    return Bytes.u16(buf, base + CHECKSUM_OFFSET);
  }
}

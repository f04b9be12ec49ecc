package io.mirrorsensor.decode;

/**
 * View of a VXLAN header, RFC 7348 section 5.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The I flag MUST be 1; reserved bits MUST be sent as zero and ignored on receipt, so a header
 * with reserved bits set still decodes (Suricata redmine #7753).
 */
final class VxlanView {
  static final int FLAGS_OFFSET = 0;
  static final int VNI_OFFSET = 4;
  static final int HEADER_LENGTH = 8;
  static final int FLAG_I = 0x08;

  private VxlanView() {}

  static int flags(byte[] buf, int base) {
    return Bytes.u8(buf, base + FLAGS_OFFSET);
  }

  static boolean iFlag(byte[] buf, int base) {
    return (flags(buf, base) & FLAG_I) != 0;
  }

  static int vni(byte[] buf, int base) {
    return Bytes.u24(buf, base + VNI_OFFSET);
  }

  /** True when any bit other than I is set in the 8 bytes. */
  static boolean reservedBitsSet(byte[] buf, int base) {
    return (flags(buf, base) & ~FLAG_I) != 0
        || Bytes.u24(buf, base + 1) != 0
        || buf[base + 7] != 0;
  }
}

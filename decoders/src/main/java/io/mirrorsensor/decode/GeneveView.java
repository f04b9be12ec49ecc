package io.mirrorsensor.decode;

/**
 * View of a GENEVE header and its options, RFC 8926 section 3.4 (base header) and 3.5 (options),
 * as an AWS Gateway Load Balancer sends it to its targets on UDP 6081.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Virtual Network Identifier (VNI)       |    Reserved   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * ~                    Variable-Length Options                    ~
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * One option (RFC 8926 section 3.5):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Option Class         |      Type     |R|R|R| Length  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Variable-Length Option Data                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Opt Len and an option's Length count 4-byte words and exclude the 8-byte base header and the
 * option's own 4-byte header. The high bit of an option's Type marks it critical. AWS's TLVs
 * (option class 0x0108, AWS blog "Integrate your custom logic or appliance with AWS Gateway Load
 * Balancer"): type 1, 8 bytes: the GWLB endpoint id; type 2, 8 bytes: the attachment id; type 3,
 * 4 bytes: the flow cookie. With them a GWLB packet carries 40 bytes of GENEVE and 68 of overhead
 * in all (IPv4 20 + UDP 8).
 */
final class GeneveView {
  static final int FLAGS_OFFSET = 0; // Ver (2 bits) and Opt Len (6 bits)
  static final int OC_OFFSET = 1; // O, C and reserved bits
  static final int PROTOCOL_OFFSET = 2;
  static final int VNI_OFFSET = 4;
  static final int HEADER_LENGTH = 8;
  static final int FLAG_O = 0x80;
  static final int FLAG_C = 0x40;

  static final int OPTION_HEADER_LENGTH = 4;
  static final int OPTION_CLASS_OFFSET = 0;
  static final int OPTION_TYPE_OFFSET = 2;
  static final int OPTION_LENGTH_OFFSET = 3;
  static final int OPTION_TYPE_CRITICAL = 0x80;

  /** AWS's option class (AWS blog on GWLB integration; IANA Geneve Option Class registry). */
  static final int AWS_OPTION_CLASS = 0x0108;
  static final int AWS_ENDPOINT_ID = 1;
  static final int AWS_ATTACHMENT_ID = 2;
  static final int AWS_FLOW_COOKIE = 3;

  static final int PROTOCOL_IPV4 = 0x0800;
  static final int PROTOCOL_IPV6 = 0x86DD;
  /** Transparent Ethernet bridging: an Ethernet frame follows (RFC 8926 section 3.4). */
  static final int PROTOCOL_ETHERNET = 0x6558;

  private GeneveView() {}

  static int version(byte[] buf, int base) {
    return Bytes.u8(buf, base + FLAGS_OFFSET) >>> 6;
  }

  /** Bytes of options after the base header (Opt Len x 4, at most 252). */
  static int optionsLength(byte[] buf, int base) {
    return (Bytes.u8(buf, base + FLAGS_OFFSET) & 0x3F) * 4;
  }

  static boolean oFlag(byte[] buf, int base) {
    return (Bytes.u8(buf, base + OC_OFFSET) & FLAG_O) != 0;
  }

  static boolean cFlag(byte[] buf, int base) {
    return (Bytes.u8(buf, base + OC_OFFSET) & FLAG_C) != 0;
  }

  static int protocol(byte[] buf, int base) {
    return Bytes.u16(buf, base + PROTOCOL_OFFSET);
  }

  static int vni(byte[] buf, int base) {
    return Bytes.u24(buf, base + VNI_OFFSET);
  }

  static int optionClass(byte[] buf, int opt) {
    return Bytes.u16(buf, opt + OPTION_CLASS_OFFSET);
  }

  static int optionType(byte[] buf, int opt) {
    return Bytes.u8(buf, opt + OPTION_TYPE_OFFSET);
  }

  /** Bytes of the option's data (Length x 4, excluding its 4-byte header). */
  static int optionDataLength(byte[] buf, int opt) {
    return (Bytes.u8(buf, opt + OPTION_LENGTH_OFFSET) & 0x1F) * 4;
  }
}

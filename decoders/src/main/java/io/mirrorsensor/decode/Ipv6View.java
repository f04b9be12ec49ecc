package io.mirrorsensor.decode;

/**
 * View of an IPv6 fixed header (RFC 8200 section 3) and of its extension headers (section 4).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Source Address (16 bytes)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Destination Address (16 bytes)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Generic extension header (hop-by-hop 0, routing 43, destination options 60):
 * |  Next Header  |  Hdr Ext Len  |  ... (Hdr Ext Len + 1) * 8 bytes in all
 * Fragment header (44, RFC 8200 section 4.5), 8 bytes:
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * |                         Identification                        |
 * Authentication header (51, RFC 4302 section 2): (Payload Len + 2) * 4 bytes.
 * </pre>
 */
final class Ipv6View {
  static final int VERSION_CLASS_FLOW_OFFSET = 0;
  static final int PAYLOAD_LENGTH_OFFSET = 4;
  static final int NEXT_HEADER_OFFSET = 6;
  static final int HOP_LIMIT_OFFSET = 7;
  static final int SRC_OFFSET = 8;
  static final int DST_OFFSET = 24;
  static final int HEADER_LENGTH = 40;

  static final int EXT_NEXT_HEADER_OFFSET = 0;
  static final int EXT_LENGTH_OFFSET = 1;
  static final int ROUTING_TYPE_OFFSET = 2;
  static final int FRAG_OFFSET_FLAGS_OFFSET = 2;
  static final int FRAG_ID_OFFSET = 4;
  static final int FRAG_HEADER_LENGTH = 8;

  static final int NH_HOP_BY_HOP = 0;
  static final int NH_ROUTING = 43;
  static final int NH_FRAGMENT = 44;
  static final int NH_ESP = 50;
  static final int NH_AH = 51;
  static final int NH_NONE = 59;
  static final int NH_DEST_OPTS = 60;
  static final int NH_MOBILITY = 135;

  private Ipv6View() {}

  static int version(byte[] buf, int base) {
    return Bytes.u8(buf, base) >>> 4;
  }

  static int trafficClass(byte[] buf, int base) {
    return (Bytes.u16(buf, base) >>> 4) & 0xFF;
  }

  static int flowLabel(byte[] buf, int base) {
    return Bytes.i32(buf, base) & 0xFFFFF;
  }

  static int payloadLength(byte[] buf, int base) {
    return Bytes.u16(buf, base + PAYLOAD_LENGTH_OFFSET);
  }

  static int nextHeader(byte[] buf, int base) {
    return Bytes.u8(buf, base + NEXT_HEADER_OFFSET);
  }

  static int hopLimit(byte[] buf, int base) {
    return Bytes.u8(buf, base + HOP_LIMIT_OFFSET);
  }

  /** True for the extension headers walked by the decoder (generic layout, AH, fragment). */
  static boolean isExtension(int nh) {
    return nh == NH_HOP_BY_HOP || nh == NH_ROUTING || nh == NH_FRAGMENT || nh == NH_AH
        || nh == NH_DEST_OPTS || nh == NH_MOBILITY;
  }

  /** Length in bytes of the extension header at {@code ext} whose type is {@code nh}. */
  static int extensionLength(byte[] buf, int ext, int nh) {
    if (nh == NH_FRAGMENT) {
      return FRAG_HEADER_LENGTH;
    }
    int len = Bytes.u8(buf, ext + EXT_LENGTH_OFFSET);
    return nh == NH_AH ? (len + 2) * 4 : (len + 1) * 8;
  }

  /** Fragment offset in bytes of the fragment header at {@code ext}. */
  static int fragmentOffsetBytes(byte[] buf, int ext) {
    return Bytes.u16(buf, ext + FRAG_OFFSET_FLAGS_OFFSET) & 0xFFF8;
  }

  static boolean moreFragments(byte[] buf, int ext) {
    return (Bytes.u16(buf, ext + FRAG_OFFSET_FLAGS_OFFSET) & 1) != 0;
  }

  static int fragmentId(byte[] buf, int ext) {
    return Bytes.i32(buf, ext + FRAG_ID_OFFSET);
  }
}

package io.mirrorsensor.decode;

/**
 * View of an Ethernet II header and its 802.1Q / 802.1ad tags (IEEE 802.3, IEEE 802.1Q).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Destination MAC (6 bytes) ...                 |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ...                          |    Source MAC (6 bytes) ...   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |  ...                                                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   EtherType / TPID            | (tag) PCP|DEI|  VLAN id (12)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | (tag) inner EtherType / TPID  |  ...
 * </pre>
 *
 * <p>Like every view here it is a set of static accessors at absolute indexes over bytes it does
 * not own: no instance to re-point per layer, nothing copied, and the JIT inlines the reads.
 */
final class EthernetView {
  static final int DST_OFFSET = 0;
  static final int SRC_OFFSET = 6;
  static final int TYPE_OFFSET = 12;
  static final int HEADER_LENGTH = 14;
  /** A tag is TCI (2 bytes) + the next EtherType (2 bytes). */
  static final int TAG_LENGTH = 4;

  static final int TYPE_IPV4 = 0x0800;
  static final int TYPE_IPV6 = 0x86DD;
  static final int TYPE_VLAN = 0x8100; // 802.1Q C-tag
  static final int TYPE_QINQ = 0x88A8; // 802.1ad S-tag
  static final int TYPE_QINQ_OLD = 0x9100; // pre-standard QinQ, still seen on switches
  /** Values below this are an 802.3 length, not an EtherType. */
  static final int MIN_ETHERTYPE = 0x0600;

  private EthernetView() {}

  static int etherType(byte[] buf, int base) {
    return Bytes.u16(buf, base + TYPE_OFFSET);
  }

  /** VLAN id of the tag whose TPID is at {@code tpidAt}: its TCI follows. */
  static int vlanId(byte[] buf, int tpidAt) {
    return Bytes.u16(buf, tpidAt + 2) & 0x0FFF;
  }

  static boolean isVlanTpid(int type) {
    return type == TYPE_VLAN || type == TYPE_QINQ || type == TYPE_QINQ_OLD;
  }
}

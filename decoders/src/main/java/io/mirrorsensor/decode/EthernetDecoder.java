package io.mirrorsensor.decode;

/** Stateless Ethernet II decoding with stacked 802.1Q / 802.1ad (QinQ) tags. */
final class EthernetDecoder {
  private EthernetDecoder() {}

  static int decode(DecodeContext c) {
    byte[] b = c.buf;
    int p = c.pos;
    DecodedPacket out = c.out;
    if (p + EthernetView.HEADER_LENGTH > c.capEnd) {
      return c.cut(Anomaly.ETHERNET_TRUNCATED, p + EthernetView.HEADER_LENGTH);
    }
    c.counters.increment(DecodeCounter.ETHERNET);
    out.l2Offset = p;
    int typeAt = p + EthernetView.TYPE_OFFSET;
    int type = Bytes.u16(b, typeAt);
    int tags = 0;
    int maxTags = c.config.maxVlanTags();
    while (EthernetView.isVlanTpid(type)) {
      if (tags == maxTags) {
        out.vlanCount = tags;
        return c.fatal(Anomaly.VLAN_TOO_MANY_TAGS);
      }
      // TPID (2) + TCI (2) + next type (2) from typeAt
      if (typeAt + 6 > c.capEnd) {
        out.vlanCount = tags;
        return c.cut(Anomaly.ETHERNET_TRUNCATED, typeAt + 6);
      }
      if (tags < out.vlanIds.length) {
        out.vlanIds[tags] = EthernetView.vlanId(b, typeAt);
      }
      tags++;
      c.counters.increment(DecodeCounter.VLAN);
      typeAt += EthernetView.TAG_LENGTH;
      type = Bytes.u16(b, typeAt);
    }
    out.vlanCount = tags;
    out.etherType = type;
    c.pos = typeAt + 2;
    return dispatch(type);
  }

  /** Next layer for an EtherType (or SLL protocol): IPv4, IPv6, or unsupported (ARP, LLDP...). */
  static int dispatch(int etherType) {
    if (etherType == EthernetView.TYPE_IPV4) {
      return DecodeContext.IPV4;
    }
    if (etherType == EthernetView.TYPE_IPV6) {
      return DecodeContext.IPV6;
    }
    return DecodeContext.DONE_UNSUPPORTED;
  }
}

package io.mirrorsensor.decode;

/** Stateless decoding of the capture's link layer: picks the first network-level layer. */
final class LinkDecoder {
  private LinkDecoder() {}

  static int decode(DecodeContext c, int linkType) {
    byte[] b = c.buf;
    int p = c.pos;
    switch (linkType) {
      case LinkType.ETHERNET:
        return DecodeContext.ETHERNET;
      case LinkType.RAW:
      case LinkType.DLT_RAW_12:
      case LinkType.DLT_RAW_14:
        if (p >= c.capEnd) {
          return c.cut(Anomaly.LINK_TRUNCATED, p + 1);
        }
        int v = Bytes.u8(b, p) >>> 4;
        if (v == 4) {
          return DecodeContext.IPV4;
        }
        if (v == 6) {
          return DecodeContext.IPV6;
        }
        return c.fatal(Anomaly.PACKET_IP_VERSION_INVALID);
      case LinkType.IPV4:
        return DecodeContext.IPV4;
      case LinkType.IPV6:
        return DecodeContext.IPV6;
      case LinkType.NULL:
      case LinkType.LOOP: {
        if (p + LinkView.LOOPBACK_HEADER_LENGTH > c.capEnd) {
          return c.cut(Anomaly.LINK_TRUNCATED, p + LinkView.LOOPBACK_HEADER_LENGTH);
        }
        c.counters.increment(DecodeCounter.LOOPBACK);
        int family = linkType == LinkType.LOOP ? Bytes.i32(b, p) : LinkView.nullFamily(b, p);
        c.pos = p + LinkView.LOOPBACK_HEADER_LENGTH;
        if (family == LinkView.AF_INET) {
          return DecodeContext.IPV4;
        }
        return LinkView.isInet6(family) ? DecodeContext.IPV6 : DecodeContext.DONE_UNSUPPORTED;
      }
      case LinkType.LINUX_SLL:
        return cooked(c, LinkView.SLL_HEADER_LENGTH, p + LinkView.SLL_PROTOCOL_OFFSET);
      case LinkType.LINUX_SLL2:
        return cooked(c, LinkView.SLL2_HEADER_LENGTH, p + LinkView.SLL2_PROTOCOL_OFFSET);
      default:
        return DecodeContext.DONE_UNSUPPORTED;
    }
  }

  private static int cooked(DecodeContext c, int headerLength, int protocolAt) {
    int p = c.pos;
    if (p + headerLength > c.capEnd) {
      return c.cut(Anomaly.LINK_TRUNCATED, p + headerLength);
    }
    c.counters.increment(DecodeCounter.SLL);
    int protocol = Bytes.u16(c.buf, protocolAt);
    c.out.etherType = protocol;
    c.pos = p + headerLength;
    return EthernetDecoder.dispatch(protocol);
  }
}

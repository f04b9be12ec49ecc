package io.mirrorsensor.decode;

/**
 * Stateless IPv6 decoding (RFC 8200): fixed header and a bounded walk of the extension header
 * chain (hop-by-hop, routing, fragment, destination options, AH, mobility); fragments are handed
 * to reassembly. ESP and "no next header" end the walk with no transport layer.
 */
final class Ipv6Decoder {
  private Ipv6Decoder() {}

  static int decode(DecodeContext c) {
    byte[] b = c.buf;
    int p = c.pos;
    DecodedPacket out = c.out;
    if (p + Ipv6View.HEADER_LENGTH > c.capEnd) {
      return c.cut(Anomaly.IPV6_TRUNCATED, p + Ipv6View.HEADER_LENGTH);
    }
    if (Ipv6View.version(b, p) != 6) {
      return c.fatal(Anomaly.IPV6_VERSION_INVALID);
    }
    c.counters.increment(DecodeCounter.IPV6);
    int payloadLength = Ipv6View.payloadLength(b, p);
    out.ipVersion = 6;
    out.l3Offset = p;
    out.tos = Ipv6View.trafficClass(b, p);
    out.flowLabel = Ipv6View.flowLabel(b, p);
    out.ttl = Ipv6View.hopLimit(b, p);
    out.ipId = 0;
    out.ipWireLength = Ipv6View.HEADER_LENGTH + payloadLength;
    System.arraycopy(b, p + Ipv6View.SRC_OFFSET, out.srcAddr, 0, 16);
    System.arraycopy(b, p + Ipv6View.DST_OFFSET, out.dstAddr, 0, 16);
    int ipEnd = p + Ipv6View.HEADER_LENGTH + payloadLength;
    if (ipEnd > c.capEnd) {
      out.truncated = true;
    }
    boolean wholeCaptured = ipEnd <= c.capEnd;
    c.ipComplete = wholeCaptured && !out.truncated;
    c.inFragment = false;
    c.capEnd = Math.min(c.capEnd, ipEnd);
    out.ipCapturedLength = c.capEnd - p;
    c.wireEnd = ipEnd;

    int nh = Ipv6View.nextHeader(b, p);
    int nhAt = p + Ipv6View.NEXT_HEADER_OFFSET;
    int cur = p + Ipv6View.HEADER_LENGTH;
    int count = 0;
    int maxExt = c.config.maxIpv6ExtHeaders();
    while (Ipv6View.isExtension(nh)) {
      out.ipProto = nh;
      out.l3HeaderLength = cur - p;
      if (++count > maxExt) {
        return c.fatal(Anomaly.IPV6_EXT_CHAIN_TOO_LONG);
      }
      if (nh == Ipv6View.NH_HOP_BY_HOP && count != 1) {
        c.anomaly(Anomaly.IPV6_HOP_BY_HOP_NOT_FIRST);
      }
      int fixed = nh == Ipv6View.NH_FRAGMENT ? Ipv6View.FRAG_HEADER_LENGTH : 4;
      if (cur + fixed > c.capEnd) {
        return c.cut(Anomaly.IPV6_EXT_LEN_INVALID, cur + fixed);
      }
      int len = Ipv6View.extensionLength(b, cur, nh);
      if (cur + len > c.capEnd) {
        return c.cut(Anomaly.IPV6_EXT_LEN_INVALID, cur + len);
      }
      if (nh == Ipv6View.NH_ROUTING && Bytes.u8(b, cur + Ipv6View.ROUTING_TYPE_OFFSET) == 0) {
        c.anomaly(Anomaly.IPV6_RH0);
      }
      if (nh == Ipv6View.NH_FRAGMENT) {
        int fragOffset = Ipv6View.fragmentOffsetBytes(b, cur);
        boolean more = Ipv6View.moreFragments(b, cur);
        if (fragOffset != 0 || more) { // else an atomic fragment (RFC 6946): not a fragment
          int r = fragment(c, b, p, cur, nhAt, fragOffset, more, ipEnd, wholeCaptured);
          if (r != 0) {
            return r;
          }
        }
      }
      nhAt = cur;
      nh = Bytes.u8(b, cur + Ipv6View.EXT_NEXT_HEADER_OFFSET);
      cur += len;
    }
    out.ipProto = nh;
    out.l3HeaderLength = cur - p;
    c.pos = cur;
    return Ipv4Decoder.transport(nh, 6);
  }

  /** Handles a real fragment header at {@code frag}; 0 means "go on walking the chain". */
  private static int fragment(DecodeContext c, byte[] b, int p, int frag, int nhAt,
      int fragOffset, boolean more, int ipEnd, boolean wholeCaptured) {
    DecodedPacket out = c.out;
    c.counters.increment(DecodeCounter.FRAGMENTS);
    int fragNh = Bytes.u8(b, frag + Ipv6View.EXT_NEXT_HEADER_OFFSET);
    out.ipId = Ipv6View.fragmentId(b, frag);
    out.ipProto = fragNh;
    int data = frag + Ipv6View.FRAG_HEADER_LENGTH;
    if (c.reassemble) {
      if (wholeCaptured) {
        int r = c.fragments.offer(c, 6, b, p, frag - p, nhAt - p, fragNh, out.ipId, fragOffset,
            more, data, ipEnd - data);
        if (r == FragmentTable.HELD) {
          return DecodeContext.DONE_HELD;
        }
        if (r == FragmentTable.COMPLETE) {
          return Ipv4Decoder.switchToReassembled(c);
        }
      } else {
        c.counters.increment(DecodeCounter.FRAGMENTS_NOT_HELD);
      }
    }
    out.fragment = true;
    out.fragmentOffset = fragOffset;
    out.moreFragments = more;
    c.inFragment = true;
    if (fragOffset != 0) {
      out.l3HeaderLength = data - p;
      c.pos = data;
      return DecodeContext.DONE_OK;
    }
    return 0;
  }
}

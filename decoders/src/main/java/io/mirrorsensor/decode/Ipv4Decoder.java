package io.mirrorsensor.decode;

import java.util.Arrays;

/** Stateless IPv4 decoding (RFC 791): header, options walk, fragments handed to reassembly. */
final class Ipv4Decoder {
  private Ipv4Decoder() {}

  static int decode(DecodeContext c) {
    byte[] b = c.buf;
    int p = c.pos;
    DecodedPacket out = c.out;
    if (p + Ipv4View.MIN_HEADER_LENGTH > c.capEnd) {
      return c.cut(Anomaly.IPV4_TRUNCATED, p + Ipv4View.MIN_HEADER_LENGTH);
    }
    if (Ipv4View.version(b, p) != 4) {
      return c.fatal(Anomaly.IPV4_VERSION_INVALID);
    }
    int hl = Ipv4View.headerLength(b, p);
    if (hl < Ipv4View.MIN_HEADER_LENGTH) {
      return c.fatal(Anomaly.IPV4_HLEN_TOO_SMALL);
    }
    if (p + hl > c.capEnd) {
      return c.cut(Anomaly.IPV4_TRUNCATED, p + hl);
    }
    int total = Ipv4View.totalLength(b, p);
    if (total < hl) {
      return c.fatal(Anomaly.IPV4_TOTAL_LEN_TOO_SMALL);
    }
    c.counters.increment(DecodeCounter.IPV4);
    out.ipVersion = 4;
    out.l3Offset = p;
    out.l3HeaderLength = hl;
    out.tos = Ipv4View.tos(b, p);
    out.flowLabel = 0;
    out.ttl = Ipv4View.ttl(b, p);
    out.ipId = Ipv4View.id(b, p);
    int proto = Ipv4View.protocol(b, p);
    out.ipProto = proto;
    out.ipWireLength = total;
    System.arraycopy(b, p + Ipv4View.SRC_OFFSET, out.srcAddr, 0, 4);
    System.arraycopy(b, p + Ipv4View.DST_OFFSET, out.dstAddr, 0, 4);
    Arrays.fill(out.srcAddr, 4, 16, (byte) 0);
    Arrays.fill(out.dstAddr, 4, 16, (byte) 0);

    int ff = Ipv4View.flagsFragment(b, p);
    if ((ff & Ipv4View.FLAG_RESERVED) != 0) {
      c.anomaly(Anomaly.IPV4_RESERVED_FLAG_SET);
    }
    if (hl > Ipv4View.MIN_HEADER_LENGTH) {
      walkOptions(c, b, p + Ipv4View.MIN_HEADER_LENGTH, p + hl);
    }
    int ipEnd = p + total;
    if (ipEnd > c.capEnd) {
      out.truncated = true; // normal mirror truncation: wire length comes from the header
    }
    c.ipComplete = ipEnd <= c.capEnd && !out.truncated;
    c.inFragment = false;
    if (c.validateChecksums && c.ipComplete
        && InternetChecksum.fold(InternetChecksum.add(0, b, p, p + hl)) != 0xFFFF) {
      c.counters.increment(DecodeCounter.CHECKSUM_INVALID_IPV4);
      c.anomaly(Anomaly.IPV4_CHECKSUM_INVALID);
    }
    boolean more = (ff & Ipv4View.FLAG_MF) != 0;
    int fragOffset = (ff & Ipv4View.FRAGMENT_OFFSET_MASK) * 8;
    boolean wholeCaptured = ipEnd <= c.capEnd;
    c.capEnd = Math.min(c.capEnd, ipEnd);
    out.ipCapturedLength = c.capEnd - p;
    c.wireEnd = ipEnd;
    c.pos = p + hl;
    if (more || fragOffset != 0) {
      c.counters.increment(DecodeCounter.FRAGMENTS);
      if (c.reassemble) {
        if (wholeCaptured) {
          int r = c.fragments.offer(c, 4, b, p, hl, -1, proto, out.ipId, fragOffset, more,
              p + hl, total - hl);
          if (r == FragmentTable.HELD) {
            return DecodeContext.DONE_HELD;
          }
          if (r == FragmentTable.COMPLETE) {
            return switchToReassembled(c);
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
        return DecodeContext.DONE_OK;
      }
    }
    return transport(proto, 4);
  }

  /** Continues decoding in the datagram the fragment table just completed. */
  static int switchToReassembled(DecodeContext c) {
    FragmentTable t = c.fragments;
    c.buf = t.completedBuffer();
    c.pos = 0;
    c.capEnd = t.completedLength();
    c.wireEnd = t.completedLength();
    c.out.buf = c.buf;
    c.out.reassembled = true;
    return t.completedVersion() == 4 ? DecodeContext.IPV4 : DecodeContext.IPV6;
  }

  /** Next layer for an IP protocol number. */
  static int transport(int proto, int ipVersion) {
    switch (proto) {
      case 6:
        return DecodeContext.TCP;
      case 17:
        return DecodeContext.UDP;
      case 132:
        return DecodeContext.SCTP;
      case 1:
        return ipVersion == 4 ? DecodeContext.ICMP : DecodeContext.DONE_OK;
      case 58:
        return ipVersion == 6 ? DecodeContext.ICMPV6 : DecodeContext.DONE_OK;
      default:
        return DecodeContext.DONE_OK;
    }
  }

  /** RFC 791 options: EOL, NOP, else type-length-value; a bad length stops the walk. */
  private static void walkOptions(DecodeContext c, byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int type = Bytes.u8(b, i);
      if (type == Ipv4View.OPT_EOL) {
        return;
      }
      if (type == Ipv4View.OPT_NOP) {
        i++;
        continue;
      }
      if (i + 1 >= to) {
        c.anomaly(Anomaly.IPV4_OPT_INVALID_LEN);
        return;
      }
      int len = Bytes.u8(b, i + 1);
      if (len < 2 || i + len > to) {
        c.anomaly(Anomaly.IPV4_OPT_INVALID_LEN);
        return;
      }
      i += len;
    }
  }
}

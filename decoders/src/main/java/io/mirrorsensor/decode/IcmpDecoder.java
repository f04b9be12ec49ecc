package io.mirrorsensor.decode;

/**
 * Stateless ICMP / ICMPv6 decoding: type and code (also stored as srcPort / dstPort, the way the
 * Community ID spec treats them); the message body is left as payload.
 */
final class IcmpDecoder {
  private IcmpDecoder() {}

  static int decode(DecodeContext c, boolean v6) {
    byte[] b = c.buf;
    int p = c.pos;
    DecodedPacket out = c.out;
    if (p + IcmpView.HEADER_LENGTH > c.capEnd) {
      return c.cut(v6 ? Anomaly.ICMPV6_TRUNCATED : Anomaly.ICMP_TRUNCATED,
          p + IcmpView.HEADER_LENGTH);
    }
    c.counters.increment(v6 ? DecodeCounter.ICMPV6 : DecodeCounter.ICMP);
    out.l4Offset = p;
    out.l4HeaderLength = IcmpView.HEADER_LENGTH;
    out.icmpType = IcmpView.type(b, p);
    out.icmpCode = IcmpView.code(b, p);
    out.srcPort = out.icmpType;
    out.dstPort = out.icmpCode;
    int payload = p + IcmpView.HEADER_LENGTH;
    out.payloadOffset = payload;
    out.payloadLength = c.capEnd - payload;
    out.payloadWireLength = c.wireEnd - payload;
    if (c.mayValidate()) {
      long sum = v6
          ? InternetChecksum.pseudoHeader(b, out.l3Offset, 6, 58, c.wireEnd - p)
          : 0; // ICMPv4 has no pseudo-header (RFC 792)
      if (InternetChecksum.fold(InternetChecksum.add(sum, b, p, c.wireEnd)) != 0xFFFF) {
        c.counters.increment(v6 ? DecodeCounter.CHECKSUM_INVALID_ICMPV6
            : DecodeCounter.CHECKSUM_INVALID_ICMP);
        c.anomaly(v6 ? Anomaly.ICMPV6_CHECKSUM_INVALID : Anomaly.ICMP_CHECKSUM_INVALID);
      }
    }
    return DecodeContext.DONE_OK;
  }
}

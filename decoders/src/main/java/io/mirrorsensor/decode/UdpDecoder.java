package io.mirrorsensor.decode;

/**
 * Stateless UDP decoding; datagrams to a configured VXLAN port continue into VXLAN, to a
 * configured GENEVE port into GENEVE.
 */
final class UdpDecoder {
  private UdpDecoder() {}

  static int decode(DecodeContext c) {
    byte[] b = c.buf;
    int p = c.pos;
    DecodedPacket out = c.out;
    if (p + UdpView.HEADER_LENGTH > c.capEnd) {
      return c.cut(Anomaly.UDP_TRUNCATED, p + UdpView.HEADER_LENGTH);
    }
    c.counters.increment(DecodeCounter.UDP);
    out.l4Offset = p;
    out.l4HeaderLength = UdpView.HEADER_LENGTH;
    out.srcPort = UdpView.srcPort(b, p);
    out.dstPort = UdpView.dstPort(b, p);
    int len = UdpView.length(b, p);
    int payload = p + UdpView.HEADER_LENGTH;
    int udpEnd;
    boolean lengthValid;
    if (c.inFragment) {
      // first fragment of a datagram not reassembled: the length covers all fragments
      udpEnd = c.wireEnd;
      lengthValid = false;
      out.payloadWireLength = Math.max(0, len - UdpView.HEADER_LENGTH);
    } else if (len < UdpView.HEADER_LENGTH || len > c.wireEnd - p) {
      c.anomaly(Anomaly.UDP_LEN_INVALID);
      udpEnd = c.wireEnd;
      lengthValid = false;
      out.payloadWireLength = udpEnd - payload;
    } else {
      udpEnd = p + len;
      lengthValid = true;
      out.payloadWireLength = udpEnd - payload;
    }
    out.payloadOffset = payload;
    out.payloadLength = Math.max(0, Math.min(c.capEnd, udpEnd) - payload);
    int checksum = UdpView.checksum(b, p);
    // 0 = no checksum (RFC 768; for IPv6 tolerated on tunnels, RFC 6935)
    if (checksum != 0 && lengthValid && c.mayValidate()) {
      long sum = InternetChecksum.pseudoHeader(b, out.l3Offset, out.ipVersion, 17, len);
      if (InternetChecksum.fold(InternetChecksum.add(sum, b, p, udpEnd)) != 0xFFFF) {
        c.counters.increment(DecodeCounter.CHECKSUM_INVALID_UDP);
        c.anomaly(Anomaly.UDP_CHECKSUM_INVALID);
      }
    }
    if (!c.inFragment && c.isVxlanPort(out.dstPort)) {
      c.pos = payload;
      c.capEnd = Math.min(c.capEnd, udpEnd);
      c.wireEnd = udpEnd;
      return DecodeContext.VXLAN;
    }
    if (!c.inFragment && c.isGenevePort(out.dstPort)) {
      c.pos = payload;
      c.capEnd = Math.min(c.capEnd, udpEnd);
      c.wireEnd = udpEnd;
      return DecodeContext.GENEVE;
    }
    return DecodeContext.DONE_OK;
  }

  /** SCTP: only the common header's ports are read (for flow keys and Community ID). */
  static int decodeSctp(DecodeContext c) {
    byte[] b = c.buf;
    int p = c.pos;
    DecodedPacket out = c.out;
    if (p + UdpView.SCTP_HEADER_LENGTH > c.capEnd) {
      return c.cut(Anomaly.SCTP_TRUNCATED, p + UdpView.SCTP_HEADER_LENGTH);
    }
    c.counters.increment(DecodeCounter.SCTP);
    out.l4Offset = p;
    out.l4HeaderLength = UdpView.SCTP_HEADER_LENGTH;
    out.srcPort = UdpView.srcPort(b, p);
    out.dstPort = UdpView.dstPort(b, p);
    int payload = p + UdpView.SCTP_HEADER_LENGTH;
    out.payloadOffset = payload;
    out.payloadLength = c.capEnd - payload;
    out.payloadWireLength = c.wireEnd - payload;
    return DecodeContext.DONE_OK;
  }
}

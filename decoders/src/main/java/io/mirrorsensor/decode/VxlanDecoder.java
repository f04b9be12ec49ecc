package io.mirrorsensor.decode;

/**
 * Stateless VXLAN decapsulation (RFC 7348). The outermost VXLAN layer's VNI, carrying IP
 * addresses and UDP source port are kept in the {@link DecodedPacket} tunnel fields; everything
 * else is cleared and describes the inner frame from here on.
 */
final class VxlanDecoder {
  private VxlanDecoder() {}

  static int decode(DecodeContext c) {
    byte[] b = c.buf;
    int p = c.pos;
    DecodedPacket out = c.out;
    if (p + VxlanView.HEADER_LENGTH > c.capEnd) {
      return c.cut(Anomaly.VXLAN_TRUNCATED, p + VxlanView.HEADER_LENGTH);
    }
    if (!VxlanView.iFlag(b, p)) {
      return c.fatal(Anomaly.VXLAN_I_FLAG_CLEAR);
    }
    if (VxlanView.reservedBitsSet(b, p)) {
      c.anomaly(Anomaly.VXLAN_RESERVED_BITS_SET);
    }
    if (out.tunnelDepth >= c.config.maxTunnelDepth()) {
      return c.fatal(Anomaly.VXLAN_TOO_DEEP);
    }
    int vni = VxlanView.vni(b, p);
    c.counters.increment(DecodeCounter.VXLAN);
    if (out.tunnelDepth == 0) {
      out.vni = vni;
      out.outerIpVersion = out.ipVersion;
      System.arraycopy(out.srcAddr, 0, out.outerSrc, 0, 16);
      System.arraycopy(out.dstAddr, 0, out.outerDst, 0, 16);
      out.outerSrcPort = out.srcPort;
      out.outerDstPort = out.dstPort;
    }
    out.tunnelDepth++;
    c.vniContext = vni;
    out.resetInner();
    c.pos = p + VxlanView.HEADER_LENGTH;
    return DecodeContext.ETHERNET;
  }
}

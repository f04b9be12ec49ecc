package io.mirrorsensor.decode;

/**
 * Stateless GENEVE decapsulation (RFC 8926) as an AWS Gateway Load Balancer sends it: the GWLB
 * wraps the IP packet it received (protocol type 0x0800 / 0x86DD, no Ethernet) and adds AWS's
 * TLVs ({@link GeneveView}). A mirror target behind a GWLB receives the VXLAN mirror copy inside:
 * the IP header after GENEVE carries UDP 4789, whose VXLAN layer {@link VxlanDecoder} then removes
 * and takes the mirror context from (outer source = the mirrored ENI). GENEVE layers are counted
 * apart from VXLAN layers ({@link DecodedPacket#geneveDepth}) and bounded by the same
 * {@link DecoderConfig#maxTunnelDepth()}; the AWS ids of the outermost GENEVE layer are kept.
 *
 * <p>The option walk is bounded by the header itself: Opt Len is 6 bits (252 bytes at most) and
 * every option takes at least 4 bytes, so at most 63 options are looked at.
 */
final class GeneveDecoder {
  private GeneveDecoder() {}

  static int decode(DecodeContext c) {
    byte[] b = c.buf;
    int p = c.pos;
    DecodedPacket out = c.out;
    if (p + GeneveView.HEADER_LENGTH > c.capEnd) {
      return c.cut(Anomaly.GENEVE_TRUNCATED, p + GeneveView.HEADER_LENGTH);
    }
    // RFC 8926 section 3.4: only version 0 exists; a packet of an unknown version is not ours to
    // interpret (MUST be dropped), so it stays undecoded below the UDP layer.
    if (GeneveView.version(b, p) != 0) {
      return c.fatal(Anomaly.GENEVE_VERSION_UNSUPPORTED);
    }
    int optEnd = p + GeneveView.HEADER_LENGTH + GeneveView.optionsLength(b, p);
    if (optEnd > c.capEnd) {
      return c.cut(Anomaly.GENEVE_TRUNCATED, optEnd);
    }
    if (out.geneveDepth >= c.config.maxTunnelDepth()) {
      return c.fatal(Anomaly.GENEVE_TOO_DEEP);
    }
    boolean outermost = out.geneveDepth == 0;
    int opt = p + GeneveView.HEADER_LENGTH;
    while (opt < optEnd) {
      if (opt + GeneveView.OPTION_HEADER_LENGTH > optEnd) {
        c.anomaly(Anomaly.GENEVE_OPT_LEN_INVALID);
        break;
      }
      int cls = GeneveView.optionClass(b, opt);
      int type = GeneveView.optionType(b, opt);
      int dataLen = GeneveView.optionDataLength(b, opt);
      int data = opt + GeneveView.OPTION_HEADER_LENGTH;
      if (data + dataLen > optEnd) {
        c.anomaly(Anomaly.GENEVE_OPT_LEN_INVALID);
        break;
      }
      if (cls == GeneveView.AWS_OPTION_CLASS && type >= GeneveView.AWS_ENDPOINT_ID
          && type <= GeneveView.AWS_FLOW_COOKIE) {
        awsOption(c, b, type, data, dataLen, outermost);
      } else if ((type & GeneveView.OPTION_TYPE_CRITICAL) != 0) {
        // RFC 8926 section 3.5: a tunnel endpoint drops a packet with an unknown critical option;
        // a passive sensor decodes on and names it.
        c.anomaly(Anomaly.GENEVE_CRITICAL_OPTION_UNKNOWN);
      }
      opt = data + dataLen;
    }
    int next;
    switch (GeneveView.protocol(b, p)) {
      case GeneveView.PROTOCOL_IPV4:
        next = DecodeContext.IPV4;
        break;
      case GeneveView.PROTOCOL_IPV6:
        next = DecodeContext.IPV6;
        break;
      case GeneveView.PROTOCOL_ETHERNET:
        next = DecodeContext.ETHERNET;
        break;
      default:
        c.anomaly(Anomaly.GENEVE_PROTOCOL_UNSUPPORTED);
        return DecodeContext.DONE_UNSUPPORTED;
    }
    c.counters.increment(DecodeCounter.GENEVE);
    if (outermost) {
      out.geneveVni = GeneveView.vni(b, p);
    }
    out.geneveDepth++;
    out.resetInner();
    c.pos = optEnd;
    return next;
  }

  private static void awsOption(DecodeContext c, byte[] b, int type, int data, int dataLen,
      boolean outermost) {
    DecodedPacket out = c.out;
    switch (type) {
      case GeneveView.AWS_ENDPOINT_ID:
      case GeneveView.AWS_ATTACHMENT_ID:
        if (dataLen != 8) {
          c.anomaly(Anomaly.GENEVE_AWS_OPTION_INVALID);
        } else if (outermost) {
          if (type == GeneveView.AWS_ENDPOINT_ID) {
            out.geneveEndpointId = Bytes.i64(b, data);
            out.geneveAwsOptions |= DecodedPacket.GENEVE_ENDPOINT_ID;
          } else {
            out.geneveAttachmentId = Bytes.i64(b, data);
            out.geneveAwsOptions |= DecodedPacket.GENEVE_ATTACHMENT_ID;
          }
        }
        break;
      case GeneveView.AWS_FLOW_COOKIE:
        if (dataLen != 4) {
          c.anomaly(Anomaly.GENEVE_AWS_OPTION_INVALID);
        } else if (outermost) {
          out.geneveFlowCookie = Bytes.u32(b, data);
          out.geneveAwsOptions |= DecodedPacket.GENEVE_FLOW_COOKIE;
        }
        break;
      default:
        throw new AssertionError(type);
    }
  }
}

package io.mirrorsensor.decode;

/** Stateless TCP decoding: header fields, options (MSS, window scale, SACK, timestamps). */
final class TcpDecoder {
  private TcpDecoder() {}

  static int decode(DecodeContext c) {
    byte[] b = c.buf;
    int p = c.pos;
    DecodedPacket out = c.out;
    if (p + TcpView.MIN_HEADER_LENGTH > c.capEnd) {
      return c.cut(Anomaly.TCP_TRUNCATED, p + TcpView.MIN_HEADER_LENGTH);
    }
    c.counters.increment(DecodeCounter.TCP);
    out.l4Offset = p;
    out.srcPort = TcpView.srcPort(b, p);
    out.dstPort = TcpView.dstPort(b, p);
    out.seq = TcpView.seq(b, p);
    out.ack = TcpView.ack(b, p);
    out.tcpFlags = TcpView.flags(b, p);
    out.window = TcpView.window(b, p);
    int hl = TcpView.headerLength(b, p);
    out.l4HeaderLength = hl;
    if (hl < TcpView.MIN_HEADER_LENGTH) {
      return c.fatal(Anomaly.TCP_HLEN_TOO_SMALL);
    }
    int payload = p + hl;
    if (payload > c.wireEnd) {
      return c.fatal(Anomaly.TCP_HLEN_EXCEEDS_PACKET);
    }
    out.payloadOffset = payload;
    out.payloadWireLength = c.wireEnd - payload;
    if (payload > c.capEnd) {
      // Options cut by the capture: no payload byte is in buf, so point at the end of what is
      // (payloadOffset must stay inside buf: consumers copy from it).
      out.payloadOffset = c.capEnd;
      out.payloadLength = 0;
      return c.cut(Anomaly.TCP_HLEN_EXCEEDS_PACKET, payload);
    }
    out.payloadLength = c.capEnd - payload;
    if (hl > TcpView.MIN_HEADER_LENGTH) {
      options(c, b, p + TcpView.MIN_HEADER_LENGTH, payload);
    }
    if (c.mayValidate()) {
      long sum = InternetChecksum.pseudoHeader(b, out.l3Offset, out.ipVersion, 6, c.wireEnd - p);
      if (InternetChecksum.fold(InternetChecksum.add(sum, b, p, c.wireEnd)) != 0xFFFF) {
        c.counters.increment(DecodeCounter.CHECKSUM_INVALID_TCP);
        c.anomaly(Anomaly.TCP_CHECKSUM_INVALID);
      }
    }
    return DecodeContext.DONE_OK;
  }

  /** Walks the options in {@code [from, to)}: at most 40 bytes, each step advances. */
  private static void options(DecodeContext c, byte[] b, int from, int to) {
    DecodedPacket out = c.out;
    int i = from;
    while (i < to) {
      int kind = Bytes.u8(b, i);
      if (kind == TcpView.OPT_EOL) {
        return;
      }
      if (kind == TcpView.OPT_NOP) {
        i++;
        continue;
      }
      if (i + 1 >= to) {
        c.anomaly(Anomaly.TCP_OPT_INVALID_LEN);
        return;
      }
      int len = Bytes.u8(b, i + 1);
      if (len < 2 || i + len > to) {
        c.anomaly(Anomaly.TCP_OPT_INVALID_LEN);
        return;
      }
      switch (kind) {
        case TcpView.OPT_MSS:
          if (len == 4) {
            out.optMss = Bytes.u16(b, i + 2);
          } else {
            c.anomaly(Anomaly.TCP_OPT_INVALID_LEN);
          }
          break;
        case TcpView.OPT_WSCALE:
          if (len == 3) {
            int shift = Bytes.u8(b, i + 2);
            if (shift > TcpView.MAX_WSCALE) {
              c.anomaly(Anomaly.TCP_OPT_WSCALE_INVALID);
              shift = TcpView.MAX_WSCALE; // RFC 7323 section 2.3
            }
            out.optWscale = shift;
          } else {
            c.anomaly(Anomaly.TCP_OPT_INVALID_LEN);
          }
          break;
        case TcpView.OPT_SACK_PERMITTED:
          if (len == 2) {
            out.optSackPermitted = true;
          } else {
            c.anomaly(Anomaly.TCP_OPT_INVALID_LEN);
          }
          break;
        case TcpView.OPT_SACK:
          if (len >= 10 && (len - 2) % 8 == 0) {
            int n = Math.min((len - 2) / 8, out.sackLeft.length);
            for (int k = 0; k < n; k++) {
              out.sackLeft[k] = Bytes.u32(b, i + 2 + 8 * k);
              out.sackRight[k] = Bytes.u32(b, i + 6 + 8 * k);
            }
            out.sackBlocks = n;
          } else {
            c.anomaly(Anomaly.TCP_OPT_INVALID_LEN);
          }
          break;
        case TcpView.OPT_TIMESTAMP:
          if (len == 10) {
            out.optTimestamp = true;
            out.tsVal = Bytes.u32(b, i + 2);
            out.tsEcr = Bytes.u32(b, i + 6);
          } else {
            c.anomaly(Anomaly.TCP_OPT_INVALID_LEN);
          }
          break;
        default:
          break;
      }
      i += len;
    }
  }
}

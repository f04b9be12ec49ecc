package io.mirrorsensor.sensor.gen;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Builds real Ethernet frames with correct IPv4 header, TCP, UDP, ICMP and ICMPv6 checksums.
 *
 * <pre>{@code
 * byte[] syn = Frames.frame()
 *     .ipv4(Frames.ip("10.0.1.10"), Frames.ip("10.0.2.20"))
 *     .tcp(49152, 80).flags(Frames.SYN).seq(1000).window(64240)
 *     .mss(1460).sackPermitted().timestamps(1, 0).windowScale(7)
 *     .build();
 * }</pre>
 *
 * <p>Layouts: Ethernet II (IEEE 802.3) with optional 802.1Q tag (IEEE 802.1Q, TPID 0x8100);
 * IPv4 (RFC 791, 20-byte header, no options); IPv6 (RFC 8200, no extension headers); TCP (RFC
 * 9293) with options MSS (RFC 9293 3.2), window scale and timestamps (RFC 7323), SACK-permitted
 * (RFC 2018) laid out as Linux does; UDP (RFC 768); ICMP echo (RFC 792); ICMPv6 echo (RFC 4443).
 * Checksums: RFC 1071 over the RFC 793 / RFC 8200 8.1 pseudo-headers.
 */
public final class Frames {
  public static final int ETHERTYPE_IPV4 = 0x0800;
  public static final int ETHERTYPE_IPV6 = 0x86DD;
  public static final int ETHERTYPE_VLAN = 0x8100;
  public static final int PROTO_ICMP = 1;
  public static final int PROTO_TCP = 6;
  public static final int PROTO_UDP = 17;
  public static final int PROTO_ICMPV6 = 58;

  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;
  public static final int URG = 0x20;

  /** IANA VXLAN port (RFC 7348 section 5), the one AWS Traffic Mirroring sends to. */
  public static final int VXLAN_PORT = 4789;

  static final int ETHERNET_HEADER = 14;
  static final int VLAN_TAG = 4;
  static final int IPV4_HEADER = 20;
  static final int IPV6_HEADER = 40;
  static final int UDP_HEADER = 8;
  static final int TCP_HEADER = 20;
  static final int ICMP_ECHO_HEADER = 8;
  static final int VXLAN_HEADER = 8;
  static final int VXLAN_FLAG_I = 0x08; // RFC 7348 section 5: "I" flag, VNI valid

  /** Locally administered MACs used when none are given. */
  static final byte[] DEFAULT_SRC_MAC = mac("02:00:00:00:00:01");

  static final byte[] DEFAULT_DST_MAC = mac("02:00:00:00:00:02");

  private static final byte[] EMPTY = new byte[0];

  private Frames() {}

  /** A new, empty frame builder (Ethernet, default MACs). */
  public static Builder frame() {
    return new Builder();
  }

  /** Parses an IPv4 or IPv6 literal (no name lookup) into 4 or 16 bytes. */
  public static byte[] ip(String literal) {
    if (literal.indexOf(':') < 0) {
      String[] parts = literal.split("\\.", -1);
      if (parts.length != 4) {
        throw new IllegalArgumentException("not an IPv4 literal: " + literal);
      }
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        if (v < 0 || v > 255) {
          throw new IllegalArgumentException("not an IPv4 literal: " + literal);
        }
        b[i] = (byte) v;
      }
      return b;
    }
    try {
      return InetAddress.getByName(literal).getAddress(); // literal with ':': never resolved
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 literal: " + literal, e);
    }
  }

  /** Parses {@code "02:00:00:00:00:01"}. */
  public static byte[] mac(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length != 6) {
      throw new IllegalArgumentException("not a MAC: " + text);
    }
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return b;
  }

  /**
   * Wraps an Ethernet frame as AWS VPC Traffic Mirroring does: outer Ethernet, IPv4 with TTL 255,
   * ID 0 and no DF flag, UDP from {@code srcPort} to 4789 with checksum 0, VXLAN header with flags
   * 0x08 and the session's VNI (RFC 7348 section 5). Outer field values as observed in a real AWS
   * mirror capture (suricata-verify {@code vxlan-decoder-03}).
   */
  public static byte[] vxlan(byte[] outerSrc, byte[] outerDst, int srcPort, int vni, byte[] inner) {
    byte[] out = new byte[ETHERNET_HEADER + IPV4_HEADER + UDP_HEADER + VXLAN_HEADER + inner.length];
    int n = vxlanInto(outerSrc, outerDst, srcPort, vni, inner, 0, inner.length, out, 0);
    assert n == out.length;
    return out;
  }

  /** {@link #vxlan} with the source port AWS-style derived from the inner flow. */
  public static byte[] vxlan(byte[] outerSrc, byte[] outerDst, int vni, byte[] inner) {
    return vxlan(outerSrc, outerDst, vxlanSourcePort(inner, 0, inner.length), vni, inner);
  }

  /** Bytes a VXLAN wrap adds in front of the inner frame. */
  public static int vxlanOverhead() {
    return ETHERNET_HEADER + IPV4_HEADER + UDP_HEADER + VXLAN_HEADER;
  }

  /**
   * Writes the VXLAN-wrapped {@code inner[innerOff, innerOff+innerLen)} into {@code out} at
   * {@code off}; returns the frame length. The caller owns both buffers.
   */
  public static int vxlanInto(
      byte[] outerSrc,
      byte[] outerDst,
      int srcPort,
      int vni,
      byte[] inner,
      int innerOff,
      int innerLen,
      byte[] out,
      int off) {
    if (outerSrc.length != 4 || outerDst.length != 4) {
      throw new IllegalArgumentException("AWS mirroring sends over IPv4");
    }
    int p = off;
    System.arraycopy(DEFAULT_DST_MAC, 0, out, p, 6); // mirror target ENI
    System.arraycopy(DEFAULT_SRC_MAC, 0, out, p + 6, 6);
    put16(out, p + 12, ETHERTYPE_IPV4);
    p += ETHERNET_HEADER;
    int udpLen = UDP_HEADER + VXLAN_HEADER + innerLen;
    writeIpv4Header(out, p, IPV4_HEADER + udpLen, 0, false, 255, PROTO_UDP, outerSrc, outerDst);
    p += IPV4_HEADER;
    put16(out, p, srcPort);
    put16(out, p + 2, VXLAN_PORT);
    put16(out, p + 4, udpLen);
    put16(out, p + 6, 0); // AWS sends no outer UDP checksum
    p += UDP_HEADER;
    out[p] = VXLAN_FLAG_I;
    out[p + 1] = 0;
    out[p + 2] = 0;
    out[p + 3] = 0;
    out[p + 4] = (byte) (vni >>> 16);
    out[p + 5] = (byte) (vni >>> 8);
    out[p + 6] = (byte) vni;
    out[p + 7] = 0;
    p += VXLAN_HEADER;
    System.arraycopy(inner, innerOff, out, p, innerLen);
    return p + innerLen - off;
  }

  /**
   * Outer UDP source port for an inner frame: a hash of the inner flow. The AWS capture above
   * uses one port per flow for both directions, in 65408..65535, so the hash is symmetric (the
   * two addresses and the two ports are combined order-independently) and lands in that range.
   */
  public static int vxlanSourcePort(byte[] f, int off, int len) {
    int p = off + 12;
    int type = get16(f, p);
    if (type == ETHERTYPE_VLAN) {
      p += VLAN_TAG;
      type = get16(f, p);
    }
    p += 2;
    long h = 0x9E37_79B9_7F4A_7C15L;
    int proto;
    int l4;
    int addrLen;
    if (type == ETHERTYPE_IPV4 && len >= p - off + IPV4_HEADER) {
      proto = f[p + 9] & 0xFF;
      l4 = p + (f[p] & 0x0F) * 4;
      addrLen = 4;
      h += symmetric(f, p + 12, p + 16, 4);
    } else if (type == ETHERTYPE_IPV6 && len >= p - off + IPV6_HEADER) {
      proto = f[p + 6] & 0xFF;
      l4 = p + IPV6_HEADER;
      addrLen = 16;
      h += symmetric(f, p + 8, p + 24, 16);
    } else {
      return 0xFF80;
    }
    h = h * 31 + proto + addrLen;
    if ((proto == PROTO_TCP || proto == PROTO_UDP) && l4 + 4 <= off + len) {
      int a = get16(f, l4);
      int b = get16(f, l4 + 2);
      h = h * 31 + (long) Math.min(a, b) * 65_537 + Math.max(a, b);
    }
    h ^= h >>> 33;
    h *= 0xFF51_AFD7_ED55_8CCDL;
    h ^= h >>> 33;
    return 0xFF80 | (int) (h & 0x7F);
  }

  private static long symmetric(byte[] f, int a, int b, int n) {
    long ha = 0;
    long hb = 0;
    for (int i = 0; i < n; i++) {
      ha = ha * 257 + (f[a + i] & 0xFF);
      hb = hb * 257 + (f[b + i] & 0xFF);
    }
    return Math.min(ha, hb) * 1_000_003L + Math.max(ha, hb);
  }

  static void writeIpv4Header(
      byte[] out,
      int p,
      int totalLength,
      int id,
      boolean dontFragment,
      int ttl,
      int proto,
      byte[] src,
      byte[] dst) {
    out[p] = 0x45;
    out[p + 1] = 0;
    put16(out, p + 2, totalLength);
    put16(out, p + 4, id);
    put16(out, p + 6, dontFragment ? 0x4000 : 0);
    out[p + 8] = (byte) ttl;
    out[p + 9] = (byte) proto;
    put16(out, p + 10, 0);
    System.arraycopy(src, 0, out, p + 12, 4);
    System.arraycopy(dst, 0, out, p + 16, 4);
    put16(out, p + 10, finish(sum(out, p, IPV4_HEADER, 0)));
  }

  /** RFC 1071 one's-complement sum of {@code len} bytes added to {@code acc} (not folded). */
  public static long sum(byte[] b, int off, int len, long acc) {
    int i = off;
    int end = off + len - 1;
    for (; i < end; i += 2) {
      acc += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
    if (i == end) {
      acc += (b[i] & 0xFF) << 8;
    }
    return acc;
  }

  /** Folds a sum to 16 bits and complements it: the value to store in a checksum field. */
  public static int finish(long acc) {
    while ((acc >>> 16) != 0) {
      acc = (acc & 0xFFFF) + (acc >>> 16);
    }
    return (int) (~acc & 0xFFFF);
  }

  static void put16(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 8);
    b[p + 1] = (byte) v;
  }

  static void put32(byte[] b, int p, long v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }

  public static int get16(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  /**
   * Returns a copy of an Ethernet/IP frame with the IPv4 TTL or IPv6 hop limit set to {@code
   * ttl} (IPv4 header checksum recomputed): the same packet seen one router further on.
   */
  public static byte[] withTtl(byte[] frame, int ttl) {
    byte[] f = frame.clone();
    int p = 12;
    int type = get16(f, p);
    if (type == ETHERTYPE_VLAN) {
      p += VLAN_TAG;
      type = get16(f, p);
    }
    p += 2;
    if (type == ETHERTYPE_IPV4) {
      f[p + 8] = (byte) ttl;
      put16(f, p + 10, 0);
      put16(f, p + 10, finish(sum(f, p, (f[p] & 0x0F) * 4, 0)));
    } else if (type == ETHERTYPE_IPV6) {
      f[p + 7] = (byte) ttl;
    }
    return f;
  }

  /**
   * Mutable frame builder; set the layers outside in, then {@link #build()} or {@link
   * #buildInto}. A builder can be reused after {@link #reset()}.
   */
  public static final class Builder {
    private byte[] srcMac = DEFAULT_SRC_MAC;
    private byte[] dstMac = DEFAULT_DST_MAC;
    private int vlan = -1;
    private byte[] srcIp;
    private byte[] dstIp;
    private int ttl = 64;
    private int ipId;
    private boolean dontFragment = true;
    private int proto = -1;
    private int srcPort;
    private int dstPort;
    private int tcpFlags;
    private long seq;
    private long ack;
    private int window = 65_535;
    private int mss = -1;
    private int windowScale = -1;
    private boolean sackPermitted;
    private boolean timestamps;
    private long tsVal;
    private long tsEcr;
    private boolean udpChecksum = true;
    private int icmpType;
    private int icmpId;
    private int icmpSeq;
    private byte[] payload = EMPTY;
    private int payloadOff;
    private int payloadLen;

    Builder() {}

    /** Clears every layer back to the defaults. */
    public Builder reset() {
      srcMac = DEFAULT_SRC_MAC;
      dstMac = DEFAULT_DST_MAC;
      vlan = -1;
      srcIp = null;
      dstIp = null;
      ttl = 64;
      ipId = 0;
      dontFragment = true;
      proto = -1;
      tcpFlags = 0;
      seq = 0;
      ack = 0;
      window = 65_535;
      mss = -1;
      windowScale = -1;
      sackPermitted = false;
      timestamps = false;
      udpChecksum = true;
      payload = EMPTY;
      payloadOff = 0;
      payloadLen = 0;
      return this;
    }

    public Builder ethernet(byte[] src, byte[] dst) {
      this.srcMac = src;
      this.dstMac = dst;
      return this;
    }

    /** Adds an 802.1Q tag with VLAN id {@code vid} (priority 0). */
    public Builder vlan(int vid) {
      this.vlan = vid & 0x0FFF;
      return this;
    }

    public Builder ipv4(byte[] src, byte[] dst) {
      if (src.length != 4 || dst.length != 4) {
        throw new IllegalArgumentException("IPv4 addresses are 4 bytes");
      }
      this.srcIp = src;
      this.dstIp = dst;
      return this;
    }

    public Builder ipv6(byte[] src, byte[] dst) {
      if (src.length != 16 || dst.length != 16) {
        throw new IllegalArgumentException("IPv6 addresses are 16 bytes");
      }
      this.srcIp = src;
      this.dstIp = dst;
      return this;
    }

    /** IPv4 or IPv6 by address length. */
    public Builder ip(byte[] src, byte[] dst) {
      return src.length == 4 ? ipv4(src, dst) : ipv6(src, dst);
    }

    /** IPv4 TTL or IPv6 hop limit (default 64). */
    public Builder ttl(int ttl) {
      this.ttl = ttl;
      return this;
    }

    public Builder ipId(int id) {
      this.ipId = id;
      return this;
    }

    public Builder dontFragment(boolean df) {
      this.dontFragment = df;
      return this;
    }

    public Builder tcp(int srcPort, int dstPort) {
      this.proto = PROTO_TCP;
      this.srcPort = srcPort;
      this.dstPort = dstPort;
      return this;
    }

    public Builder flags(int flags) {
      this.tcpFlags = flags;
      return this;
    }

    public Builder seq(long seq) {
      this.seq = seq;
      return this;
    }

    public Builder ack(long ack) {
      this.ack = ack;
      return this;
    }

    public Builder window(int window) {
      this.window = window;
      return this;
    }

    public Builder mss(int mss) {
      this.mss = mss;
      return this;
    }

    public Builder windowScale(int shift) {
      this.windowScale = shift;
      return this;
    }

    public Builder sackPermitted() {
      this.sackPermitted = true;
      return this;
    }

    public Builder timestamps(long tsVal, long tsEcr) {
      this.timestamps = true;
      this.tsVal = tsVal;
      this.tsEcr = tsEcr;
      return this;
    }

    public Builder udp(int srcPort, int dstPort) {
      this.proto = PROTO_UDP;
      this.srcPort = srcPort;
      this.dstPort = dstPort;
      return this;
    }

    /** Leaves the UDP checksum 0 ("not computed", allowed over IPv4 only). */
    public Builder noUdpChecksum() {
      this.udpChecksum = false;
      return this;
    }

    /** ICMP (over IPv4) or ICMPv6 (over IPv6) echo request. */
    public Builder icmpEchoRequest(int id, int seq) {
      return icmp(true, id, seq);
    }

    /** ICMP (over IPv4) or ICMPv6 (over IPv6) echo reply. */
    public Builder icmpEchoReply(int id, int seq) {
      return icmp(false, id, seq);
    }

    private Builder icmp(boolean request, int id, int seq) {
      this.proto = -2; // resolved against the IP version at build time
      this.icmpType = request ? 1 : 0;
      this.icmpId = id;
      this.icmpSeq = seq;
      return this;
    }

    /** The transport payload; the builder keeps a reference until built. */
    public Builder payload(byte[] data) {
      return payload(data, 0, data.length);
    }

    public Builder payload(byte[] data, int off, int len) {
      this.payload = data;
      this.payloadOff = off;
      this.payloadLen = len;
      return this;
    }

    private int tcpOptionsLength() {
      int n = 0;
      if (mss >= 0) {
        n += 4;
      }
      if (timestamps) {
        n += 12; // NOP NOP TS, or SACK-permitted + TS
      } else if (sackPermitted) {
        n += 4;
      }
      if (windowScale >= 0) {
        n += 4;
      }
      return n;
    }

    private boolean v6() {
      if (srcIp == null) {
        throw new IllegalStateException("no IP layer");
      }
      return srcIp.length == 16;
    }

    private int l4HeaderLength() {
      switch (proto) {
        case PROTO_TCP:
          return TCP_HEADER + tcpOptionsLength();
        case PROTO_UDP:
          return UDP_HEADER;
        case -2:
          return ICMP_ECHO_HEADER;
        default:
          throw new IllegalStateException("no transport layer");
      }
    }

    /** Length of the frame {@link #build()} would return. */
    public int length() {
      return ETHERNET_HEADER
          + (vlan >= 0 ? VLAN_TAG : 0)
          + (v6() ? IPV6_HEADER : IPV4_HEADER)
          + l4HeaderLength()
          + payloadLen;
    }

    public byte[] build() {
      byte[] out = new byte[length()];
      buildInto(out, 0);
      return out;
    }

    /** Writes the frame into {@code out} at {@code off} and returns its length. */
    public int buildInto(byte[] out, int off) {
      boolean v6 = v6();
      int l4Len = l4HeaderLength() + payloadLen;
      int p = off;
      System.arraycopy(dstMac, 0, out, p, 6);
      System.arraycopy(srcMac, 0, out, p + 6, 6);
      p += 12;
      if (vlan >= 0) {
        put16(out, p, ETHERTYPE_VLAN);
        put16(out, p + 2, vlan);
        p += VLAN_TAG;
      }
      put16(out, p, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
      p += 2;
      int proto = this.proto == -2 ? (v6 ? PROTO_ICMPV6 : PROTO_ICMP) : this.proto;
      long pseudo;
      if (v6) {
        put32(out, p, 0x6000_0000L);
        put16(out, p + 4, l4Len);
        out[p + 6] = (byte) proto;
        out[p + 7] = (byte) ttl;
        System.arraycopy(srcIp, 0, out, p + 8, 16);
        System.arraycopy(dstIp, 0, out, p + 24, 16);
        pseudo = sum(out, p + 8, 32, l4Len + proto); // RFC 8200 8.1
        p += IPV6_HEADER;
      } else {
        writeIpv4Header(
            out, p, IPV4_HEADER + l4Len, ipId, dontFragment, ttl, proto, srcIp, dstIp);
        pseudo = sum(out, p + 12, 8, l4Len + proto); // RFC 793 3.1
        p += IPV4_HEADER;
      }
      int l4 = p;
      int csumAt;
      switch (proto) {
        case PROTO_TCP:
          {
            int optLen = tcpOptionsLength();
            put16(out, p, srcPort);
            put16(out, p + 2, dstPort);
            put32(out, p + 4, seq);
            put32(out, p + 8, ack);
            put16(out, p + 12, ((TCP_HEADER + optLen) / 4) << 12 | (tcpFlags & 0x1FF));
            put16(out, p + 14, window);
            put16(out, p + 16, 0);
            put16(out, p + 18, 0);
            csumAt = p + 16;
            p += TCP_HEADER;
            if (mss >= 0) {
              out[p] = 2;
              out[p + 1] = 4;
              put16(out, p + 2, mss);
              p += 4;
            }
            if (timestamps) {
              if (sackPermitted) {
                out[p] = 4;
                out[p + 1] = 2;
              } else {
                out[p] = 1;
                out[p + 1] = 1;
              }
              out[p + 2] = 8;
              out[p + 3] = 10;
              put32(out, p + 4, tsVal);
              put32(out, p + 8, tsEcr);
              p += 12;
            } else if (sackPermitted) {
              out[p] = 1;
              out[p + 1] = 1;
              out[p + 2] = 4;
              out[p + 3] = 2;
              p += 4;
            }
            if (windowScale >= 0) {
              out[p] = 1;
              out[p + 1] = 3;
              out[p + 2] = 3;
              out[p + 3] = (byte) windowScale;
              p += 4;
            }
            break;
          }
        case PROTO_UDP:
          put16(out, p, srcPort);
          put16(out, p + 2, dstPort);
          put16(out, p + 4, l4Len);
          put16(out, p + 6, 0);
          csumAt = udpChecksum || v6 ? p + 6 : -1;
          p += UDP_HEADER;
          break;
        case PROTO_ICMP:
        case PROTO_ICMPV6:
          boolean request = icmpType == 1;
          out[p] = (byte) (proto == PROTO_ICMP ? (request ? 8 : 0) : (request ? 128 : 129));
          out[p + 1] = 0;
          put16(out, p + 2, 0);
          put16(out, p + 4, icmpId);
          put16(out, p + 6, icmpSeq);
          csumAt = p + 2;
          if (proto == PROTO_ICMP) {
            pseudo = 0; // ICMPv4 has no pseudo-header (RFC 792)
          }
          p += ICMP_ECHO_HEADER;
          break;
        default:
          throw new IllegalStateException("no transport layer");
      }
      System.arraycopy(payload, payloadOff, out, p, payloadLen);
      p += payloadLen;
      if (csumAt >= 0) {
        int c = finish(sum(out, l4, l4Len, pseudo));
        if (c == 0 && proto == PROTO_UDP) {
          c = 0xFFFF; // RFC 768: a computed zero is sent as all ones
        }
        put16(out, csumAt, c);
      }
      return p - off;
    }
  }
}

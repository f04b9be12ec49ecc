package io.mirrorsensor.decode;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only frame builder. Every fixture in these tests is built here from the RFC layouts (or
 * given as hex with its source noted at the use site); IP and transport checksums are computed,
 * so a fixture is valid unless a test breaks it on purpose.
 */
final class Frames {
  static final byte[] MAC_A = hex("02 00 00 00 00 0a");
  static final byte[] MAC_B = hex("02 00 00 00 00 0b");

  private Frames() {}

  static byte[] hex(String s) {
    String h = s.replaceAll("[^0-9a-fA-F]", "");
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  static byte[] ip(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress(); // literals only: no DNS lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed + i * 7);
    }
    return b;
  }

  static void put16(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 8);
    b[i + 1] = (byte) v;
  }

  static void put32(byte[] b, int i, long v) {
    put16(b, i, (int) (v >>> 16));
    put16(b, i + 2, (int) v);
  }

  // ---- link ----

  static byte[] eth(int etherType, byte[] payload) {
    byte[] h = new byte[14];
    System.arraycopy(MAC_B, 0, h, 0, 6);
    System.arraycopy(MAC_A, 0, h, 6, 6);
    put16(h, 12, etherType);
    return concat(h, payload);
  }

  /** Ethernet with tags: pairs of (TPID, VLAN id), outermost first. */
  static byte[] ethTagged(int etherType, byte[] payload, int... tpidVid) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(MAC_B);
    o.writeBytes(MAC_A);
    for (int i = 0; i < tpidVid.length; i += 2) {
      byte[] t = new byte[4];
      put16(t, 0, tpidVid[i]);
      put16(t, 2, tpidVid[i + 1]);
      o.writeBytes(t);
    }
    byte[] t = new byte[2];
    put16(t, 0, etherType);
    o.writeBytes(t);
    o.writeBytes(payload);
    return o.toByteArray();
  }

  // ---- network ----

  static byte[] ipv4(String src, String dst, int proto, byte[] l4) {
    return ipv4(ip(src), ip(dst), proto, 64, 0x1234, 0x4000, new byte[0], l4);
  }

  /** An IPv4 packet; fills the header checksum and, for TCP/UDP/ICMP, the L4 checksum. */
  static byte[] ipv4(byte[] src, byte[] dst, int proto, int ttl, int id, int flagsFrag,
      byte[] options, byte[] l4) {
    int hl = 20 + options.length;
    byte[] h = new byte[hl];
    h[0] = (byte) (0x40 | hl / 4);
    put16(h, 2, hl + l4.length);
    put16(h, 4, id);
    put16(h, 6, flagsFrag);
    h[8] = (byte) ttl;
    h[9] = (byte) proto;
    System.arraycopy(src, 0, h, 12, 4);
    System.arraycopy(dst, 0, h, 16, 4);
    System.arraycopy(options, 0, h, 20, options.length);
    put16(h, 10, checksum(h, 0, hl, 0));
    byte[] l4c = l4.clone();
    fixL4Checksum(proto, l4c, pseudo(src, dst, proto, l4.length), false);
    return concat(h, l4c);
  }

  static byte[] ipv6(String src, String dst, int nh, byte[] l4) {
    return ipv6(ip(src), ip(dst), nh, new byte[0], nh, l4);
  }

  /**
   * An IPv6 packet whose payload is {@code ext} (extension headers, already chained) then
   * {@code l4} of protocol {@code finalProto}; fills the L4 checksum.
   */
  static byte[] ipv6(byte[] src, byte[] dst, int firstNh, byte[] ext, int finalProto, byte[] l4) {
    byte[] h = new byte[40];
    h[0] = 0x60;
    h[1] = 0x01; // flow label 0x12345 / traffic class 0 for field tests
    h[2] = 0x23;
    h[3] = 0x45;
    put16(h, 4, ext.length + l4.length);
    h[6] = (byte) firstNh;
    h[7] = 64;
    System.arraycopy(src, 0, h, 8, 16);
    System.arraycopy(dst, 0, h, 24, 16);
    byte[] l4c = l4.clone();
    fixL4Checksum(finalProto, l4c, pseudo(src, dst, finalProto, l4.length), true);
    return concat(h, ext, l4c);
  }

  /** A generic IPv6 extension header of {@code len8} 8-byte units (first unit included). */
  static byte[] ext(int nextHeader, int len8) {
    byte[] e = new byte[len8 * 8];
    e[0] = (byte) nextHeader;
    e[1] = (byte) (len8 - 1);
    if (len8 == 1) { // PadN filling the 6 option bytes keeps options well-formed
      e[2] = 1;
      e[3] = 4;
    }
    return e;
  }

  // ---- transport ----

  static byte[] tcp(int sp, int dp, long seq, long ack, int flags, int window, byte[] options,
      byte[] payload) {
    int hl = 20 + options.length;
    if (hl % 4 != 0) {
      throw new IllegalArgumentException("options must pad to 4 bytes");
    }
    byte[] h = new byte[hl];
    put16(h, 0, sp);
    put16(h, 2, dp);
    put32(h, 4, seq);
    put32(h, 8, ack);
    h[12] = (byte) ((hl / 4) << 4);
    h[13] = (byte) flags;
    put16(h, 14, window);
    System.arraycopy(options, 0, h, 20, options.length);
    return concat(h, payload);
  }

  static byte[] tcp(int sp, int dp, int flags, byte[] payload) {
    return tcp(sp, dp, 1000, 2000, flags, 65535, new byte[0], payload);
  }

  static byte[] udp(int sp, int dp, byte[] payload) {
    byte[] h = new byte[8];
    put16(h, 0, sp);
    put16(h, 2, dp);
    put16(h, 4, 8 + payload.length);
    return concat(h, payload);
  }

  static byte[] icmp(int type, int code, int id, int seq, byte[] payload) {
    byte[] h = new byte[8];
    h[0] = (byte) type;
    h[1] = (byte) code;
    put16(h, 4, id);
    put16(h, 6, seq);
    return concat(h, payload);
  }

  static byte[] vxlan(int vni, byte[] innerFrame) {
    byte[] h = new byte[8];
    h[0] = 0x08;
    h[4] = (byte) (vni >>> 16);
    h[5] = (byte) (vni >>> 8);
    h[6] = (byte) vni;
    return concat(h, innerFrame);
  }

  /** AWS-style mirror copy: Ethernet / IPv4 10.0.1.10 -> 10.0.2.20 / UDP sport -> 4789 / VXLAN. */
  static byte[] awsMirror(int vni, int srcPort, byte[] innerFrame) {
    // outer layout of sv-aws-traffic-mirror-vxlan.pcap: TTL 255, ID 0, UDP checksum 0
    byte[] udp = udp(srcPort, 4789, vxlan(vni, innerFrame));
    return eth(0x0800, ipv4(ip("10.0.1.10"), ip("10.0.2.20"), 17, 255, 0, 0, new byte[0], udp));
  }

  /** A GENEVE header (RFC 8926 section 3.4), version 0, VNI 0, no options: {@code proto}. */
  static byte[] geneve(int proto, byte[] options, byte[] payload) {
    byte[] h = new byte[8];
    h[0] = (byte) (options.length / 4);
    put16(h, 2, proto);
    return concat(h, options, payload);
  }

  /** One GENEVE option: class, type, data (a multiple of 4 bytes). */
  static byte[] geneveOption(int cls, int type, byte[] data) {
    byte[] h = new byte[4];
    put16(h, 0, cls);
    h[2] = (byte) type;
    h[3] = (byte) (data.length / 4);
    return concat(h, data);
  }

  /** AWS GWLB's three TLVs (class 0x0108: endpoint id, attachment id, flow cookie). */
  static byte[] awsGwlbOptions(long endpointId, long attachmentId, long flowCookie) {
    byte[] ep = new byte[8];
    put32(ep, 0, endpointId >>> 32);
    put32(ep, 4, endpointId);
    byte[] at = new byte[8];
    put32(at, 0, attachmentId >>> 32);
    put32(at, 4, attachmentId);
    byte[] fc = new byte[4];
    put32(fc, 0, flowCookie);
    return concat(geneveOption(0x0108, 1, ep), geneveOption(0x0108, 2, at),
        geneveOption(0x0108, 3, fc));
  }

  /**
   * What a mirror target behind a Gateway Load Balancer receives: Ethernet / IPv4 10.0.9.5 (the
   * GWLB) -> 10.0.9.77 (the sensor) / UDP sport -> 6081 / GENEVE with the AWS TLVs / the IPv4
   * VXLAN mirror copy of {@link #awsMirror} (without its Ethernet header).
   */
  static byte[] gwlbMirror(long endpointId, long attachmentId, long cookie, int vni,
      byte[] innerFrame) {
    byte[] mirror = awsMirror(vni, 40000, innerFrame);
    byte[] ip = java.util.Arrays.copyOfRange(mirror, 14, mirror.length);
    byte[] g = geneve(0x0800, awsGwlbOptions(endpointId, attachmentId, cookie), ip);
    return eth(0x0800, ipv4(ip("10.0.9.5"), ip("10.0.9.77"), 17, 64, 0, 0, new byte[0],
        udp(51234, 6081, g)));
  }

  // ---- fragments ----

  /** Splits an IPv4 packet (no options copied rule: all copied) at payload offsets (x8). */
  static List<byte[]> fragmentV4(byte[] packet, int... cuts) {
    int hl = (packet[0] & 0x0F) * 4;
    int payload = packet.length - hl;
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int k = 0; k <= cuts.length; k++) {
      int end = k < cuts.length ? cuts[k] : payload;
      out.add(fragV4(packet, hl, start, end, k < cuts.length));
      start = end;
    }
    return out;
  }

  /** One IPv4 fragment with payload bytes [start, end) of {@code packet}. */
  static byte[] fragV4(byte[] packet, int hl, int start, int end, boolean more) {
    byte[] f = new byte[hl + end - start];
    System.arraycopy(packet, 0, f, 0, hl);
    System.arraycopy(packet, hl + start, f, hl, end - start);
    put16(f, 2, f.length);
    int ff = (packet[6] & 0x40) << 8 | (more ? 0x2000 : 0) | (start / 8);
    put16(f, 6, ff);
    put16(f, 10, 0);
    put16(f, 10, checksum(f, 0, hl, 0));
    return f;
  }

  /**
   * One IPv6 fragment of {@code packet} (a plain 40-byte header packet): fragmentable bytes
   * [start, end) behind a fragment header with {@code id}.
   */
  static byte[] fragV6(byte[] packet, int id, int start, int end, boolean more) {
    byte[] f = new byte[40 + 8 + end - start];
    System.arraycopy(packet, 0, f, 0, 40);
    f[6] = 44;
    put16(f, 4, 8 + end - start);
    f[40] = packet[6];
    put16(f, 42, start | (more ? 1 : 0));
    put32(f, 44, id);
    System.arraycopy(packet, 40 + start, f, 48, end - start);
    return f;
  }

  // ---- checksums ----

  static int checksum(byte[] b, int from, int to, long initial) {
    long sum = initial;
    for (int i = from; i < to; i += 2) {
      int hi = b[i] & 0xFF;
      int lo = i + 1 < to ? b[i + 1] & 0xFF : 0;
      sum += hi << 8 | lo;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  private static long pseudo(byte[] src, byte[] dst, int proto, int len) {
    long sum = 0;
    for (int i = 0; i < src.length; i += 2) {
      sum += (src[i] & 0xFF) << 8 | (src[i + 1] & 0xFF);
      sum += (dst[i] & 0xFF) << 8 | (dst[i + 1] & 0xFF);
    }
    return sum + proto + len;
  }

  private static void fixL4Checksum(int proto, byte[] l4, long pseudo, boolean v6) {
    int at;
    long initial = pseudo;
    if (proto == 6 && l4.length >= 20) {
      at = 16;
    } else if (proto == 17 && l4.length >= 8) {
      at = 6;
    } else if ((proto == 1 && !v6) && l4.length >= 8) {
      at = 2;
      initial = 0;
    } else if (proto == 58 && v6 && l4.length >= 8) {
      at = 2;
    } else {
      return;
    }
    put16(l4, at, 0);
    int c = checksum(l4, 0, l4.length, initial);
    if (proto == 17 && c == 0) {
      c = 0xFFFF; // RFC 768: a computed zero is sent as all ones
    }
    put16(l4, at, c);
  }
}

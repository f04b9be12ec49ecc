package io.mirrorsensor.decode.app.dns;

import java.io.ByteArrayOutputStream;

/** Hand-built DNS wire bytes for fixtures (RFC 1035 section 4.1); nothing here is captured. */
final class DnsBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static DnsBytes header(int id, int flags, int qd, int an, int ns, int ar) {
    return new DnsBytes().u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
  }

  DnsBytes u8(int v) {
    out.write(v);
    return this;
  }

  DnsBytes u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  DnsBytes u32(long v) {
    return u16((int) (v >>> 16)).u16((int) v);
  }

  DnsBytes raw(byte... b) {
    out.write(b, 0, b.length);
    return this;
  }

  /** A name as uncompressed labels. */
  DnsBytes name(String dotted) {
    if (!dotted.equals(".")) {
      for (String l : dotted.split("\\.")) {
        u8(l.length());
        raw(l.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
    }
    return u8(0);
  }

  DnsBytes pointer(int offset) {
    return u16(0xC000 | offset);
  }

  DnsBytes question(String name, int type) {
    return name(name).u16(type).u16(1);
  }

  /** A record whose owner is a pointer to {@code ownerPtr}, with {@code rdata}. */
  DnsBytes rr(int ownerPtr, int type, long ttl, byte[] rdata) {
    return pointer(ownerPtr).u16(type).u16(1).u32(ttl).u16(rdata.length).raw(rdata);
  }

  int size() {
    return out.size();
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  static byte[] rdata(java.util.function.Consumer<DnsBytes> f) {
    DnsBytes b = new DnsBytes();
    f.accept(b);
    return b.bytes();
  }

  /** A TCP stream of the messages, each with its two-byte length prefix. */
  static byte[] tcp(byte[]... messages) {
    DnsBytes b = new DnsBytes();
    for (byte[] m : messages) {
      b.u16(m.length).raw(m);
    }
    return b.bytes();
  }
}

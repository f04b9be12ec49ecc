package io.mirrorsensor.decode.app.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds TLS bytes for tests, field by field after RFC 8446 section 4.1.2 / 4.2 and RFC 5246
 * section 7.4 (no capture involved): hello bodies, extensions, handshake messages and records.
 */
final class TlsBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static TlsBytes of() {
    return new TlsBytes();
  }

  TlsBytes u8(int v) {
    out.write(v);
    return this;
  }

  TlsBytes u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  TlsBytes u24(int v) {
    out.write(v >>> 16);
    return u16(v & 0xffff);
  }

  TlsBytes raw(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  TlsBytes u16s(int... v) {
    for (int x : v) {
      u16(x);
    }
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  /** One extension: type(2) length(2) data. */
  static byte[] ext(int type, byte[] data) {
    return of().u16(type).u16(data.length).raw(data).bytes();
  }

  static byte[] sni(String host) {
    byte[] h = host.getBytes(StandardCharsets.US_ASCII);
    return ext(0x0000, of().u16(h.length + 3).u8(0).u16(h.length).raw(h).bytes());
  }

  static byte[] alpn(String... protos) {
    TlsBytes list = of();
    for (String p : protos) {
      byte[] b = p.getBytes(StandardCharsets.ISO_8859_1);
      list.u8(b.length).raw(b);
    }
    byte[] l = list.bytes();
    return ext(0x0010, of().u16(l.length).raw(l).bytes());
  }

  static byte[] supportedVersions(int... v) {
    return ext(0x002b, of().u8(v.length * 2).u16s(v).bytes());
  }

  static byte[] serverSupportedVersion(int v) {
    return ext(0x002b, of().u16(v).bytes());
  }

  /** A two-byte-length list of 16-bit values (supported_groups, signature_algorithms). */
  static byte[] list16(int type, int... v) {
    return ext(type, of().u16(v.length * 2).u16s(v).bytes());
  }

  static byte[] pointFormats(int... v) {
    TlsBytes b = of().u8(v.length);
    for (int x : v) {
      b.u8(x);
    }
    return ext(0x000b, b.bytes());
  }

  /** key_share of a ClientHello with a 32-byte key per group. */
  static byte[] keyShare(int... groups) {
    TlsBytes entries = of();
    for (int g : groups) {
      entries.u16(g).u16(32).raw(new byte[32]);
    }
    byte[] e = entries.bytes();
    return ext(0x0033, of().u16(e.length).raw(e).bytes());
  }

  /** A ClientHello body: version, a fixed random, a 32-byte session id, ciphers, null comp. */
  static byte[] clientHello(int version, int[] ciphers, byte[]... extensions) {
    TlsBytes b = of().u16(version);
    for (int i = 0; i < 32; i++) {
      b.u8(i);
    }
    b.u8(32).raw(new byte[32]);
    b.u16(ciphers.length * 2).u16s(ciphers);
    b.u8(1).u8(0);
    if (extensions.length > 0) {
      byte[] e = cat(extensions);
      b.u16(e.length).raw(e);
    }
    return b.bytes();
  }

  static byte[] serverHello(int version, byte[] random, int cipher, byte[]... extensions) {
    TlsBytes b = of().u16(version).raw(random).u8(0).u16(cipher).u8(0);
    if (extensions.length > 0) {
      byte[] e = cat(extensions);
      b.u16(e.length).raw(e);
    }
    return b.bytes();
  }

  /** A handshake message: type(1) length(3) body. */
  static byte[] handshake(int type, byte[] body) {
    return of().u8(type).u24(body.length).raw(body).bytes();
  }

  /** A record: type(1) version(2) length(2) fragment. */
  static byte[] record(int type, int version, byte[] fragment) {
    return of().u8(type).u16(version).u16(fragment.length).raw(fragment).bytes();
  }

  /** Certificate message body (RFC 5246 7.4.2) with the given DER certificates. */
  static byte[] certificate(byte[]... ders) {
    TlsBytes list = of();
    for (byte[] d : ders) {
      list.u24(d.length).raw(d);
    }
    byte[] l = list.bytes();
    return of().u24(l.length).raw(l).bytes();
  }

  static byte[] hex(String s) {
    byte[] r = new byte[s.length() / 2];
    for (int i = 0; i < r.length; i++) {
      r[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return r;
  }
}

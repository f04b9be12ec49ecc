package io.mirrorsensor.bench.gen;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * TLS handshake bytes for the traffic generator: a browser-like ClientHello with SNI and ALPN, a
 * ServerHello (TLS 1.2, or TLS 1.3 via supported_versions), a TLS 1.2 Certificate carrying a
 * small self-signed-looking X.509 certificate (random RSA modulus and signature), and records of
 * random bytes standing in for encrypted traffic. Nothing here is cryptographically meaningful;
 * the structure is what a passive parser reads.
 */
final class TlsWire {
  static final int HANDSHAKE = 22;
  static final int CHANGE_CIPHER_SPEC = 20;
  static final int APPLICATION_DATA = 23;
  static final int TLS12 = 0x0303;
  static final int TLS13 = 0x0304;

  private TlsWire() {}

  static byte[] clientHello(String sni, boolean tls13, SplittableRandom r) {
    Buf body = new Buf();
    body.u16(TLS12).random(32, r).u8(32).random(32, r);
    int[] ciphers = {0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8};
    body.u16(ciphers.length * 2);
    for (int c : ciphers) {
      body.u16(c);
    }
    body.u8(1).u8(0);
    Buf ext = new Buf();
    byte[] host = sni.getBytes(StandardCharsets.US_ASCII);
    ext.u16(0).u16(host.length + 5).u16(host.length + 3).u8(0).u16(host.length).bytes(host);
    ext.u16(10).u16(8).u16(6).u16(0x001D).u16(0x0017).u16(0x0018);
    ext.u16(11).u16(2).u8(1).u8(0);
    ext.u16(13).u16(10).u16(8).u16(0x0403).u16(0x0804).u16(0x0401).u16(0x0503);
    ext.u16(16).u16(14).u16(12).u8(2).ascii("h2").u8(8).ascii("http/1.1");
    if (tls13) {
      ext.u16(43).u16(5).u8(4).u16(TLS13).u16(TLS12);
      ext.u16(51).u16(38).u16(36).u16(0x001D).u16(32).random(32, r);
    }
    body.u16(ext.size()).bytes(ext.toByteArray());
    return record(HANDSHAKE, 0x0301, handshake(1, body.toByteArray()));
  }

  /**
   * The server's first flight: ServerHello and, for TLS 1.2, Certificate, ServerKeyExchange and
   * ServerHelloDone; for TLS 1.3, ChangeCipherSpec and an encrypted-looking flight.
   */
  static byte[] serverFlight(String sni, boolean tls13, SplittableRandom r) {
    Buf body = new Buf();
    body.u16(TLS12).random(32, r).u8(32).random(32, r).u16(tls13 ? 0x1301 : 0xC02F).u8(0);
    Buf ext = new Buf();
    if (tls13) {
      ext.u16(43).u16(2).u16(TLS13);
      ext.u16(51).u16(36).u16(0x001D).u16(32).random(32, r);
    } else {
      ext.u16(0xFF01).u16(1).u8(0);
    }
    body.u16(ext.size()).bytes(ext.toByteArray());
    Buf out = new Buf().bytes(record(HANDSHAKE, TLS12, handshake(2, body.toByteArray())));
    if (tls13) {
      out.bytes(record(CHANGE_CIPHER_SPEC, TLS12, new byte[] {1}));
      out.bytes(record(APPLICATION_DATA, TLS12, random(2_000 + r.nextInt(2_000), r)));
    } else {
      byte[] der = certificate(sni, r);
      Buf cert = new Buf().u24(der.length + 3).u24(der.length).bytes(der);
      Buf flight = new Buf().bytes(handshake(11, cert.toByteArray()));
      Buf ske = new Buf().u8(3).u16(0x001D).u8(32).random(32, r).u16(0x0804).u16(256);
      ske.random(256, r);
      flight.bytes(handshake(12, ske.toByteArray())).bytes(handshake(14, new byte[0]));
      out.bytes(record(HANDSHAKE, TLS12, flight.toByteArray()));
    }
    return out.toByteArray();
  }

  /** The client's second flight: key exchange (1.2), ChangeCipherSpec, encrypted Finished. */
  static byte[] clientFinished(boolean tls13, SplittableRandom r) {
    Buf out = new Buf();
    if (!tls13) {
      Buf cke = new Buf().u8(32).random(32, r);
      out.bytes(record(HANDSHAKE, TLS12, handshake(16, cke.toByteArray())));
    }
    out.bytes(record(CHANGE_CIPHER_SPEC, TLS12, new byte[] {1}));
    out.bytes(record(tls13 ? APPLICATION_DATA : HANDSHAKE, TLS12, random(40, r)));
    return out.toByteArray();
  }

  /** TLS 1.2 server ChangeCipherSpec and encrypted Finished (TLS 1.3: a session ticket). */
  static byte[] serverFinished(boolean tls13, SplittableRandom r) {
    if (tls13) {
      return record(APPLICATION_DATA, TLS12, random(200 + r.nextInt(100), r));
    }
    return new Buf().bytes(record(CHANGE_CIPHER_SPEC, TLS12, new byte[] {1}))
        .bytes(record(HANDSHAKE, TLS12, random(40, r))).toByteArray();
  }

  static byte[] record(int type, int version, byte[] fragment) {
    return new Buf().u8(type).u16(version).u16(fragment.length).bytes(fragment).toByteArray();
  }

  static byte[] handshake(int type, byte[] body) {
    return new Buf().u8(type).u24(body.length).bytes(body).toByteArray();
  }

  static byte[] random(int n, SplittableRandom r) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /** A DER X.509 v3 certificate for CN={@code cn}, self-issued, random key and signature. */
  static byte[] certificate(String cn, SplittableRandom r) {
    byte[] sha256Rsa = der(0x06, hex("2a864886f70d01010b"));
    byte[] alg = der(0x30, sha256Rsa, der(0x05));
    byte[] name = der(0x30, der(0x31, der(0x30, der(0x06, hex("550403")),
        der(0x0C, cn.getBytes(StandardCharsets.US_ASCII)))));
    byte[] validity = der(0x30, der(0x17, "240101000000Z".getBytes(StandardCharsets.US_ASCII)),
        der(0x17, "341231235959Z".getBytes(StandardCharsets.US_ASCII)));
    byte[] rsa = der(0x30, der(0x06, hex("2a864886f70d010101")), der(0x05));
    byte[] modulus = random(257, r);
    modulus[0] = 0;
    modulus[1] |= (byte) 0x80;
    modulus[256] |= 1;
    byte[] rsaKey = der(0x30, der(0x02, modulus), der(0x02, new byte[] {1, 0, 1}));
    byte[] key = new byte[rsaKey.length + 1]; // BIT STRING: no unused bits, then the key
    System.arraycopy(rsaKey, 0, key, 1, rsaKey.length);
    byte[] spki = der(0x30, rsa, der(0x03, key));
    byte[] serial = random(16, r);
    serial[0] &= 0x7F;
    byte[] tbs = der(0x30, der(0xA0, der(0x02, new byte[] {2})), der(0x02, serial), alg, name,
        validity, name, spki);
    byte[] sig = random(257, r);
    sig[0] = 0;
    return der(0x30, tbs, alg, der(0x03, sig));
  }

  static byte[] der(int tag, byte[]... parts) {
    Buf content = new Buf();
    for (byte[] p : parts) {
      content.bytes(p);
    }
    int n = content.size();
    Buf out = new Buf().u8(tag);
    if (n < 128) {
      out.u8(n);
    } else if (n < 256) {
      out.u8(0x81).u8(n);
    } else {
      out.u8(0x82).u16(n);
    }
    return out.bytes(content.toByteArray()).toByteArray();
  }

  private static byte[] hex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  /** A growable byte buffer with big-endian writers. */
  static final class Buf extends ByteArrayOutputStream {
    Buf u8(int v) {
      write(v);
      return this;
    }

    Buf u16(int v) {
      return u8(v >>> 8).u8(v);
    }

    Buf u24(int v) {
      return u8(v >>> 16).u16(v & 0xFFFF);
    }

    Buf bytes(byte[] b) {
      write(b, 0, b.length);
      return this;
    }

    Buf ascii(String s) {
      return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    Buf random(int n, SplittableRandom r) {
      return bytes(TlsWire.random(n, r));
    }
  }
}

package io.mirrorsensor.decode.app.tls;

import java.nio.charset.StandardCharsets;

/**
 * The TLS handshake of one connection as rules and logs see it (Suricata keeps one TLS
 * transaction per flow too): the latest ClientHello, the latest ServerHello (a HelloRetryRequest
 * until the real one comes), and the server's first certificate.
 *
 * <p>Rule buffers ({@link TlsBuffer}) are read without copying as {@code bytes(b)[offset(b),
 * offset(b) + length(b))}, with {@code length(b) < 0} when absent. {@code tls.sni} points into
 * the copied ClientHello; the other buffers are made once, on first use, and cached.
 *
 * <p>Written by the parser's thread during its calls; a listener may read it during its calls,
 * and anyone may after {@link TlsListener#complete}.
 */
public final class TlsTransaction {
  private static final TlsBuffer[] BUFFERS = TlsBuffer.values();

  TlsHello client;
  TlsHello server;
  TlsCertificate certificate;
  int certificateCount;
  int clientHellos;
  boolean helloRetry;
  boolean gap;
  long certificateNanos = -1;
  /** The Certificate message's body (copied), with each DER entry's offset and length in it. */
  byte[] chain;
  int[] chainOff = new int[0];
  int[] chainLen = new int[0];
  private byte[][] sanBytes;
  private final byte[][] made = new byte[BUFFERS.length][];

  TlsTransaction() {}

  /** The latest ClientHello, or null. */
  public TlsHello client() {
    return client;
  }

  /** The latest ServerHello (or HelloRetryRequest), or null. */
  public TlsHello server() {
    return server;
  }

  /** The server's first certificate (TLS 1.2 and earlier), or null. */
  public TlsCertificate certificate() {
    return certificate;
  }

  /** Certificates in the server's chain (0 when no Certificate message was seen). */
  public int certificateCount() {
    return certificateCount;
  }

  /**
   * DER certificates of the server's Certificate message that lie wholly in the kept bytes
   * (TLS 1.2 and earlier: TLS 1.3 sends them encrypted), server's own first; read as {@code
   * chainBytes()[chainOffset(i), chainOffset(i) + chainLength(i))}. Suricata's {@code tls.certs}.
   */
  public int chainCount() {
    return chainOff.length;
  }

  /** The array holding the chain's certificates (see {@link #chainCount()}), or null. */
  public byte[] chainBytes() {
    return chain;
  }

  public int chainOffset(int i) {
    return chainOff[i];
  }

  public int chainLength(int i) {
    return chainLen[i];
  }

  /**
   * The first certificate's subjectAltName dNSNames, UTF-8, made once on first use (Suricata's
   * {@code tls.subjectaltname} buffers); empty without a certificate.
   */
  public byte[][] subjectAltNames() {
    if (sanBytes == null) {
      java.util.List<String> names = certificate == null ? java.util.List.of() : certificate.dnsNames();
      byte[][] b = new byte[names.size()][];
      for (int i = 0; i < b.length; i++) {
        b[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
      }
      sanBytes = b;
    }
    return sanBytes;
  }

  /** ClientHellos seen (2 after a HelloRetryRequest). */
  public int clientHellos() {
    return clientHellos;
  }

  /** True when the server sent a HelloRetryRequest. */
  public boolean helloRetry() {
    return helloRetry;
  }

  /** True when a stream gap stopped parsing of a direction before it turned encrypted. */
  public boolean gap() {
    return gap;
  }

  /** Packet time of the first hello seen (the EVE event's timestamp). */
  public long firstNanos() {
    if (client != null && client.nanos >= 0) {
      return client.nanos;
    }
    return server == null ? -1 : server.nanos;
  }

  /**
   * The negotiated version: the ServerHello's (its supported_versions selection for TLS 1.3),
   * or -1 when no ServerHello was seen.
   */
  public int version() {
    return server == null || server.isHelloRetryRequest() ? -1 : server.effectiveVersion();
  }

  /** {@link #version()} as Suricata writes it: {@code TLS 1.2}, or {@code UNDETERMINED}. */
  public String versionText() {
    return versionText(version());
  }

  /** {@code SSLv2}, {@code SSLv3}, {@code TLS 1.0} ... {@code TLS 1.3}, else {@code UNDETERMINED}. */
  public static String versionText(int v) {
    switch (v) {
      case 0x0002:
        return "SSLv2";
      case 0x0300:
        return "SSLv3";
      case 0x0301:
        return "TLS 1.0";
      case 0x0302:
        return "TLS 1.1";
      case 0x0303:
        return "TLS 1.2";
      case 0x0304:
        return "TLS 1.3";
      default:
        return "UNDETERMINED";
    }
  }

  /** The SNI host name, or null. */
  public String sni() {
    return client == null ? null : client.sni();
  }

  // ---- rule buffers ----

  /** The array holding buffer {@code b}, or null when absent. */
  public byte[] bytes(TlsBuffer b) {
    if (b == TlsBuffer.SNI) {
      return client == null || client.sniOff < 0 ? null : client.b;
    }
    if (b == TlsBuffer.CLIENT_RANDOM || b == TlsBuffer.SERVER_RANDOM) {
      TlsHello h = b == TlsBuffer.CLIENT_RANDOM ? client : server;
      return h == null || h.isSslv2() ? null : h.b;
    }
    return made(b);
  }

  /** Offset of buffer {@code b} in {@link #bytes}, or -1 when absent. */
  public int offset(TlsBuffer b) {
    if (b == TlsBuffer.SNI) {
      return client == null ? -1 : client.sniOff;
    }
    if (b == TlsBuffer.CLIENT_RANDOM || b == TlsBuffer.SERVER_RANDOM) {
      return bytes(b) == null ? -1 : TlsHello.RANDOM_OFFSET;
    }
    return made(b) == null ? -1 : 0;
  }

  /** Length of buffer {@code b}, or -1 when absent. */
  public int length(TlsBuffer b) {
    if (b == TlsBuffer.SNI) {
      return client == null || client.sniOff < 0 ? -1 : client.sniLen;
    }
    if (b == TlsBuffer.CLIENT_RANDOM || b == TlsBuffer.SERVER_RANDOM) {
      return bytes(b) == null ? -1 : TlsHello.RANDOM_LENGTH;
    }
    byte[] m = made(b);
    return m == null ? -1 : m.length;
  }

  /** Buffer {@code b} as text (ISO-8859-1 for the raw SNI), or null; allocates, for output. */
  public String text(TlsBuffer b) {
    if (b == TlsBuffer.SNI) {
      return sni();
    }
    return source(b);
  }

  private byte[] made(TlsBuffer b) {
    byte[] m = made[b.ordinal()];
    if (m == null) {
      String s = source(b);
      if (s == null) {
        return null;
      }
      m = s.getBytes(StandardCharsets.UTF_8);
      made[b.ordinal()] = m;
    }
    return m;
  }

  private String source(TlsBuffer b) {
    switch (b) {
      case CERT_SUBJECT:
        return certificate == null ? null : certificate.subject();
      case CERT_ISSUER:
        return certificate == null ? null : certificate.issuer();
      case CERT_SERIAL:
        return certificate == null ? null : certificate.serial();
      case VERSION:
        return version() < 0 ? null : versionText();
      case JA3_HASH:
        return client == null ? null : client.ja3Hash();
      case JA3_STRING:
        return client == null ? null : client.ja3String();
      case JA3S_HASH:
        return server == null ? null : server.ja3Hash();
      case JA3S_STRING:
        return server == null ? null : server.ja3String();
      case JA4_HASH:
        return client == null ? null : client.ja4();
      default:
        return null;
    }
  }

  /** Forgets the cached buffers: a new hello replaced what they were made from. */
  void changed() {
    java.util.Arrays.fill(made, null);
    sanBytes = null;
  }
}

package io.mirrorsensor.decode.app.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A ClientHello or ServerHello, copied and indexed (RFC 8446 section 4.1.2 and 4.1.3; RFC 5246
 * section 7.4.1.2 and 7.4.1.3 for TLS 1.2 and earlier, whose extensions block may be absent).
 *
 * <pre>
 * ClientHello: legacy_version(2) random(32) session_id&lt;0..32&gt;(1-byte length)
 *              cipher_suites&lt;2..2^16-2&gt;(2-byte length) compression_methods&lt;1..2^8-1&gt;(1)
 *              extensions&lt;8..2^16-1&gt;(2, optional)
 * ServerHello: legacy_version(2) random(32) session_id(1-byte length) cipher_suite(2)
 *              compression_method(1) extensions(2-byte length, optional)
 * Extension:   type(2) length(2) data
 * </pre>
 *
 * <p>Indexing makes no strings; {@link #sni()}, {@link #alpns()} and the fingerprints allocate
 * when asked, for rules and output. GREASE values (RFC 8701: {@code 0x?a?a} with equal bytes) are
 * kept in the lists and marked by {@link #isGrease}; the fingerprints leave them out.
 *
 * <p>Written by the parser's thread while it parses; read-only once handed to a listener.
 */
public final class TlsHello {
  static final int EXT_SERVER_NAME = 0x0000;
  static final int EXT_SUPPORTED_GROUPS = 0x000a;
  static final int EXT_EC_POINT_FORMATS = 0x000b;
  static final int EXT_SIGNATURE_ALGORITHMS = 0x000d;
  static final int EXT_ALPN = 0x0010;
  static final int EXT_SUPPORTED_VERSIONS = 0x002b;
  static final int EXT_KEY_SHARE = 0x0033;
  static final int RANDOM_OFFSET = 2;
  static final int RANDOM_LENGTH = 32;
  /** SHA-256("HelloRetryRequest"), the ServerHello random of a HelloRetryRequest (RFC 8446 4.1.3). */
  private static final byte[] HRR_RANDOM = hex(
      "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

  final boolean client;
  byte[] b = new byte[0];
  int len;
  int version;
  int sidOff;
  int sidLen;
  int ciphersOff;
  int ciphersLen;
  int compOff;
  int compLen;
  int extCount;
  /** All extensions seen, indexed or not (for the counts of JA4). */
  int extTotal;
  int[] extType;
  int[] extOff;
  int[] extLen;
  int sniOff;
  int sniLen;
  int alpnOff;
  int alpnLen;
  int versionsOff;
  int versionsLen;
  int groupsOff;
  int groupsLen;
  int pointsOff;
  int pointsLen;
  int sigOff;
  int sigLen;
  int keyShareOff;
  int keyShareLen;
  long nanos = -1;
  /** Came as an SSLv2-compatible ClientHello: no JA3/JA4 (both are defined on TLS hellos). */
  boolean sslv2;
  private String ja3;
  private String ja3Hash;
  private String ja4;

  TlsHello(boolean client, int maxExtensions) {
    this.client = client;
    this.extType = new int[maxExtensions];
    this.extOff = new int[maxExtensions];
    this.extLen = new int[maxExtensions];
  }

  /** True for a ClientHello sent in SSLv2-compatible form (RFC 5246 appendix E.2). */
  public boolean isSslv2() {
    return sslv2;
  }

  /** True for a ClientHello, false for a ServerHello. */
  public boolean isClient() {
    return client;
  }

  /** RFC 8701 GREASE: {@code 0x0a0a}, {@code 0x1a1a}, ... {@code 0xfafa}. */
  public static boolean isGrease(int v) {
    return (v & 0x0f0f) == 0x0a0a && (v >>> 8) == (v & 0xff);
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  /**
   * Copies and indexes {@code src[off, off + n)}, a hello message body (without its 4-byte
   * handshake header). {@code src} stays the caller's. Returns false (after reporting {@link
   * TlsEvent#INVALID_HANDSHAKE} to {@code p}, which may be null) when a field overruns the
   * message; the hello is then unusable.
   */
  boolean parse(byte[] src, int off, int n, TlsParser p, long tsNanos) {
    if (b.length < n) {
      b = new byte[n];
    }
    System.arraycopy(src, off, b, 0, n);
    len = n;
    nanos = tsNanos;
    ja3 = null;
    ja3Hash = null;
    ja4 = null;
    extCount = 0;
    extTotal = 0;
    sniOff = alpnOff = versionsOff = groupsOff = pointsOff = sigOff = keyShareOff = -1;
    sniLen = alpnLen = versionsLen = groupsLen = pointsLen = sigLen = keyShareLen = 0;
    int i = 0;
    if (n < 2 + RANDOM_LENGTH + 1) {
      return bad(p);
    }
    version = u16(b, 0);
    i = RANDOM_OFFSET + RANDOM_LENGTH;
    sidLen = b[i] & 0xff;
    sidOff = i + 1;
    i = sidOff + sidLen;
    if (sidLen > 32 || i > n) {
      return bad(p);
    }
    if (client) {
      if (i + 2 > n) {
        return bad(p);
      }
      ciphersLen = u16(b, i);
      ciphersOff = i + 2;
      i = ciphersOff + ciphersLen;
      if ((ciphersLen & 1) != 0 || i + 1 > n) {
        return bad(p);
      }
      compLen = b[i] & 0xff;
      compOff = i + 1;
      i = compOff + compLen;
    } else {
      ciphersOff = i;
      ciphersLen = 2;
      compOff = i + 2;
      compLen = 1;
      i += 3;
    }
    if (i > n) {
      return bad(p);
    }
    if (i == n) {
      return true; // no extensions block (SSLv3, early TLS)
    }
    if (i + 2 > n) {
      return bad(p);
    }
    int extEnd = i + 2 + u16(b, i);
    if (extEnd > n) {
      return bad(p);
    }
    i += 2;
    while (i < extEnd) {
      if (i + 4 > extEnd) {
        return bad(p);
      }
      int type = u16(b, i);
      int elen = u16(b, i + 2);
      int doff = i + 4;
      i = doff + elen;
      if (i > extEnd) {
        return bad(p);
      }
      extTotal++;
      if (extCount == extType.length) {
        if (extTotal == extType.length + 1 && p != null) {
          p.event(TlsEvent.TOO_MANY_EXTENSIONS);
        }
        extension(type, doff, elen, p); // fields still read: they cost no index space
        continue;
      }
      for (int k = 0; k < extCount; k++) {
        if (extType[k] == type && p != null) {
          p.event(TlsEvent.DUPLICATE_EXTENSION);
          break;
        }
      }
      extType[extCount] = type;
      extOff[extCount] = doff;
      extLen[extCount] = elen;
      extCount++;
      extension(type, doff, elen, p);
    }
    return true;
  }

  private boolean bad(TlsParser p) {
    if (p != null) {
      p.event(TlsEvent.INVALID_HANDSHAKE);
    }
    len = 0;
    return false;
  }

  /** Indexes one extension's body; a malformed body leaves that field absent. */
  private void extension(int type, int off, int n, TlsParser p) {
    switch (type) {
      case EXT_SERVER_NAME:
        if (client && sniOff < 0) {
          sni(off, n, p);
        }
        break;
      case EXT_ALPN:
        // ProtocolNameList: 2-byte length, then 1-byte-length names (RFC 7301 section 3.1).
        if (alpnOff < 0 && n >= 2 && u16(b, off) == n - 2) {
          alpnOff = off + 2;
          alpnLen = n - 2;
        }
        break;
      case EXT_SUPPORTED_VERSIONS:
        if (versionsOff >= 0) {
          break;
        }
        if (client && n >= 1 && (b[off] & 0xff) == n - 1 && ((n - 1) & 1) == 0) {
          versionsOff = off + 1;
          versionsLen = n - 1;
        } else if (!client && n == 2) {
          versionsOff = off;
          versionsLen = 2;
        }
        break;
      case EXT_SUPPORTED_GROUPS:
        if (groupsOff < 0 && n >= 2 && u16(b, off) == n - 2 && (n & 1) == 0) {
          groupsOff = off + 2;
          groupsLen = n - 2;
        }
        break;
      case EXT_EC_POINT_FORMATS:
        if (pointsOff < 0 && n >= 1 && (b[off] & 0xff) == n - 1) {
          pointsOff = off + 1;
          pointsLen = n - 1;
        }
        break;
      case EXT_SIGNATURE_ALGORITHMS:
        if (sigOff < 0 && n >= 2 && u16(b, off) == n - 2 && (n & 1) == 0) {
          sigOff = off + 2;
          sigLen = n - 2;
        }
        break;
      case EXT_KEY_SHARE:
        if (keyShareOff < 0) {
          if (client && n >= 2 && u16(b, off) == n - 2) {
            keyShareOff = off + 2;
            keyShareLen = n - 2;
          } else if (!client && n >= 2) {
            keyShareOff = off; // ServerHello: one entry; HelloRetryRequest: the group only
            keyShareLen = n;
          }
        }
        break;
      default:
        break;
    }
  }

  /** server_name (RFC 6066 section 3): list length(2), then type(1) length(2) name entries. */
  private void sni(int off, int n, TlsParser p) {
    if (n < 2 || u16(b, off) != n - 2) {
      if (n != 0 && p != null) {
        p.event(TlsEvent.INVALID_SNI); // n == 0 is a server's empty acknowledgement
      }
      return;
    }
    int i = off + 2;
    int end = off + n;
    while (i + 3 <= end) {
      int type = b[i] & 0xff;
      int nlen = u16(b, i + 1);
      if (i + 3 + nlen > end) {
        break;
      }
      if (type == 0) {
        sniOff = i + 3;
        sniLen = nlen;
        return;
      }
      i += 3 + nlen;
    }
    if (p != null) {
      p.event(TlsEvent.INVALID_SNI);
    }
  }

  // ---- fields ----

  /** legacy_version: {@code 0x0303} for TLS 1.2 and 1.3. */
  public int legacyVersion() {
    return version;
  }

  /**
   * The version this hello stands for: a ServerHello's supported_versions selection (TLS 1.3),
   * else its legacy_version; for a ClientHello the highest non-GREASE supported_versions entry,
   * else legacy_version.
   */
  public int effectiveVersion() {
    if (versionsOff < 0) {
      return version;
    }
    if (!client) {
      return u16(b, versionsOff);
    }
    int best = -1;
    for (int i = 0; i < versionsLen; i += 2) {
      int v = u16(b, versionsOff + i);
      if (!isGrease(v) && v > best) {
        best = v;
      }
    }
    return best < 0 ? version : best;
  }

  /** The 32 random bytes. */
  public byte[] random() {
    return Arrays.copyOfRange(b, RANDOM_OFFSET, RANDOM_OFFSET + RANDOM_LENGTH);
  }

  public int sessionIdLength() {
    return sidLen;
  }

  /** True for a HelloRetryRequest: a ServerHello with the special random (RFC 8446 4.1.3). */
  public boolean isHelloRetryRequest() {
    return !client && len >= RANDOM_OFFSET + RANDOM_LENGTH
        && Arrays.equals(b, RANDOM_OFFSET, RANDOM_OFFSET + RANDOM_LENGTH, HRR_RANDOM, 0,
            RANDOM_LENGTH);
  }

  /** Number of cipher suites (GREASE included); 1 for a ServerHello. */
  public int cipherSuiteCount() {
    return ciphersLen / 2;
  }

  public int cipherSuite(int i) {
    return u16(b, ciphersOff + 2 * i);
  }

  /** Compression methods offered (ClientHello) or the one chosen (ServerHello). */
  public int[] compressionMethods() {
    int[] r = new int[compLen];
    for (int i = 0; i < compLen; i++) {
      r[i] = b[compOff + i] & 0xff;
    }
    return r;
  }

  /** Extensions indexed (at most {@link TlsConfig#maxExtensions()}). */
  public int extensionCount() {
    return extCount;
  }

  public int extensionType(int i) {
    return extType[i];
  }

  /** The server_name host_name, or null. */
  public String sni() {
    return sniOff < 0 ? null : new String(b, sniOff, sniLen, StandardCharsets.ISO_8859_1);
  }

  /** ALPN protocol names in order (ClientHello: offered; ServerHello: the selected one). */
  public List<String> alpns() {
    List<String> r = new ArrayList<>();
    if (alpnOff < 0) {
      return r;
    }
    int i = alpnOff;
    int end = alpnOff + alpnLen;
    while (i < end) {
      int l = b[i] & 0xff;
      if (i + 1 + l > end) {
        break;
      }
      r.add(new String(b, i + 1, l, StandardCharsets.ISO_8859_1));
      i += 1 + l;
    }
    return r;
  }

  /** supported_versions entries (ClientHello) or the selected version (ServerHello). */
  public int[] supportedVersions() {
    return u16s(versionsOff, versionsLen);
  }

  public int[] supportedGroups() {
    return u16s(groupsOff, groupsLen);
  }

  public int[] ecPointFormats() {
    int[] r = new int[pointsOff < 0 ? 0 : pointsLen];
    for (int i = 0; i < r.length; i++) {
      r[i] = b[pointsOff + i] & 0xff;
    }
    return r;
  }

  public int[] signatureAlgorithms() {
    return u16s(sigOff, sigLen);
  }

  /**
   * key_share groups: a ClientHello's KeyShareEntry groups in order; a ServerHello's one group
   * (a HelloRetryRequest's selected group).
   */
  public int[] keyShareGroups() {
    if (keyShareOff < 0) {
      return new int[0];
    }
    if (!client) {
      return keyShareLen >= 2 ? new int[] {u16(b, keyShareOff)} : new int[0];
    }
    int[] tmp = new int[keyShareLen / 4 + 1];
    int k = 0;
    int i = keyShareOff;
    int end = keyShareOff + keyShareLen;
    while (i + 4 <= end) {
      tmp[k++] = u16(b, i);
      i += 4 + u16(b, i + 2);
    }
    return Arrays.copyOf(tmp, k);
  }

  private int[] u16s(int off, int n) {
    if (off < 0) {
      return new int[0];
    }
    int[] r = new int[n / 2];
    for (int i = 0; i < r.length; i++) {
      r[i] = u16(b, off + 2 * i);
    }
    return r;
  }

  /** Packet time of the packet that completed this hello. */
  public long nanos() {
    return nanos;
  }

  // ---- fingerprints ----

  /**
   * The JA3 string (ClientHello: SSLVersion,Ciphers,Extensions,EllipticCurves,PointFormats) or
   * JA3S string (ServerHello: SSLVersion,Cipher,Extensions), decimal, '-' inside a field, GREASE
   * left out (salesforce/ja3 README).
   */
  public String ja3String() {
    if (sslv2) {
      return null; // tshark and Suricata give none either
    }
    if (ja3 == null) {
      StringBuilder s = new StringBuilder(256);
      s.append(version).append(',');
      decimals(s, ciphersOff, ciphersLen);
      s.append(',');
      boolean first = true;
      for (int i = 0; i < extCount; i++) {
        if (!isGrease(extType[i])) {
          if (!first) {
            s.append('-');
          }
          s.append(extType[i]);
          first = false;
        }
      }
      if (client) {
        s.append(',');
        decimals(s, groupsOff, groupsLen);
        s.append(',');
        for (int i = 0; pointsOff >= 0 && i < pointsLen; i++) {
          if (i > 0) {
            s.append('-');
          }
          s.append(b[pointsOff + i] & 0xff);
        }
      }
      ja3 = s.toString();
    }
    return ja3;
  }

  /** MD5 of {@link #ja3String()}, lower-case hex: JA3 (ClientHello) or JA3S (ServerHello). */
  public String ja3Hash() {
    if (sslv2) {
      return null;
    }
    if (ja3Hash == null) {
      ja3Hash = hexDigest("MD5", ja3String(), 32);
    }
    return ja3Hash;
  }

  private void decimals(StringBuilder s, int off, int n) {
    boolean first = true;
    for (int i = 0; off >= 0 && i + 1 < n; i += 2) {
      int v = u16(b, off + i);
      if (!isGrease(v)) {
        if (!first) {
          s.append('-');
        }
        s.append(v);
        first = false;
      }
    }
  }

  /**
   * JA4 of a ClientHello over TCP (FoxIO-LLC/ja4 technical_details/JA4.md), or null for a
   * ServerHello: {@code t}, version, {@code d}/{@code i}, cipher and extension counts, ALPN
   * characters, then the truncated SHA-256 of the sorted ciphers and of the sorted extensions
   * (SNI and ALPN left out) followed by the signature algorithms in order.
   */
  public String ja4() {
    if (!client || sslv2) {
      return null;
    }
    if (ja4 == null) {
      StringBuilder a = new StringBuilder(40);
      a.append('t').append(ja4Version(effectiveVersion()));
      a.append(sniOff >= 0 || hasExtension(EXT_SERVER_NAME) ? 'd' : 'i');
      List<String> ciphers = new ArrayList<>();
      for (int i = 0; i + 1 < ciphersLen; i += 2) {
        int v = u16(b, ciphersOff + i);
        if (!isGrease(v)) {
          ciphers.add(hex4(v));
        }
      }
      List<String> exts = new ArrayList<>();
      int extNonGrease = 0;
      for (int i = 0; i < extCount; i++) {
        int t = extType[i];
        if (isGrease(t)) {
          continue;
        }
        extNonGrease++;
        if (t != EXT_SERVER_NAME && t != EXT_ALPN) {
          exts.add(hex4(t));
        }
      }
      extNonGrease += extTotal - extCount; // beyond the index: counted, not hashed
      a.append(two(ciphers.size())).append(two(extNonGrease));
      a.append(ja4Alpn());
      ciphers.sort(null);
      exts.sort(null);
      String cHash = ciphers.isEmpty() ? "000000000000"
          : hexDigest("SHA-256", String.join(",", ciphers), 12);
      String eHash;
      if (exts.isEmpty()) {
        eHash = "000000000000";
      } else {
        StringBuilder e = new StringBuilder(String.join(",", exts));
        boolean first = true;
        for (int i = 0; sigOff >= 0 && i + 1 < sigLen; i += 2) {
          int v = u16(b, sigOff + i);
          if (isGrease(v)) {
            continue;
          }
          e.append(first ? '_' : ',').append(hex4(v));
          first = false;
        }
        eHash = hexDigest("SHA-256", e.toString(), 12);
      }
      ja4 = a.append('_').append(cHash).append('_').append(eHash).toString();
    }
    return ja4;
  }

  private boolean hasExtension(int type) {
    for (int i = 0; i < extCount; i++) {
      if (extType[i] == type) {
        return true;
      }
    }
    return false;
  }

  /** First and last characters of the first ALPN value; hex of it when not alphanumeric. */
  private String ja4Alpn() {
    if (alpnOff < 0 || alpnLen < 1) {
      return "00";
    }
    int l = b[alpnOff] & 0xff;
    if (l == 0 || alpnOff + 1 + l > alpnOff + alpnLen) {
      return "00";
    }
    int first = b[alpnOff + 1] & 0xff;
    int last = b[alpnOff + l] & 0xff;
    if (alnum(first) && alnum(last)) {
      return "" + (char) first + (char) last;
    }
    String h = "0123456789abcdef";
    return "" + h.charAt(first >>> 4) + h.charAt(last & 0xf);
  }

  private static boolean alnum(int c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  static String ja4Version(int v) {
    switch (v) {
      case 0x0304:
        return "13";
      case 0x0303:
        return "12";
      case 0x0302:
        return "11";
      case 0x0301:
        return "10";
      case 0x0300:
        return "s3";
      case 0x0002:
        return "s2";
      case 0xfeff:
        return "d1";
      case 0xfefd:
        return "d2";
      case 0xfefc:
        return "d3";
      default:
        return "00";
    }
  }

  private static String two(int n) {
    n = Math.min(n, 99);
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  static String hex4(int v) {
    String s = Integer.toHexString(v);
    return "0000".substring(s.length()) + s;
  }

  static String hexDigest(String alg, String s, int chars) {
    try {
      byte[] d = MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.US_ASCII));
      StringBuilder r = new StringBuilder(d.length * 2);
      for (byte x : d) {
        r.append(Character.forDigit((x >>> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
      }
      return r.substring(0, chars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(alg + " is required of every JDK", e);
    }
  }

  private static byte[] hex(String s) {
    byte[] r = new byte[s.length() / 2];
    for (int i = 0; i < r.length; i++) {
      r[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return r;
  }
}

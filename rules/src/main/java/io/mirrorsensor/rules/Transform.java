package io.mirrorsensor.rules;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One buffer transform ({@code dotprefix}, {@code to_lowercase}, {@code to_sha256} ...), as in
 * Suricata's {@code detect-transform-*.c}: it rewrites the sticky buffer before content, pcre and
 * the prefilter see it. Transforms of one buffer apply in rule order ({@link
 * StickyBuffer#transformed}). Each works in place on the buffer's copy, which has room for
 * {@link #growth} more bytes, and returns the new length. Immutable and shared by all detectors;
 * the hashing transforms keep one {@link MessageDigest} per thread.
 */
abstract class Transform {
  /** Keyword name; with {@link #options} the key transformed buffers are shared by. */
  final String name;
  final String options;

  Transform(String name, String options) {
    this.name = name;
    this.options = options;
  }

  /** Bytes the output may be longer than the input (dotprefix: 1; a digest: its size). */
  int growth() {
    return 0;
  }

  /** Rewrites {@code b[0, len)} in place; returns the new length. */
  abstract int apply(byte[] b, int len);

  String key() {
    return options == null ? name : name + ":" + options;
  }

  static boolean space(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  /** {@code dotprefix}: prepends a '.' (so {@code content:".example.com"; endswith;} matches the domain and its subdomains only). */
  static final class DotPrefix extends Transform {
    DotPrefix() {
      super("dotprefix", null);
    }

    @Override
    int growth() {
      return 1;
    }

    @Override
    int apply(byte[] b, int len) {
      System.arraycopy(b, 0, b, 1, len);
      b[0] = '.';
      return len + 1;
    }
  }

  /** {@code to_lowercase} / {@code to_uppercase}: ASCII letters only. */
  static final class Case extends Transform {
    final boolean upper;

    Case(boolean upper) {
      super(upper ? "to_uppercase" : "to_lowercase", null);
      this.upper = upper;
    }

    @Override
    int apply(byte[] b, int len) {
      for (int i = 0; i < len; i++) {
        int c = b[i];
        if (upper ? c >= 'a' && c <= 'z' : c >= 'A' && c <= 'Z') {
          b[i] = (byte) (c ^ 0x20);
        }
      }
      return len;
    }
  }

  /** {@code strip_whitespace}: removes every isspace() byte. */
  static final class StripWhitespace extends Transform {
    StripWhitespace() {
      super("strip_whitespace", null);
    }

    @Override
    int apply(byte[] b, int len) {
      int o = 0;
      for (int i = 0; i < len; i++) {
        if (!space(b[i])) {
          b[o++] = b[i];
        }
      }
      return o;
    }
  }

  /** {@code compress_whitespace}: each run of isspace() bytes becomes one space. */
  static final class CompressWhitespace extends Transform {
    CompressWhitespace() {
      super("compress_whitespace", null);
    }

    @Override
    int apply(byte[] b, int len) {
      int o = 0;
      int i = 0;
      while (i < len) {
        if (!space(b[i])) {
          b[o++] = b[i++];
        } else {
          b[o++] = ' ';
          while (i < len && space(b[i])) {
            i++;
          }
        }
      }
      return o;
    }
  }

  /**
   * {@code url_decode}: {@code %HH} to the byte, {@code +} to a space; a {@code %} without two hex
   * digits after it stays (transform-urldecode.c).
   */
  static final class UrlDecode extends Transform {
    UrlDecode() {
      super("url_decode", null);
    }

    @Override
    int apply(byte[] b, int len) {
      int o = 0;
      for (int i = 0; i < len; i++) {
        int c = b[i];
        if (c == '%' && i + 2 < len && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
          b[o++] = (byte) (hex(b[i + 1]) << 4 | hex(b[i + 2]));
          i += 2;
        } else {
          b[o++] = c == '+' ? (byte) ' ' : (byte) c;
        }
      }
      return o;
    }
  }

  /** The hex digit's value, or -1 (Latin-1 has no hex digits outside ASCII). */
  static int hex(int c) {
    return Character.digit(c, 16);
  }

  /** {@code to_md5}, {@code to_sha1}, {@code to_sha256}: the raw digest of the buffer (not hex). */
  static final class Digest extends Transform {
    private final ThreadLocal<MessageDigest> md;
    private final int size;

    Digest(String name, String algorithm, int size) {
      super(name, null);
      this.size = size;
      this.md = ThreadLocal.withInitial(() -> {
        try {
          return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(algorithm + " is required of every JDK", e);
        }
      });
    }

    @Override
    int growth() {
      return size;
    }

    @Override
    int apply(byte[] b, int len) {
      MessageDigest m = md.get();
      m.update(b, 0, len);
      try {
        return m.digest(b, 0, size);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException(e); // the buffer always has room (growth)
      }
    }
  }

  /** {@code xor:"hexkey";} each byte XORed with the key, repeated. */
  static final class Xor extends Transform {
    final byte[] key;

    Xor(String options, byte[] key) {
      super("xor", options);
      this.key = key;
    }

    @Override
    int apply(byte[] b, int len) {
      for (int i = 0; i < len; i++) {
        b[i] ^= key[i % key.length];
      }
      return len;
    }
  }

  /** {@code header_lowercase}: lower-cases each header line's name (up to its ':'). */
  static final class HeaderLowercase extends Transform {
    HeaderLowercase() {
      super("header_lowercase", null);
    }

    @Override
    int apply(byte[] b, int len) {
      boolean inName = true;
      for (int i = 0; i < len; i++) {
        int c = b[i];
        if (c == '\n') {
          inName = true;
        } else if (inName && c == ':' && !(i == 0 || b[i - 1] == '\n')) {
          inName = false;
        } else if (inName && c >= 'A' && c <= 'Z') {
          b[i] = (byte) (c + 32);
        }
      }
      return len;
    }
  }

  /** {@code strip_pseudo_headers}: drops the header lines that start with ':' (HTTP/2). */
  static final class StripPseudoHeaders extends Transform {
    StripPseudoHeaders() {
      super("strip_pseudo_headers", null);
    }

    @Override
    int apply(byte[] b, int len) {
      int o = 0;
      int i = 0;
      while (i < len) {
        int e = i;
        while (e < len && b[e] != '\n') {
          e++;
        }
        int next = e < len ? e + 1 : e;
        if (b[i] != ':') {
          System.arraycopy(b, i, b, o, next - i);
          o += next - i;
        }
        i = next;
      }
      return o;
    }
  }

  /**
   * {@code pcrexform:"regex";} the buffer becomes the regex's first capture group; unchanged when
   * the regex does not match. Runs RE2/J, which allocates a matcher per call (rare keyword).
   */
  static final class PcreXform extends Transform {
    final Pattern pattern;

    PcreXform(String options, Pattern pattern) {
      super("pcrexform", options);
      this.pattern = pattern;
    }

    @Override
    int apply(byte[] b, int len) {
      Matcher m = pattern.matcher(new Latin1View().set(b, 0, len));
      if (!m.find() || m.groupCount() < 1 || m.start(1) < 0) {
        return len;
      }
      int s = m.start(1);
      int n = m.end(1) - s;
      System.arraycopy(b, s, b, 0, n);
      return n;
    }
  }

  /**
   * {@code from_base64[:bytes N, offset N, mode rfc4648|rfc2045|strict];} decodes base64 from
   * {@code offset}, at most {@code bytes} input bytes. rfc4648 and strict stop at the first byte
   * outside the alphabet; rfc2045 skips such bytes. A trailing partial quantum is dropped.
   */
  static final class FromBase64 extends Transform {
    final int offset;
    final int bytes;
    final boolean skipInvalid;

    FromBase64(String options, int offset, int bytes, boolean skipInvalid) {
      super("from_base64", options);
      this.offset = offset;
      this.bytes = bytes;
      this.skipInvalid = skipInvalid;
    }

    @Override
    int apply(byte[] b, int len) {
      return decode(b, Math.min(offset, len), bytes <= 0 ? len : Math.min(len, offset + bytes),
          skipInvalid, b);
    }

    /** Decodes {@code src[from, to)} into {@code dst[0, ...)} (may be the same array). */
    static int decode(byte[] src, int from, int to, boolean skipInvalid, byte[] dst) {
      int o = 0;
      int acc = 0;
      int n = 0;
      for (int i = from; i < to; i++) {
        int c = src[i] & 0xFF;
        int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
        if (v < 0) {
          if (c == '=' || !skipInvalid) {
            break;
          }
          continue;
        }
        acc = acc << 6 | v;
        if (++n == 4) {
          dst[o++] = (byte) (acc >> 16);
          dst[o++] = (byte) (acc >> 8);
          dst[o++] = (byte) acc;
          n = 0;
          acc = 0;
        }
      }
      if (n == 2) {
        dst[o++] = (byte) (acc >> 4);
      } else if (n == 3) {
        dst[o++] = (byte) (acc >> 10);
        dst[o++] = (byte) (acc >> 2);
      }
      return o;
    }
  }
}

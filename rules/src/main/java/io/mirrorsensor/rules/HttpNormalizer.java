package io.mirrorsensor.rules;

import io.mirrorsensor.decode.app.http.HttpBuffer;
import io.mirrorsensor.decode.app.http.HttpTransaction;

/**
 * The HTTP buffers Suricata normalises, built from the transaction's raw bytes into a caller's
 * scratch array (no allocation). Follows what Suricata gets from libhtp with its default IDS
 * personality (app-layer-htp.c, libhtp htp_util.c); the differences are listed in docs/RULES.md:
 *
 * <ul>
 *   <li>{@code http.uri}: of the request-target, the path is percent-decoded ({@code %XX}; an
 *       invalid escape keeps its {@code %}), {@code %uHHHH} decoded to its low byte when the high
 *       byte is 0 (else {@code ?}), backslashes turned into slashes, runs of slashes compressed and
 *       dot segments removed (RFC 3986 section 5.2.4); the query is kept raw, the fragment is
 *       percent-decoded; scheme and authority of an absolute-form target are dropped (libhtp's
 *       {@code uri-include-all: no}).
 *   <li>{@code http.host}: the host of an absolute-form target, else of the Host header, without
 *       user info and port, lower-cased, trailing dots removed.
 *   <li>{@code http.header}: each header line as {@code Name: value\r\n} with the value trimmed,
 *       folded lines joined by a space, without {@code Cookie} (request) or {@code Set-Cookie}
 *       (response). libhtp also merges repeated headers into the first (", "): here each stays on
 *       its own line.
 *   <li>{@code http.header_names}: {@code \r\n} then each name followed by {@code \r\n}, then
 *       {@code \r\n}.
 * </ul>
 */
final class HttpNormalizer {
  private static final byte[] COOKIE = {'c', 'o', 'o', 'k', 'i', 'e'};
  private static final byte[] SET_COOKIE = {'s', 'e', 't', '-', 'c', 'o', 'o', 'k', 'i', 'e'};

  private HttpNormalizer() {}

  /** Start of the path in an absolute-form target ({@code scheme://authority/path}), else 0. */
  private static int pathStart(byte[] b, int off, int len) {
    int end = off + len;
    for (int i = off; i < end; i++) {
      int c = b[i];
      if (c == ':') {
        if (i > off && i + 2 < end && b[i + 1] == '/' && b[i + 2] == '/') {
          int j = i + 3;
          while (j < end && b[j] != '/' && b[j] != '?' && b[j] != '#') {
            j++;
          }
          return j - off;
        }
        return 0;
      }
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+'
          || c == '-' || c == '.')) {
        return 0;
      }
    }
    return 0;
  }

  /** The normalised URI of the raw target {@code b[off, off + len)} into {@code dst} (at least len bytes). */
  static int uri(byte[] b, int off, int len, byte[] dst) {
    int end = off + len;
    int p = off + pathStart(b, off, len);
    int q = p;
    while (q < end && b[q] != '?' && b[q] != '#') {
      q++;
    }
    int n = decodePath(b, p, q, dst);
    n = removeDotSegments(dst, n);
    if (q < end && b[q] == '?') {
      int f = q;
      while (f < end && b[f] != '#') {
        f++;
      }
      System.arraycopy(b, q, dst, n, f - q);
      n += f - q;
      q = f;
    }
    if (q < end) { // '#' fragment
      dst[n++] = '#';
      for (int i = q + 1; i < end; i++) {
        int v = i + 2 < end && b[i] == '%' ? hex2(b[i + 1], b[i + 2]) : -1;
        if (v >= 0) {
          dst[n++] = (byte) v;
          i += 2;
        } else {
          dst[n++] = b[i];
        }
      }
    }
    return n;
  }

  private static int decodePath(byte[] b, int from, int to, byte[] dst) {
    int n = 0;
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xFF;
      if (c == '%') {
        if (i + 5 < to && (b[i + 1] == 'u' || b[i + 1] == 'U')) {
          int hi = hex2(b[i + 2], b[i + 3]);
          int lo = hex2(b[i + 4], b[i + 5]);
          if (hi >= 0 && lo >= 0) {
            c = hi == 0 ? lo : '?';
            i += 5;
          }
        } else if (i + 2 < to) {
          int v = hex2(b[i + 1], b[i + 2]);
          if (v >= 0) {
            c = v;
            i += 2;
          }
        }
      }
      if (c == '\\') {
        c = '/';
      }
      if (c == '/' && n > 0 && dst[n - 1] == '/') {
        continue; // compress separators
      }
      dst[n++] = (byte) c;
    }
    return n;
  }

  /** RFC 3986 section 5.2.4 on {@code a[0, n)}, in place; returns the new length. */
  static int removeDotSegments(byte[] a, int n) {
    int r = 0; // read
    int w = 0; // write
    while (r < n) {
      // A: "../" or "./" prefix
      if (startsWith(a, r, n, "../")) {
        r += 3;
      } else if (startsWith(a, r, n, "./")) {
        r += 2;
      } else if (startsWith(a, r, n, "/./")) { // B
        r += 2;
      } else if (r + 2 == n && a[r] == '/' && a[r + 1] == '.') {
        a[r + 1] = '/';
        r += 1;
      } else if (startsWith(a, r, n, "/../")) { // C
        r += 3;
        w = popSegment(a, w);
      } else if (r + 3 == n && a[r] == '/' && a[r + 1] == '.' && a[r + 2] == '.') {
        r += 2;
        a[r] = '/';
        w = popSegment(a, w);
      } else if (r + 1 == n && a[r] == '.' || r + 2 == n && a[r] == '.' && a[r + 1] == '.') { // D
        r = n;
      } else { // E: move the first segment
        int s = r;
        if (a[r] == '/') {
          r++;
        }
        while (r < n && a[r] != '/') {
          r++;
        }
        System.arraycopy(a, s, a, w, r - s);
        w += r - s;
      }
    }
    return w;
  }

  private static int popSegment(byte[] a, int w) {
    while (w > 0 && a[w - 1] != '/') {
      w--;
    }
    return w > 0 ? w - 1 : 0;
  }

  private static boolean startsWith(byte[] a, int at, int n, String s) {
    if (at + s.length() > n) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (a[at + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int hex2(byte h, byte l) {
    int a = Character.digit(h, 16);
    int b = Character.digit(l, 16);
    return a < 0 || b < 0 ? -1 : a << 4 | b;
  }

  /** Normalised host into {@code dst}, or -1 when the request names none. */
  static int host(HttpTransaction t, byte[] dst) {
    byte[] b = t.bytes(HttpBuffer.URI_RAW);
    int off = t.offset(HttpBuffer.URI_RAW);
    int len = t.length(HttpBuffer.URI_RAW);
    int from = -1;
    int to = -1;
    if (len > 0) {
      int ps = pathStart(b, off, len);
      if (ps > 0) {
        int i = off;
        while (b[i] != ':') {
          i++;
        }
        from = i + 3;
        to = off + ps;
      }
    }
    if (from < 0) {
      len = t.length(HttpBuffer.HOST);
      if (len < 0) {
        return -1;
      }
      b = t.bytes(HttpBuffer.HOST);
      from = t.offset(HttpBuffer.HOST);
      to = from + len;
    }
    for (int i = to - 1; i >= from; i--) { // user info
      if (b[i] == '@') {
        from = i + 1;
        break;
      }
    }
    int end = to;
    if (from < to && b[from] == '[') { // [v6]:port
      for (int i = from; i < to; i++) {
        if (b[i] == ']') {
          end = i + 1;
          break;
        }
      }
    } else {
      for (int i = from; i < to; i++) {
        if (b[i] == ':') {
          end = i;
          break;
        }
      }
    }
    while (end > from && (b[end - 1] == '.' || b[end - 1] == ' ' || b[end - 1] == '\t')) {
      end--;
    }
    while (from < end && (b[from] == ' ' || b[from] == '\t')) {
      from++;
    }
    int n = 0;
    for (int i = from; i < end; i++) {
      dst[n++] = (byte) ContentMatch.lower(b[i] & 0xFF);
    }
    return n;
  }

  /** Upper bound on {@link #headers} output for a raw block of {@code len} bytes. */
  static int headersBound(int len) {
    return 3 * len + 8;
  }

  /** Normalised header lines of raw block {@code b[off, off + len)} into {@code dst}. */
  static int headers(byte[] b, int off, int len, boolean response, byte[] dst) {
    return headers(b, off, len, response ? SET_COOKIE : COOKIE, dst, 0);
  }

  /**
   * {@code http.start}: the start line, CRLF, the header lines normalised as {@link #headers}
   * but with the cookies, then CRLF. Returns -1 when the transaction lacks that head.
   */
  static int start(HttpTransaction t, boolean response, byte[] dst) {
    HttpBuffer line = response ? HttpBuffer.RESPONSE_LINE : HttpBuffer.REQUEST_LINE;
    HttpBuffer hdr = response ? HttpBuffer.RESPONSE_HEADER : HttpBuffer.REQUEST_HEADER;
    int ll = t.length(line);
    if (ll < 0) {
      return -1;
    }
    System.arraycopy(t.bytes(line), t.offset(line), dst, 0, ll);
    int n = ll;
    dst[n++] = '\r';
    dst[n++] = '\n';
    int hl = t.length(hdr);
    if (hl > 0) {
      n = headers(t.bytes(hdr), t.offset(hdr), hl, null, dst, n);
    }
    dst[n++] = '\r';
    dst[n++] = '\n';
    return n;
  }

  /** As {@link #headers}, leaving out the header named {@code skip} (null: none), from dst[n]. */
  private static int headers(byte[] b, int off, int len, byte[] skip, byte[] dst, int n) {
    int end = off + len;
    boolean open = false; // a header written without its CRLF
    boolean skipping = false;
    int i = off;
    while (i < end) {
      int eol = i;
      while (eol < end && b[eol] != '\n') {
        eol++;
      }
      int le = eol;
      if (le > i && b[le - 1] == '\r') {
        le--;
      }
      if (b[i] == ' ' || b[i] == '\t') { // obs-fold continuation
        int s = trimStart(b, i, le);
        int e = trimEnd(b, s, le);
        if (open && e > s) {
          dst[n++] = ' ';
          System.arraycopy(b, s, dst, n, e - s);
          n += e - s;
        }
      } else if (le > i) {
        if (open) {
          dst[n++] = '\r';
          dst[n++] = '\n';
          open = false;
        }
        int colon = i;
        while (colon < le && b[colon] != ':') {
          colon++;
        }
        int ne = trimEnd(b, i, colon);
        skipping = skip != null && isName(b, i, ne, skip);
        if (!skipping) {
          System.arraycopy(b, i, dst, n, ne - i);
          n += ne - i;
          dst[n++] = ':';
          dst[n++] = ' ';
          int s = colon < le ? trimStart(b, colon + 1, le) : le;
          int e = trimEnd(b, s, le);
          System.arraycopy(b, s, dst, n, e - s);
          n += e - s;
          open = true;
        }
      }
      i = eol + 1;
    }
    if (open) {
      dst[n++] = '\r';
      dst[n++] = '\n';
    }
    return n;
  }

  /** Header names of raw block {@code b[off, off + len)}: {@code \r\nName\r\n...\r\n}. */
  static int headerNames(byte[] b, int off, int len, byte[] dst) {
    int end = off + len;
    int n = 0;
    dst[n++] = '\r';
    dst[n++] = '\n';
    int i = off;
    while (i < end) {
      int eol = i;
      while (eol < end && b[eol] != '\n') {
        eol++;
      }
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
        int colon = i;
        while (colon < eol && b[colon] != ':') {
          colon++;
        }
        int ne = trimEnd(b, i, colon);
        System.arraycopy(b, i, dst, n, ne - i);
        n += ne - i;
        dst[n++] = '\r';
        dst[n++] = '\n';
      }
      i = eol + 1;
    }
    dst[n++] = '\r';
    dst[n++] = '\n';
    return n;
  }

  /**
   * Value range of the first header named {@code lowerName} in raw block {@code b[off, off +
   * len)}, packed as {@code (offset << 32) | length}, or -1.
   */
  static long findHeader(byte[] b, int off, int len, byte[] lowerName) {
    int end = off + len;
    int i = off;
    while (i < end) {
      int eol = i;
      while (eol < end && b[eol] != '\n') {
        eol++;
      }
      int le = eol > i && b[eol - 1] == '\r' ? eol - 1 : eol;
      int colon = i;
      while (colon < le && b[colon] != ':') {
        colon++;
      }
      if (colon < le && isName(b, i, trimEnd(b, i, colon), lowerName)) {
        int s = trimStart(b, colon + 1, le);
        int e = trimEnd(b, s, le);
        return ((long) s << 32) | (e - s);
      }
      i = eol + 1;
    }
    return -1;
  }

  private static boolean isName(byte[] b, int from, int to, byte[] lower) {
    if (to - from != lower.length) {
      return false;
    }
    for (int k = 0; k < lower.length; k++) {
      if (ContentMatch.lower(b[from + k] & 0xFF) != lower[k]) {
        return false;
      }
    }
    return true;
  }

  private static int trimStart(byte[] b, int from, int to) {
    while (from < to && (b[from] == ' ' || b[from] == '\t')) {
      from++;
    }
    return from;
  }

  private static int trimEnd(byte[] b, int from, int to) {
    while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
      to--;
    }
    return to;
  }
}

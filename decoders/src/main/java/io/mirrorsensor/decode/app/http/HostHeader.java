package io.mirrorsensor.decode.app.http;

/**
 * libhtp's check of a request's Host header ({@code parse_hostport} and {@code validate_hostname}
 * in htp/src/util.rs, the code behind Suricata's {@code http.request_header_host_invalid}): a
 * hostname of letters, digits, {@code -} and {@code _} in dot-separated labels of at most 63
 * (no leading dot, no empty label inside, 255 in all) or a bracketed IPv6 literal, then nothing
 * or {@code :port} with a port from 1 to 65535. Allocates nothing.
 */
final class HostHeader {
  private HostHeader() {}

  /**
   * False when the value would set libhtp's HOSTH_INVALID; true when it is valid or when libhtp
   * cannot parse it as host[:port] at all (it then sets no flag either).
   */
  static boolean valid(byte[] b, int off, int len) {
    int pos = off;
    int end = off + len;
    if (end - pos >= 2 && b[pos] == '/' && b[pos + 1] == '/') {
      pos += 2;
    }
    if (pos < end && b[pos] == '/') {
      return true; // a path, not a hostname: libhtp's parser declines
    }
    while (pos < end && b[pos] == ' ') {
      pos++;
    }
    int hs = pos;
    int he = -1;
    if (pos < end && b[pos] == '[') {
      int q = pos + 1;
      while (q < end && !in(b[q], "/?#]")) {
        q++;
      }
      if (q > pos + 1) {
        if (q < end && b[q] == ']') {
          q++;
        }
        he = q;
      }
    }
    if (he < 0) {
      int q = pos;
      while (q < end && !in(b[q], "/?#:")) {
        q++;
      }
      if (q == pos) {
        return true; // no hostname: libhtp's parser declines
      }
      he = q;
    }
    pos = he;
    while (he > hs && b[he - 1] == ' ') {
      he--;
    }
    boolean valid = hostname(b, hs, he);
    if (pos < end && b[pos] == ':') {
      int q = pos + 1;
      while (q < end && b[q] == ' ') {
        q++;
      }
      int r = q;
      while (r < end && !in(b[r], "/?#")) {
        r++;
      }
      if (r > q) {
        int pe = q;
        while (pe < r && b[pe] != ' ') {
          pe++;
        }
        return port(b, q, pe) && valid;
      }
    }
    return pos == end && valid;
  }

  /** Rust's {@code u16} parse of the port, 0 refused. */
  private static boolean port(byte[] b, int s, int e) {
    if (s < e && b[s] == '+') {
      s++;
    }
    if (s == e) {
      return false;
    }
    int v = 0;
    for (int i = s; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      v = v * 10 + d;
      if (v > 65535) {
        return false;
      }
    }
    return v != 0;
  }

  private static boolean hostname(byte[] b, int s, int e) {
    int len = e - s;
    if (len == 0 || len > 255) {
      return false;
    }
    if (b[s] == '[') {
      int q = s + 1;
      while (q < e && !in(b[q], "#?/]")) {
        q++;
      }
      if (q > s + 1 && q < e && b[q] == ']') {
        return ipv6(b, s + 1, q);
      }
    }
    if (b[s] == '.') {
      return false;
    }
    int label = 0;
    for (int i = s; i < e; i++) {
      int c = b[i] & 0xff;
      if (c == '.') {
        if (i + 1 < e && b[i + 1] == '.') {
          return false;
        }
        label = 0;
        continue;
      }
      if (++label > 63) {
        return false;
      }
      if (!(c == '_' || c == '-' || Character.isLetterOrDigit((char) c))) {
        return false;
      }
    }
    return true;
  }

  /** An IPv6 address as Rust's {@code Ipv6Addr::from_str} takes it (no zone, IPv4 tail allowed). */
  static boolean ipv6(byte[] b, int s, int e) {
    int groups = 0;
    boolean compressed = false;
    int i = s;
    if (e - s >= 2 && b[s] == ':' && b[s + 1] == ':') {
      compressed = true;
      i = s + 2;
      if (i == e) {
        return true;
      }
    } else if (i < e && b[i] == ':') {
      return false;
    }
    while (i < e) {
      int j = i;
      while (j < e && b[j] != ':' && b[j] != '.') {
        j++;
      }
      if (j < e && b[j] == '.') {
        // an IPv4 tail: the rest is a dotted quad, worth two groups
        if (!ipv4(b, i, e)) {
          return false;
        }
        groups += 2;
        i = e;
        break;
      }
      int n = j - i;
      if (n == 0 || n > 4) {
        return false;
      }
      for (int k = i; k < j; k++) {
        if (Character.digit(b[k], 16) < 0) {
          return false;
        }
      }
      groups++;
      if (j == e) {
        i = e;
        break;
      }
      // b[j] == ':'
      if (j + 1 < e && b[j + 1] == ':') {
        if (compressed) {
          return false;
        }
        compressed = true;
        i = j + 2;
        if (i == e) {
          break;
        }
      } else {
        i = j + 1;
        if (i == e) {
          return false; // a trailing single colon
        }
      }
    }
    return compressed ? groups < 8 : groups == 8;
  }

  private static boolean ipv4(byte[] b, int s, int e) {
    int parts = 0;
    int i = s;
    while (true) {
      int j = i;
      int v = 0;
      while (j < e && b[j] >= '0' && b[j] <= '9') {
        v = v * 10 + (b[j] - '0');
        if (j - i >= 3 || v > 255) {
          return false;
        }
        j++;
      }
      if (j == i || (j - i > 1 && b[i] == '0')) {
        return false;
      }
      parts++;
      if (j == e) {
        return parts == 4;
      }
      if (b[j] != '.' || parts == 4) {
        return false;
      }
      i = j + 1;
    }
  }

  private static boolean in(byte c, String set) {
    return set.indexOf(c & 0xff) >= 0;
  }
}

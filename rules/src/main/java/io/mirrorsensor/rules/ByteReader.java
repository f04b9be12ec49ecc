package io.mirrorsensor.rules;

/**
 * Reads the number byte_test / byte_jump operate on: 1-8 bytes binary (big or little endian) or
 * 1-20 ASCII digits in base 8, 10 or 16 (Suricata's byte_* "string" form).
 */
final class ByteReader {
  static final long FAIL = Long.MIN_VALUE;

  final int bytes;
  final boolean little;
  final boolean string;
  final int base;
  /** 0 when no bitmask. */
  final long bitmask;
  final int maskShift;

  ByteReader(int bytes, boolean little, boolean string, int base, long bitmask) {
    this.bytes = bytes;
    this.little = little;
    this.string = string;
    this.base = base;
    this.bitmask = bitmask;
    this.maskShift = bitmask == 0 ? 0 : Long.numberOfTrailingZeros(bitmask);
  }

  /**
   * The value at buffer offset {@code at}, or {@link #FAIL} when out of range or not a number.
   * {@code string} with 0 bytes (byte_test) reads the digits there, as many as there are (at most
   * 20): Suricata then runs strtoull on the buffer (ET tests {@code http.content_len} this way).
   */
  long read(Span s, int at) {
    if (at < 0 || (long) at + bytes > s.len) {
      return FAIL;
    }
    byte[] b = s.buf;
    int p = s.off + at;
    long v = 0;
    if (string) {
      int n = bytes;
      if (n == 0) {
        while (n < 20 && at + n < s.len && Character.digit(b[p + n] & 0xFF, base) >= 0) {
          n++;
        }
        if (n == 0) {
          return FAIL;
        }
      }
      for (int i = 0; i < n; i++) {
        // Latin-1 has no digits outside ASCII, so this is the ASCII digit in this base or -1
        int d = Character.digit(b[p + i] & 0xFF, base);
        if (d < 0) {
          return FAIL;
        }
        v = v * base + d;
      }
    } else if (little) {
      for (int i = bytes - 1; i >= 0; i--) {
        v = (v << 8) | (b[p + i] & 0xFF);
      }
    } else {
      for (int i = 0; i < bytes; i++) {
        v = (v << 8) | (b[p + i] & 0xFF);
      }
    }
    if (bitmask != 0) {
      v = (v & bitmask) >>> maskShift;
    }
    return v;
  }
}

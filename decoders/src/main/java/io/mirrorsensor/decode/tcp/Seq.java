package io.mirrorsensor.decode.tcp;

/**
 * TCP sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4): values are unsigned 32-bit
 * numbers in a {@code long}; {@code a} is "after" {@code b} when the signed 32-bit difference is
 * positive, which holds across wrap-around as long as the two are within 2^31 of each other.
 */
final class Seq {
  static final long MASK = 0xFFFF_FFFFL;

  private Seq() {}

  static int diff(long a, long b) {
    return (int) (a - b);
  }

  static boolean lt(long a, long b) {
    return (int) (a - b) < 0;
  }

  static boolean le(long a, long b) {
    return (int) (a - b) <= 0;
  }

  static boolean gt(long a, long b) {
    return (int) (a - b) > 0;
  }

  static long add(long a, long n) {
    return (a + n) & MASK;
  }
}

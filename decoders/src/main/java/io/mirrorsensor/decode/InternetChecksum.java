package io.mirrorsensor.decode;

/**
 * The Internet checksum (RFC 1071): one's complement sum of 16-bit words. A range whose stored
 * checksum is right sums (folded) to 0xFFFF.
 */
final class InternetChecksum {
  private InternetChecksum() {}

  /** Adds {@code buf[from, to)} as big-endian 16-bit words (odd tail padded with zero) to sum. */
  static long add(long sum, byte[] buf, int from, int to) {
    int i = from;
    for (; i + 4 <= to; i += 4) {
      sum += Bytes.u32(buf, i);
    }
    for (; i + 2 <= to; i += 2) {
      sum += Bytes.u16(buf, i);
    }
    if (i < to) {
      sum += (buf[i] & 0xFF) << 8;
    }
    return sum;
  }

  /** Folds a running sum to 16 bits (not complemented). */
  static int fold(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) sum;
  }

  /** Pseudo-header sum (RFC 793 / RFC 8200 section 8.1) for IPv4 or IPv6 addresses at l3. */
  static long pseudoHeader(byte[] buf, int l3Offset, int ipVersion, int proto, int l4Length) {
    long sum;
    if (ipVersion == 4) {
      sum = add(0, buf, l3Offset + Ipv4View.SRC_OFFSET, l3Offset + Ipv4View.DST_OFFSET + 4);
    } else {
      sum = add(0, buf, l3Offset + Ipv6View.SRC_OFFSET, l3Offset + Ipv6View.DST_OFFSET + 16);
    }
    return sum + proto + (l4Length & 0xFFFF) + (l4Length >>> 16);
  }

  /** The checksum to store for a range whose checksum field is zero. */
  static int compute(long sum) {
    return ~fold(sum) & 0xFFFF;
  }
}

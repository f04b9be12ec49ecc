package io.mirrorsensor.decode;

/**
 * Text forms of IP addresses for output (never on the hot path): IPv4 dotted quad; IPv6 in the
 * RFC 5952 canonical form (lowercase, no leading zeros, the longest run of two or more zero
 * groups shortened to "::", the first such run on a tie, IPv4-mapped addresses as
 * {@code ::ffff:a.b.c.d} per section 5), which is what Suricata's EVE output shows.
 */
public final class IpText {
  private IpText() {}

  /**
   * Formats the address at {@code addr[off...]}: 4 bytes when {@code ipVersion} is 4, 16 when 6.
   */
  public static String format(byte[] addr, int off, int ipVersion) {
    StringBuilder sb = new StringBuilder(ipVersion == 4 ? 15 : 39);
    appendTo(sb, addr, off, ipVersion);
    return sb.toString();
  }

  /** Appends the text form of the address to {@code sb}. */
  public static StringBuilder appendTo(StringBuilder sb, byte[] addr, int off, int ipVersion) {
    if (ipVersion == 4) {
      return appendV4(sb, addr, off);
    }
    if (ipVersion != 6) {
      throw new IllegalArgumentException("ipVersion must be 4 or 6: " + ipVersion);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (group(addr, off, i) != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && group(addr, off, j) == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestStart = -1; // RFC 5952 section 4.2.2: a single zero group is not shortened
    }
    if (bestStart == 0 && bestLen == 5 && group(addr, off, 5) == 0xFFFF) {
      sb.append("::ffff:");
      return appendV4(sb, addr, off + 12);
    }
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (i > 0 && i != bestStart + bestLen) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(group(addr, off, i)));
    }
    return sb;
  }

  /**
   * IPv6 in the full form, eight zero-padded lowercase groups
   * ({@code 2607:f8b0:400a:0800:0000:0000:0000:200e}): what Suricata's EVE output wrote in
   * suricata-verify tests/community-id-ipv6/test.yaml. IPv4 is dotted as in {@link #format}.
   */
  public static String formatFull(byte[] addr, int off, int ipVersion) {
    if (ipVersion == 4) {
      return appendV4(new StringBuilder(15), addr, off).toString();
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i > 0) {
        sb.append(':');
      }
      String g = Integer.toHexString(group(addr, off, i));
      for (int pad = g.length(); pad < 4; pad++) {
        sb.append('0');
      }
      sb.append(g);
    }
    return sb.toString();
  }

  private static StringBuilder appendV4(StringBuilder sb, byte[] addr, int off) {
    return sb.append(addr[off] & 0xFF).append('.').append(addr[off + 1] & 0xFF).append('.')
        .append(addr[off + 2] & 0xFF).append('.').append(addr[off + 3] & 0xFF);
  }

  private static int group(byte[] addr, int off, int i) {
    return Bytes.u16(addr, off + 2 * i);
  }
}

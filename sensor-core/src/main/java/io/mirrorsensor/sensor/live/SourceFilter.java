package io.mirrorsensor.sensor.live;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The source allow-list: CIDRs (IPv4 and IPv6). An empty list allows every source. IPv4 checks
 * allocate nothing ({@link Inet4Address#hashCode()} is the address).
 */
final class SourceFilter {
  private final int[] v4Net;
  private final int[] v4Mask;
  private final byte[][] v6Net;
  private final int[] v6Bits;

  SourceFilter(List<String> cidrs) {
    int n4 = 0;
    int n6 = 0;
    for (String c : cidrs) {
      if (c.contains(":")) {
        n6++;
      } else {
        n4++;
      }
    }
    v4Net = new int[n4];
    v4Mask = new int[n4];
    v6Net = new byte[n6][];
    v6Bits = new int[n6];
    int i4 = 0;
    int i6 = 0;
    for (String c : cidrs) {
      int slash = c.indexOf('/');
      String addr = slash < 0 ? c : c.substring(0, slash);
      byte[] b;
      try {
        b = InetAddress.getByName(addr).getAddress(); // a literal: checked by ConfigLoader
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an address literal: " + c, e);
      }
      int bits = slash < 0 ? b.length * 8 : Integer.parseInt(c.substring(slash + 1));
      if (b.length == 4) {
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        v4Mask[i4] = mask;
        v4Net[i4++] = toInt(b) & mask;
      } else {
        v6Net[i6] = b;
        v6Bits[i6++] = bits;
      }
    }
  }

  boolean allowsAll() {
    return v4Net.length == 0 && v6Net.length == 0;
  }

  boolean allows(InetAddress a) {
    if (allowsAll()) {
      return true;
    }
    if (a instanceof Inet4Address) {
      int x = a.hashCode();
      for (int i = 0; i < v4Net.length; i++) {
        if ((x & v4Mask[i]) == v4Net[i]) {
          return true;
        }
      }
      return false;
    }
    byte[] b = a.getAddress();
    for (int i = 0; i < v6Net.length; i++) {
      if (prefixMatches(b, v6Net[i], v6Bits[i])) {
        return true;
      }
    }
    return false;
  }

  private static boolean prefixMatches(byte[] a, byte[] net, int bits) {
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != net[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (a[full] & mask) == (net[full] & mask);
  }

  private static int toInt(byte[] b) {
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }
}

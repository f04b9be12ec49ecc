package io.mirrorsensor.sensor.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test helper shared with the bench module's tests (through sensor-core's test-jar): checksum
 * checks written independently of {@link Frames}' own helpers.
 */
public final class Checksums {
  private Checksums() {}

  // --- Independent checks (RFC 1071 verification: the sum over the covered bytes, checksum
  // field included, is 0xFFFF), written without Frames' helpers.

  public static void assertIpv4HeaderChecksum(byte[] f, int ip) {
    int ihl = (f[ip] & 0x0F) * 4;
    assertEquals(0xFFFF, fold(words(f, ip, ihl)), "IPv4 header checksum");
  }

  public static void assertTransportChecksum(byte[] f, int ip) {
    long pseudo;
    int l4;
    int proto;
    int l4Len;
    if ((f[ip] >> 4) == 4) {
      proto = f[ip + 9] & 0xFF;
      l4 = ip + (f[ip] & 0x0F) * 4;
      l4Len = (((f[ip + 2] & 0xFF) << 8) | (f[ip + 3] & 0xFF)) - (l4 - ip);
      pseudo = words(f, ip + 12, 8) + proto + l4Len;
      if (proto == 1) {
        pseudo = 0;
      }
    } else {
      proto = f[ip + 6] & 0xFF;
      l4 = ip + 40;
      l4Len = ((f[ip + 4] & 0xFF) << 8) | (f[ip + 5] & 0xFF);
      pseudo = words(f, ip + 8, 32) + proto + l4Len;
    }
    assertEquals(f.length, l4 + l4Len, "lengths cover the frame");
    assertEquals(0xFFFF, fold(pseudo + words(f, l4, l4Len)), "checksum of protocol " + proto);
  }

  private static long words(byte[] b, int off, int len) {
    long s = 0;
    for (int i = 0; i < len; i++) {
      int v = b[off + i] & 0xFF;
      s += (i % 2 == 0) ? v << 8 : v;
    }
    return s;
  }

  private static int fold(long s) {
    while (s > 0xFFFF) {
      s = (s & 0xFFFF) + (s >> 16);
    }
    return (int) s;
  }
}

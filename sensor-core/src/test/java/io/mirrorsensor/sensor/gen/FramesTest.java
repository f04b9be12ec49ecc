package io.mirrorsensor.sensor.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FramesTest {
  static final byte[] C4 = Frames.ip("10.0.1.10");
  static final byte[] S4 = Frames.ip("10.0.2.20");
  static final byte[] C6 = Frames.ip("2001:db8:1::10");
  static final byte[] S6 = Frames.ip("2001:db8:2::20");
  static final byte[] DATA = "GET / HTTP/1.1\r\nHost: x\r\n\r\n!".getBytes(StandardCharsets.US_ASCII);

  @Test
  void ipv4TcpSynWithAllOptionsHasLinuxLayoutAndValidChecksums() {
    byte[] f =
        Frames.frame()
            .ipv4(C4, S4)
            .ipId(0x1234)
            .tcp(49152, 80)
            .flags(Frames.SYN)
            .seq(0xDEADBEEFL)
            .window(64240)
            .mss(1460)
            .sackPermitted()
            .timestamps(0x01020304L, 0)
            .windowScale(7)
            .build();
    assertEquals(14 + 20 + 40, f.length);
    ByteBuffer b = ByteBuffer.wrap(f);
    assertEquals(0x0800, b.getShort(12) & 0xFFFF);
    assertEquals(0x45, f[14]);
    assertEquals(60, b.getShort(16));
    assertEquals(0x1234, b.getShort(18));
    assertEquals(0x4000, b.getShort(20), "DF");
    assertEquals(64, f[22]);
    assertEquals(6, f[23]);
    assertEquals(0xDEADBEEF, b.getInt(34 + 4));
    assertEquals(0xA002, b.getShort(34 + 12) & 0xFFFF, "data offset 10 words, SYN");
    // MSS 1460, SACK-permitted + timestamps, NOP + window scale 7 (Linux order).
    assertArrayEquals(
        new byte[] {2, 4, 0x05, (byte) 0xB4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 7},
        Arrays.copyOfRange(f, 54, 74));
    Checksums.assertIpv4HeaderChecksum(f, 14);
    Checksums.assertTransportChecksum(f, 14);
  }

  @Test
  void everyProtocolAndVersionHasValidChecksums() {
    byte[][] frames = {
      Frames.frame().ipv4(C4, S4).tcp(1, 2).flags(Frames.PSH | Frames.ACK).seq(5).ack(9)
          .timestamps(7, 8).payload(DATA).build(),
      Frames.frame().ipv4(C4, S4).udp(53001, 53).payload(DATA).build(),
      Frames.frame().ipv4(C4, S4).icmpEchoRequest(7, 1).payload(DATA).build(),
      Frames.frame().ipv4(C4, S4).icmpEchoReply(7, 1).payload(DATA).build(),
      Frames.frame().ipv6(C6, S6).tcp(1, 2).flags(Frames.ACK).payload(DATA).build(),
      Frames.frame().ipv6(C6, S6).udp(5353, 53).payload(DATA).build(),
      Frames.frame().ipv6(C6, S6).icmpEchoRequest(7, 1).payload(DATA).build(),
      Frames.frame().ipv6(C6, S6).icmpEchoReply(7, 1).payload(DATA).build(),
      Frames.frame().vlan(100).ipv4(C4, S4).udp(40000, 7).payload(DATA).build(),
      Frames.frame().vlan(4000).ipv6(C6, S6).tcp(1, 2).payload(DATA, 0, 3).build(),
    };
    for (byte[] f : frames) {
      int ip = (f[12] & 0xFF) == 0x81 ? 18 : 14;
      if ((f[ip] >> 4) == 4) {
        Checksums.assertIpv4HeaderChecksum(f, ip);
      }
      Checksums.assertTransportChecksum(f, ip);
    }
    byte[] tagged = frames[8];
    assertEquals(0x8100, ByteBuffer.wrap(tagged).getShort(12) & 0xFFFF);
    assertEquals(100, ByteBuffer.wrap(tagged).getShort(14));
    assertEquals(0x0800, ByteBuffer.wrap(tagged).getShort(16));
    assertEquals(8, frames[2][34], "ICMP echo request type");
    assertEquals(0, frames[3][34], "ICMP echo reply type");
    assertEquals((byte) 128, frames[6][54], "ICMPv6 echo request type");
    assertEquals((byte) 129, frames[7][54], "ICMPv6 echo reply type");
  }

  @Test
  void vxlanWrapsAsAwsTrafficMirroring() {
    byte[] inner = Frames.frame().ipv4(C4, S4).tcp(49152, 80).flags(Frames.SYN).build();
    byte[] f = Frames.vxlan(Frames.ip("10.0.1.10"), Frames.ip("10.0.0.250"), 65440, 101, inner);
    ByteBuffer b = ByteBuffer.wrap(f);
    assertEquals(14 + 20 + 8 + 8 + inner.length, f.length);
    assertEquals(0x0800, b.getShort(12));
    assertEquals(0, b.getShort(18), "outer IP ID 0");
    assertEquals(0, b.getShort(20), "no DF");
    assertEquals((byte) 255, f[22], "outer TTL 255");
    assertEquals(17, f[23]);
    Checksums.assertIpv4HeaderChecksum(f, 14);
    assertEquals(65440, b.getShort(34) & 0xFFFF);
    assertEquals(4789, b.getShort(36));
    assertEquals(8 + 8 + inner.length, b.getShort(38));
    assertEquals(0, b.getShort(40), "outer UDP checksum 0");
    assertEquals(0x08000000, b.getInt(42), "VXLAN flags: I set, reserved 0");
    assertEquals(101 << 8, b.getInt(46), "VNI then reserved byte");
    assertArrayEquals(inner, Arrays.copyOfRange(f, 50, f.length));
  }

  @Test
  void vxlanSourcePortIsTheSameForBothDirectionsAndInAwsRange() {
    byte[] ab = Frames.frame().ipv4(C4, S4).tcp(49152, 80).build();
    byte[] ba = Frames.frame().ipv4(S4, C4).tcp(80, 49152).build();
    byte[] other = Frames.frame().ipv4(C4, S4).tcp(49153, 80).build();
    int p = Frames.vxlanSourcePort(ab, 0, ab.length);
    assertEquals(p, Frames.vxlanSourcePort(ba, 0, ba.length));
    assertTrue(p >= 0xFF80 && p <= 0xFFFF, "port " + p);
    int q = Frames.vxlanSourcePort(other, 0, other.length);
    assertTrue(q >= 0xFF80 && q <= 0xFFFF, "port " + q);
  }

  @Test
  void withTtlKeepsIpv4ChecksumValid() {
    byte[] f = Frames.frame().ipv4(C4, S4).udp(1, 2).payload(DATA).build();
    byte[] g = Frames.withTtl(f, 63);
    assertEquals(63, g[22]);
    Checksums.assertIpv4HeaderChecksum(g, 14);
    Checksums.assertTransportChecksum(g, 14);
  }

  @Test
  void dnsWireFormatMatchesRfc1035() {
    byte[] q = DnsWire.query(0x1a2b, "www.example.com", DnsWire.TYPE_A);
    assertArrayEquals(
        hex("1a2b 0100 0001 0000 0000 0000 03777777 076578616d706c65 03636f6d 00 0001 0001"),
        q);
    byte[] r =
        DnsWire.response(0x1a2b, "www.example.com", DnsWire.TYPE_A, 300, false,
            Frames.ip("93.184.216.34"));
    assertArrayEquals(
        hex("1a2b 8180 0001 0001 0000 0000 03777777 076578616d706c65 03636f6d 00 0001 0001"
            + " c00c 0001 0001 0000012c 0004 5db8d822"),
        r);
  }

  static byte[] hex(String s) {
    String d = s.replace(" ", "");
    byte[] b = new byte[d.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(d.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}

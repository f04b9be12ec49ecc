package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** FlowKey: symmetry, matching, ICMP pairing, hash quality, text forms. */
class FlowKeyTest {
  private final PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());

  private DecodedPacket decode(byte[] ipPacket) {
    DecodedPacket p = new DecodedPacket();
    decoder.decode(ipPacket, 0, ipPacket.length, ipPacket.length, LinkType.RAW, 0, p);
    return p;
  }

  private DecodedPacket tcp4(String s, int sp, String d, int dp) {
    return decode(ipv4(s, d, 6, tcp(sp, dp, 0x10, new byte[0])));
  }

  @Test
  void hashIsSymmetric() {
    DecodedPacket ab = tcp4("10.0.0.1", 40000, "10.0.0.2", 443);
    DecodedPacket ba = tcp4("10.0.0.2", 443, "10.0.0.1", 40000);
    assertEquals(FlowKey.hash(ab, 3), FlowKey.hash(ba, 3));
    assertNotEquals(FlowKey.hash(ab, 3), FlowKey.hash(ab, 4));
    DecodedPacket v6ab = decode(ipv6("2001:db8::1", "2001:db8::2", 17, udp(5, 6, new byte[0])));
    DecodedPacket v6ba = decode(ipv6("2001:db8::2", "2001:db8::1", 17, udp(6, 5, new byte[0])));
    assertEquals(FlowKey.hash(v6ab, 0), FlowKey.hash(v6ba, 0));
  }

  @Test
  void hashDistinguishesSwappedPortsOnly() {
    // same endpoints set {A:1, B:2} vs {A:2, B:1} are different flows
    DecodedPacket x = tcp4("10.0.0.1", 1, "10.0.0.2", 2);
    DecodedPacket y = tcp4("10.0.0.1", 2, "10.0.0.2", 1);
    assertNotEquals(FlowKey.hash(x, 0), FlowKey.hash(y, 0));
    assertFalse(FlowKey.of(x, 0).matches(y, 0));
  }

  @Test
  void instanceHashEqualsStaticHashForBothDirections() {
    DecodedPacket ab = tcp4("10.0.0.1", 40000, "10.0.0.2", 443);
    DecodedPacket ba = tcp4("10.0.0.2", 443, "10.0.0.1", 40000);
    FlowKey k = FlowKey.of(ab, 9);
    assertEquals(FlowKey.hash(ab, 9), k.hash());
    assertEquals(FlowKey.hash(ba, 9), k.hash());
    assertEquals(k, FlowKey.of(ba, 9));
    assertEquals(k.hashCode(), FlowKey.of(ba, 9).hashCode());
  }

  @Test
  void matchesEitherDirectionAndTellsWhich() {
    DecodedPacket ab = tcp4("10.0.0.1", 40000, "10.0.0.2", 443);
    DecodedPacket ba = tcp4("10.0.0.2", 443, "10.0.0.1", 40000);
    FlowKey k = FlowKey.of(ab, 1);
    assertTrue(k.matches(ab, 1));
    assertTrue(k.matches(ba, 1));
    assertFalse(k.matches(ab, 2));
    assertFalse(k.matches(tcp4("10.0.0.1", 40001, "10.0.0.2", 443), 1));
    assertFalse(k.matches(decode(ipv4("10.0.0.1", "10.0.0.2", 17, udp(40000, 443, new byte[0]))), 1));
    assertTrue(k.isFromSrc(ab));
    assertFalse(k.isFromSrc(ba));
  }

  @Test
  void keyStoresTupleAsSeen() {
    FlowKey k = FlowKey.of(tcp4("10.0.0.2", 443, "10.0.0.1", 40000), 7);
    assertEquals(7, k.network());
    assertEquals(4, k.ipVersion());
    assertEquals(6, k.proto());
    assertEquals("10.0.0.2", k.srcIp());
    assertEquals(443, k.srcPort());
    assertEquals("10.0.0.1", k.dstIp());
    assertEquals(40000, k.dstPort());
    byte[] a = k.srcAddr();
    assertArrayEquals(ip("10.0.0.2"), a);
    a[0] = 99;
    assertEquals("10.0.0.2", k.srcIp()); // a copy
  }

  @Test
  void icmpEchoRequestAndReplyAreOneFlow() {
    DecodedPacket req = decode(ipv4("10.0.0.1", "10.0.0.2", 1, icmp(8, 0, 77, 1, new byte[0])));
    DecodedPacket rep = decode(ipv4("10.0.0.2", "10.0.0.1", 1, icmp(0, 0, 77, 1, new byte[0])));
    assertEquals(FlowKey.hash(req, 0), FlowKey.hash(rep, 0));
    FlowKey k = FlowKey.of(req, 0);
    assertTrue(k.matches(rep, 0));
    assertFalse(k.isFromSrc(rep));
    assertEquals(8, k.srcPort());
    assertEquals(0, k.dstPort()); // the counterpart type
    DecodedPacket q6 = decode(ipv6("fe80::1", "fe80::2", 58, icmp(128, 0, 1, 1, new byte[0])));
    DecodedPacket r6 = decode(ipv6("fe80::2", "fe80::1", 58, icmp(129, 0, 1, 1, new byte[0])));
    assertTrue(FlowKey.of(q6, 0).matches(r6, 0));
    assertEquals(FlowKey.hash(q6, 0), FlowKey.hash(r6, 0));
  }

  @Test
  void oneWayIcmpTypesUseTheCode() {
    DecodedPacket unreachPort = decode(ipv4("10.0.0.9", "10.0.0.1", 1, icmp(3, 3, 0, 0, new byte[0])));
    DecodedPacket unreachHost = decode(ipv4("10.0.0.9", "10.0.0.1", 1, icmp(3, 1, 0, 0, new byte[0])));
    FlowKey k = FlowKey.of(unreachPort, 0);
    assertEquals(3, k.srcPort());
    assertEquals(3, k.dstPort());
    assertFalse(k.matches(unreachHost, 0));
  }

  @Test
  void hashSpreadsFlowsEvenlyOverBuckets() {
    Random r = new Random(42);
    int buckets = 256;
    int n = 64 * buckets;
    int[] low = new int[buckets];
    int[] high = new int[buckets];
    Set<Long> distinct = new HashSet<>();
    DecodedPacket p = tcp4("10.0.0.1", 1, "10.0.0.2", 2);
    for (int i = 0; i < n; i++) {
      // typical VPC traffic: one /16, ephemeral client ports, few server ports
      p.srcAddr[2] = (byte) r.nextInt(256);
      p.srcAddr[3] = (byte) r.nextInt(256);
      p.srcPort = 32768 + r.nextInt(28000);
      p.dstPort = r.nextBoolean() ? 443 : 80;
      long h = FlowKey.hash(p, 0);
      distinct.add(h);
      low[(int) (h & (buckets - 1))]++;
      high[(int) (h >>> 56)]++;
    }
    assertTrue(distinct.size() > n - 5, "collisions: " + (n - distinct.size()));
    for (int b = 0; b < buckets; b++) {
      assertTrue(low[b] > 32 && low[b] < 110, "low bits bucket " + b + ": " + low[b]);
      assertTrue(high[b] > 32 && high[b] < 110, "high bits bucket " + b + ": " + high[b]);
    }
  }

  @Test
  void ipv6TextIsRfc5952Canonical() {
    String[][] cases = {
        {"2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"}, // first of equal runs
        {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"}, // the longest run
        {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}, // one zero group stays
        {"0:0:0:0:0:0:0:0", "::"},
        {"0:0:0:0:0:0:0:1", "::1"},
        {"2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:0AAA", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaa"},
        {"2001:db8:0:0:0:0:0:0", "2001:db8::"},
        {"fe80:0:0:0:200:86ff:fe05:80da", "fe80::200:86ff:fe05:80da"},
    };
    for (String[] c : cases) {
      assertEquals(c[1], IpText.format(ip(c[0]), 0, 6), c[0]);
    }
    byte[] mapped = hex("00000000 00000000 0000ffff c0000201");
    assertEquals("::ffff:192.0.2.1", IpText.format(mapped, 0, 6));
    assertEquals("192.0.2.1", IpText.format(ip("192.0.2.1"), 0, 4));
  }

  @Test
  void fullIpv6FormMatchesSuricataEve() {
    // suricata-verify tests/community-id-ipv6/test.yaml: dest_ip as Suricata wrote it
    assertEquals("2607:f8b0:400a:0800:0000:0000:0000:200e",
        IpText.formatFull(ip("2607:f8b0:400a:800::200e"), 0, 6));
    assertEquals("10.0.0.1", IpText.formatFull(ip("10.0.0.1"), 0, 4));
  }

  @Test
  void flowKeyIpv6TextFromDecodedPacket() {
    DecodedPacket p = decode(ipv6("2001:4860:4860::8888", "2a00:1450:4001:0809:0000:0000:0000:200e",
        6, tcp(443, 5555, 0x10, new byte[0])));
    FlowKey k = FlowKey.of(p, 0);
    assertEquals("2001:4860:4860::8888", k.srcIp());
    assertEquals("2a00:1450:4001:809::200e", k.dstIp());
    assertEquals(16, k.dstAddr().length);
  }
}

package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One byte fixture per anomaly id: each must produce its anomaly on the last frame it decodes
 * and count it. A new anomaly without a fixture fails {@link #everyAnomalyHasAFixture}.
 */
class AnomalyCatalogTest {
  private static final long SEC = 1_000_000_000L;
  private static final DecoderConfig DEFAULTS = DecoderConfig.defaults();
  private static final DecoderConfig VALIDATE = DEFAULTS.withValidateChecksums(true);
  private static final byte[] SYN = tcp(1, 2, 0x02, new byte[0]);
  private static final byte[] V4_SYN = ipv4("10.0.0.1", "10.0.0.2", 6, SYN);
  private static final byte[] V6_SYN = ipv6("2001:db8::1", "2001:db8::2", 6, SYN);
  private static final byte[] BIG_UDP = ipv4(ip("10.0.0.1"), ip("10.0.0.2"), 17, 64, 77, 0,
      new byte[0], udp(1, 2, bytes(1200, 0)));
  private static final byte[] BIG_UDP6 = ipv6("2001:db8::1", "2001:db8::2", 17,
      udp(1, 2, bytes(1200, 0)));

  /** Frames decoded in order; the last must carry the anomaly. */
  record Case(DecoderConfig config, int linkType, int capLenOfLast, List<byte[]> frames) {
    static Case eth(byte[]... frames) {
      return new Case(DEFAULTS, LinkType.ETHERNET, -1, List.of(frames));
    }

    static Case raw(byte[]... frames) {
      return new Case(DEFAULTS, LinkType.RAW, -1, List.of(frames));
    }

    Case with(DecoderConfig c) {
      return new Case(c, linkType, capLenOfLast, frames);
    }

    Case link(int lt) {
      return new Case(config, lt, capLenOfLast, frames);
    }

    Case capLen(int n) {
      return new Case(config, linkType, n, frames);
    }
  }

  private static byte[] patched(byte[] b, int at, int value) {
    byte[] c = b.clone();
    c[at] = (byte) value;
    return c;
  }

  private static byte[] v4(byte[] l4, int proto) {
    return ipv4("10.0.0.1", "10.0.0.2", proto, l4);
  }

  private static byte[] v4Frag(int offsetUnits, boolean more, byte[] payload) {
    return ipv4(ip("10.0.0.1"), ip("10.0.0.2"), 17, 64, 5, (more ? 0x2000 : 0) | offsetUnits,
        new byte[0], payload);
  }

  static Map<Anomaly, Case> cases() {
    Map<Anomaly, Case> m = new EnumMap<>(Anomaly.class);
    byte[] vx = awsMirror(1, 1, Frames.eth(0x0800, V4_SYN));
    int vxFlags = 14 + 20 + 8;
    List<byte[]> frags = fragmentV4(BIG_UDP, 600);
    m.put(Anomaly.PACKET_TRUNCATED, Case.eth(Frames.eth(0x0800, V4_SYN)).capLen(20));
    m.put(Anomaly.ETHERNET_TRUNCATED, Case.eth(hex("0102030405")));
    m.put(Anomaly.VXLAN_I_FLAG_CLEAR, Case.eth(patched(vx, vxFlags, 0)));
    m.put(Anomaly.IPV4_HLEN_TOO_SMALL, Case.raw(patched(V4_SYN, 0, 0x43)));
    byte[] longTcp = SYN.clone();
    longTcp[12] = (byte) 0x80;
    m.put(Anomaly.TCP_HLEN_EXCEEDS_PACKET, Case.raw(v4(longTcp, 6)));
    m.put(Anomaly.PACKET_IP_VERSION_INVALID, Case.raw(patched(V4_SYN, 0, 0x15)));
    m.put(Anomaly.LINK_TRUNCATED, Case.raw(hex("0000")).link(LinkType.LINUX_SLL2));
    m.put(Anomaly.VLAN_TOO_MANY_TAGS,
        Case.eth(ethTagged(0x0800, V4_SYN, 0x8100, 1, 0x8100, 2, 0x8100, 3))
            .with(new DecoderConfig(new int[] {4789}, false, 4, 2, 8, true, 256, 70_000,
                1 << 20, 64, 30 * SEC)));
    m.put(Anomaly.VXLAN_RESERVED_BITS_SET, Case.eth(patched(vx, vxFlags + 7, 1)));
    m.put(Anomaly.VXLAN_TOO_DEEP, Case.eth(vx).with(DEFAULTS.withMaxTunnelDepth(0)));
    m.put(Anomaly.VXLAN_TRUNCATED, Case.raw(v4(udp(1, 4789, hex("0800")), 17)));
    byte[] gw = gwlbMirror(0x0123456789abcdefL, 0x1122334455667788L, 0xcafe, 7,
        Frames.eth(0x0800, V4_SYN));
    int gFlags = 14 + 20 + 8;
    m.put(Anomaly.GENEVE_TRUNCATED, Case.raw(v4(udp(1, 6081, hex("00000800")), 17)));
    m.put(Anomaly.GENEVE_VERSION_UNSUPPORTED, Case.eth(patched(gw, gFlags, 0x40 | 10)));
    // Opt Len 1 word: an option header whose data (Length 2 words) runs past it
    m.put(Anomaly.GENEVE_OPT_LEN_INVALID, Case.raw(v4(udp(1, 6081,
        geneve(0x0800, hex("0108 01 02"), V4_SYN)), 17)));
    m.put(Anomaly.GENEVE_CRITICAL_OPTION_UNKNOWN, Case.raw(v4(udp(1, 6081,
        geneve(0x0800, geneveOption(0x0999, 0x81, hex("00000000")), V4_SYN)), 17)));
    m.put(Anomaly.GENEVE_AWS_OPTION_INVALID, Case.raw(v4(udp(1, 6081,
        geneve(0x0800, geneveOption(0x0108, 3, hex("0000000000000001")), V4_SYN)), 17)));
    m.put(Anomaly.GENEVE_PROTOCOL_UNSUPPORTED, Case.raw(v4(udp(1, 6081,
        geneve(0x0806, new byte[0], bytes(28, 0))), 17)));
    m.put(Anomaly.GENEVE_TOO_DEEP, Case.eth(gw).with(DEFAULTS.withMaxTunnelDepth(0)));
    m.put(Anomaly.IPV4_TRUNCATED, Case.raw(java.util.Arrays.copyOf(V4_SYN, 19)));
    m.put(Anomaly.IPV4_VERSION_INVALID, Case.eth(Frames.eth(0x0800, patched(V4_SYN, 0, 0x65))));
    m.put(Anomaly.IPV4_TOTAL_LEN_TOO_SMALL, Case.raw(patched(V4_SYN, 3, 10)));
    m.put(Anomaly.IPV4_OPT_INVALID_LEN, Case.raw(ipv4(ip("10.0.0.1"), ip("10.0.0.2"), 6, 64, 1,
        0, hex("07 20 00 00"), SYN)));
    m.put(Anomaly.IPV4_RESERVED_FLAG_SET, Case.raw(ipv4(ip("10.0.0.1"), ip("10.0.0.2"), 6, 64,
        1, 0x8000, new byte[0], SYN)));
    m.put(Anomaly.IPV4_CHECKSUM_INVALID, Case.raw(patched(V4_SYN, 8, 1)).with(VALIDATE));
    m.put(Anomaly.IPV4_FRAG_OVERLAP, Case.raw(frags.get(0), frags.get(0)));
    m.put(Anomaly.IPV4_FRAG_INVALID, Case.raw(v4Frag(8190, true, bytes(64, 0))));
    m.put(Anomaly.IPV6_TRUNCATED, Case.raw(java.util.Arrays.copyOf(V6_SYN, 39)));
    m.put(Anomaly.IPV6_VERSION_INVALID, Case.eth(Frames.eth(0x86DD, patched(V6_SYN, 0, 0x45))));
    m.put(Anomaly.IPV6_EXT_CHAIN_TOO_LONG, Case.raw(ipv6(ip("2001:db8::1"), ip("2001:db8::2"),
        60, ext(6, 1), 6, SYN)).with(DEFAULTS.withMaxIpv6ExtHeaders(0)));
    byte[] badExt = ext(6, 1);
    badExt[1] = 9;
    m.put(Anomaly.IPV6_EXT_LEN_INVALID, Case.raw(ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 60,
        badExt, 6, SYN)));
    m.put(Anomaly.IPV6_HOP_BY_HOP_NOT_FIRST, Case.raw(ipv6(ip("2001:db8::1"),
        ip("2001:db8::2"), 60, concat(ext(0, 1), ext(6, 1)), 6, SYN)));
    byte[] rh0 = ext(6, 3);
    m.put(Anomaly.IPV6_RH0, Case.raw(ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 43, rh0, 6, SYN)));
    byte[] f6 = fragV6(BIG_UDP6, 9, 0, 600, true);
    m.put(Anomaly.IPV6_FRAG_OVERLAP, Case.raw(f6, f6));
    byte[] f6bad = fragV6(BIG_UDP6, 9, 0, 600, true);
    put16(f6bad, 42, 0xFFF8 | 1); // offset 65528 + 600 bytes
    m.put(Anomaly.IPV6_FRAG_INVALID, Case.raw(f6bad));
    List<byte[]> other = fragmentV4(ipv4(ip("10.0.0.9"), ip("10.0.0.2"), 17, 64, 78, 0,
        new byte[0], udp(1, 2, bytes(1200, 0))), 600);
    m.put(Anomaly.FRAGMENT_TABLE_FULL, Case.raw(frags.get(0), other.get(0))
        .with(DEFAULTS.withFragmentLimits(1, 70_000, 1 << 20, 64, 30 * SEC)));
    m.put(Anomaly.FRAGMENT_DATAGRAM_TOO_LARGE, Case.raw(frags.get(0), frags.get(1))
        .with(DEFAULTS.withFragmentLimits(8, 700, 1 << 20, 64, 30 * SEC)));
    m.put(Anomaly.FRAGMENT_MEMORY_EXHAUSTED, Case.raw(frags.get(0), other.get(0))
        .with(DEFAULTS.withFragmentLimits(8, 2048, 2048, 64, 30 * SEC)));
    m.put(Anomaly.FRAGMENT_TOO_MANY, Case.raw(Frames.fragV4(BIG_UDP, 20, 0, 8, true),
        Frames.fragV4(BIG_UDP, 20, 16, 24, true))
        .with(DEFAULTS.withFragmentLimits(8, 70_000, 1 << 20, 1, 30 * SEC)));
    m.put(Anomaly.TCP_TRUNCATED, Case.raw(v4(bytes(19, 0), 6)));
    m.put(Anomaly.TCP_HLEN_TOO_SMALL, Case.raw(v4(patched(SYN, 12, 0x30), 6)));
    m.put(Anomaly.TCP_OPT_INVALID_LEN, // MSS with length 3 (RFC 9293: 4)
        Case.raw(v4(tcp(1, 2, 0, 0, 2, 1, hex("02030000"), new byte[0]), 6)));
    m.put(Anomaly.TCP_OPT_WSCALE_INVALID,
        Case.raw(v4(tcp(1, 2, 0, 0, 2, 1, hex("03031e00"), new byte[0]), 6)));
    m.put(Anomaly.TCP_CHECKSUM_INVALID, Case.raw(patched(V4_SYN, 36, 0)).with(VALIDATE));
    m.put(Anomaly.UDP_TRUNCATED, Case.raw(v4(bytes(7, 0), 17)));
    byte[] badUdp = udp(1, 2, bytes(4, 0));
    put16(badUdp, 4, 3);
    m.put(Anomaly.UDP_LEN_INVALID, Case.raw(v4(badUdp, 17)));
    byte[] udpSum = v4(udp(1, 2, bytes(4, 0)), 17);
    m.put(Anomaly.UDP_CHECKSUM_INVALID,
        Case.raw(patched(udpSum, udpSum.length - 1, 0x77)).with(VALIDATE));
    m.put(Anomaly.SCTP_TRUNCATED, Case.raw(v4(bytes(11, 0), 132)));
    m.put(Anomaly.ICMP_TRUNCATED, Case.raw(v4(bytes(7, 0), 1)));
    byte[] ic = v4(icmp(8, 0, 1, 2, bytes(4, 0)), 1);
    m.put(Anomaly.ICMP_CHECKSUM_INVALID, Case.raw(patched(ic, ic.length - 1, 0x77)).with(VALIDATE));
    m.put(Anomaly.ICMPV6_TRUNCATED, Case.raw(ipv6("fe80::1", "fe80::2", 58, bytes(7, 0))));
    byte[] ic6 = ipv6("fe80::1", "fe80::2", 58, icmp(128, 0, 1, 2, bytes(4, 0)));
    m.put(Anomaly.ICMPV6_CHECKSUM_INVALID,
        Case.raw(patched(ic6, ic6.length - 1, 0x77)).with(VALIDATE));
    return m;
  }

  @Test
  void everyAnomalyHasAFixture() {
    Set<Anomaly> missing = new HashSet<>(List.of(Anomaly.values()));
    missing.removeAll(cases().keySet());
    assertTrue(missing.isEmpty(), "anomalies without a fixture: " + missing);
  }

  @TestFactory
  Stream<DynamicTest> eachFixtureRaisesItsAnomaly() {
    return cases().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().id(), () -> {
      Case c = e.getValue();
      PacketDecoder d = new PacketDecoder(c.config());
      DecodedPacket out = new DecodedPacket();
      for (int i = 0; i < c.frames().size(); i++) {
        byte[] f = c.frames().get(i);
        boolean last = i == c.frames().size() - 1;
        int cap = last && c.capLenOfLast() >= 0 ? c.capLenOfLast() : f.length;
        d.decode(f, 0, cap, f.length, c.linkType(), i, out);
      }
      assertTrue(out.hasAnomaly(e.getKey()), "anomalies: "
          + java.util.Arrays.toString(java.util.Arrays.copyOf(out.anomalies, out.anomalyCount)));
      assertTrue(d.counters().anomaly(e.getKey()) >= 1);
    }));
  }

  @Test
  void idsAreStableSnakeCaseAndUnique() {
    Set<String> ids = new HashSet<>();
    for (Anomaly a : Anomaly.values()) {
      assertTrue(a.id().matches("[a-z0-9]+\\.[a-z0-9_]+"), a.id());
      assertTrue(ids.add(a.id()), "duplicate " + a.id());
      assertSame(a, Anomaly.byId(a.id()));
      assertEquals(a.id().substring(0, a.id().indexOf('.')), a.layer());
    }
    // the first contract's ids never change
    assertEquals("packet.truncated", Anomaly.PACKET_TRUNCATED.id());
    assertEquals("ethernet.truncated", Anomaly.ETHERNET_TRUNCATED.id());
    assertEquals("vxlan.i_flag_clear", Anomaly.VXLAN_I_FLAG_CLEAR.id());
    assertEquals("ipv4.hlen_too_small", Anomaly.IPV4_HLEN_TOO_SMALL.id());
    assertEquals("tcp.hlen_exceeds_packet", Anomaly.TCP_HLEN_EXCEEDS_PACKET.id());
  }

  @Test
  void countersAggregateAndReset() {
    PacketDecoder d = new PacketDecoder(DEFAULTS);
    DecodedPacket out = new DecodedPacket();
    byte[] f = Frames.eth(0x0800, V4_SYN);
    d.decode(f, 0, f.length, f.length, 1, 0, out);
    byte[] bad = patched(V4_SYN, 0, 0x43);
    d.decode(bad, 0, bad.length, bad.length, LinkType.RAW, 0, out);
    DecodeCounters c = d.counters();
    assertEquals(2, c.get(DecodeCounter.PACKETS));
    assertEquals(1, c.get(DecodeCounter.ETHERNET));
    assertEquals(1, c.get(DecodeCounter.IPV4));
    assertEquals(1, c.get(DecodeCounter.TCP));
    assertEquals(1, c.get(DecodeCounter.MALFORMED));
    assertEquals(1, c.anomaly(Anomaly.IPV4_HLEN_TOO_SMALL));
    assertEquals(1, c.totalAnomalies());
    DecodeCounters sum = new DecodeCounters();
    c.addTo(sum);
    c.addTo(sum);
    assertEquals(4, sum.get(DecodeCounter.PACKETS));
    assertEquals(2, sum.anomaly(Anomaly.IPV4_HLEN_TOO_SMALL));
    c.reset();
    assertEquals(0, c.get(DecodeCounter.PACKETS));
    assertEquals(0, c.totalAnomalies());
  }

  @Test
  void anomaliesBeyondTheListAreStillCounted() {
    DecodedPacket p = new DecodedPacket();
    for (int i = 0; i < DecodedPacket.MAX_ANOMALIES + 3; i++) {
      p.addAnomaly(Anomaly.TCP_OPT_INVALID_LEN);
    }
    assertEquals(DecodedPacket.MAX_ANOMALIES + 3, p.anomalyCount);
    assertTrue(p.hasAnomaly(Anomaly.TCP_OPT_INVALID_LEN));
  }
}

package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IPv4 and IPv6 fragment reassembly: order, overlaps, timeouts by packet time, bounds. */
class FragmentReassemblyTest {
  private static final long SEC = 1_000_000_000L;
  private final DecodedPacket out = new DecodedPacket();
  private final PacketDecoder decoder =
      new PacketDecoder(DecoderConfig.defaults().withValidateChecksums(true));

  /** A UDP datagram of 1200 payload bytes in an IPv4 packet with id 0x4242. */
  private static byte[] bigUdp4(int id, int seed) {
    return ipv4(ip("10.0.0.1"), ip("10.0.0.2"), 17, 64, id, 0, new byte[0],
        udp(1111, 2222, bytes(1200, seed)));
  }

  private DecodeStatus feed(PacketDecoder d, byte[] ipPacket, long ts) {
    return d.decode(ipPacket, 0, ipPacket.length, ipPacket.length, LinkType.RAW, ts, out);
  }

  private DecodeStatus feed(byte[] ipPacket, long ts) {
    return feed(decoder, ipPacket, ts);
  }

  private void assertWholeUdp(byte[] original) {
    assertTrue(out.reassembled);
    assertFalse(out.fragment);
    assertEquals(DecodeStatus.OK, out.status);
    assertEquals(17, out.ipProto);
    assertEquals(1111, out.srcPort);
    assertEquals(original.length, out.ipWireLength);
    assertEquals(1200, out.payloadLength);
    byte[] payload = Arrays.copyOfRange(out.buf, out.payloadOffset, out.payloadOffset + 1200);
    assertArrayEquals(Arrays.copyOfRange(original, 28, original.length), payload);
    assertFalse(out.hasAnomaly(Anomaly.UDP_CHECKSUM_INVALID)); // checksum over the whole
    assertFalse(out.hasAnomaly(Anomaly.IPV4_CHECKSUM_INVALID)); // rebuilt header checksum
  }

  @Test
  void reassemblesInOrder() {
    byte[] p = bigUdp4(0x4242, 1);
    List<byte[]> frags = fragmentV4(p, 400, 800);
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(frags.get(0), 1));
    assertTrue(out.fragment || out.status == DecodeStatus.FRAGMENT_HELD);
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(frags.get(1), 2));
    assertEquals(1, decoder.fragmentsInProgress());
    assertEquals(DecodeStatus.OK, feed(frags.get(2), 3));
    assertWholeUdp(p);
    assertNotSame(frags.get(2), out.buf);
    assertEquals(0, decoder.fragmentsInProgress());
    assertEquals(1, decoder.counters().get(DecodeCounter.FRAGMENTS_REASSEMBLED));
    assertEquals(3, decoder.counters().get(DecodeCounter.FRAGMENTS_HELD));
  }

  @Test
  void reassemblesOutOfOrder() {
    byte[] p = bigUdp4(7, 2);
    List<byte[]> f = fragmentV4(p, 400, 800);
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(2), 1));
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(0), 2));
    assertEquals(DecodeStatus.OK, feed(f.get(1), 3));
    assertWholeUdp(p);
  }

  @Test
  void overlapKeepsFirstBytesAndIsCounted() {
    byte[] p = bigUdp4(8, 3);
    int hl = 20;
    byte[] first = fragV4(p, hl, 0, 808, true);
    // overlapping second fragment [400, 1208) carrying different bytes in the overlap
    byte[] evil = p.clone();
    Arrays.fill(evil, hl + 400, hl + 808, (byte) 0xEE);
    byte[] second = fragV4(evil, hl, 400, 1208, false);
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(first, 1));
    assertEquals(DecodeStatus.OK, feed(second, 2));
    assertTrue(out.hasAnomaly(Anomaly.IPV4_FRAG_OVERLAP));
    assertWholeUdp(p); // the original bytes won
    assertEquals(1, decoder.counters().anomaly(Anomaly.IPV4_FRAG_OVERLAP));
  }

  @Test
  void timesOutByPacketTimeNotWallClock() {
    byte[] p = bigUdp4(9, 4);
    List<byte[]> f = fragmentV4(p, 600);
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(0), 100 * SEC));
    // 31 s of packet time later (default timeout 30 s): the first fragment is gone
    byte[] other = ipv4("10.9.9.9", "10.9.9.8", 17, udp(1, 2, new byte[0]));
    feed(other, 131 * SEC);
    assertEquals(0, decoder.fragmentsInProgress());
    assertEquals(1, decoder.counters().get(DecodeCounter.FRAGMENTS_TIMED_OUT));
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(1), 131 * SEC));
  }

  @Test
  void completesJustBeforeTimeout() {
    byte[] p = bigUdp4(10, 5);
    List<byte[]> f = fragmentV4(p, 600);
    feed(f.get(0), 100 * SEC);
    assertEquals(DecodeStatus.OK, feed(f.get(1), 130 * SEC - 1));
    assertWholeUdp(p);
  }

  @Test
  void fullTableEvictsOldest() {
    PacketDecoder small = new PacketDecoder(DecoderConfig.defaults()
        .withFragmentLimits(2, 70_000, 1 << 20, 64, 30 * SEC));
    List<byte[]> a = fragmentV4(bigUdp4(1, 1), 600);
    List<byte[]> b = fragmentV4(bigUdp4(2, 2), 600);
    List<byte[]> c = fragmentV4(bigUdp4(3, 3), 600);
    feed(small, a.get(0), 1);
    feed(small, b.get(0), 2);
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(small, c.get(0), 3));
    assertTrue(out.hasAnomaly(Anomaly.FRAGMENT_TABLE_FULL));
    assertEquals(1, small.counters().get(DecodeCounter.FRAGMENTS_EVICTED));
    assertEquals(2, small.fragmentsInProgress());
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(small, a.get(1), 4)); // a was evicted
    assertEquals(DecodeStatus.OK, feed(small, c.get(1), 5));
  }

  @Test
  void datagramLargerThanBoundIsDroppedAndPassedOn() {
    PacketDecoder small = new PacketDecoder(DecoderConfig.defaults()
        .withFragmentLimits(8, 1000, 1 << 20, 64, 30 * SEC));
    List<byte[]> f = fragmentV4(bigUdp4(4, 4), 600);
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(small, f.get(0), 1));
    assertEquals(DecodeStatus.OK, feed(small, f.get(1), 2));
    assertTrue(out.hasAnomaly(Anomaly.FRAGMENT_DATAGRAM_TOO_LARGE));
    assertTrue(out.fragment);
    assertFalse(out.reassembled);
    assertEquals(600, out.fragmentOffset);
    assertEquals(-1, out.l4Offset);
    assertEquals(0, small.fragmentsInProgress());
  }

  @Test
  void memoryBoundEvictsOldestDatagram() {
    PacketDecoder small = new PacketDecoder(DecoderConfig.defaults()
        .withFragmentLimits(8, 2048, 4096, 64, 30 * SEC));
    feed(small, fragmentV4(bigUdp4(1, 1), 600).get(0), 1);
    feed(small, fragmentV4(bigUdp4(2, 2), 600).get(0), 2);
    assertTrue(small.reassemblyBytesRetained() <= 4096);
    feed(small, fragmentV4(bigUdp4(3, 3), 600).get(0), 3);
    assertTrue(out.hasAnomaly(Anomaly.FRAGMENT_MEMORY_EXHAUSTED));
    assertTrue(small.reassemblyBytesRetained() <= 4096);
    assertEquals(2, small.fragmentsInProgress());
    assertEquals(1, small.counters().get(DecodeCounter.FRAGMENTS_EVICTED));
  }

  @Test
  void boundsPiecesPerDatagram() {
    PacketDecoder small = new PacketDecoder(DecoderConfig.defaults()
        .withFragmentLimits(8, 70_000, 1 << 20, 2, 30 * SEC));
    byte[] p = bigUdp4(5, 5);
    feed(small, fragV4(p, 20, 0, 8, true), 1);
    feed(small, fragV4(p, 20, 16, 24, true), 2);
    feed(small, fragV4(p, 20, 32, 40, true), 3); // a third disjoint piece
    assertTrue(out.hasAnomaly(Anomaly.FRAGMENT_TOO_MANY));
    assertEquals(0, small.fragmentsInProgress());
  }

  @Test
  void rejectsFragmentPastKnownEnd() {
    byte[] p = bigUdp4(6, 6);
    byte[] longer = Arrays.copyOf(p, p.length + 16);
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(fragV4(longer, 20, 600, 1208, false), 1));
    feed(fragV4(longer, 20, 1208, 1224, true), 2); // data beyond the last fragment's end
    assertTrue(out.hasAnomaly(Anomaly.IPV4_FRAG_INVALID));
    assertTrue(out.fragment);
    feed(fragV4(longer, 20, 8, 608, false), 3); // a second, different "last" fragment
    assertTrue(out.hasAnomaly(Anomaly.IPV4_FRAG_INVALID));
    assertEquals(2, decoder.counters().anomaly(Anomaly.IPV4_FRAG_INVALID));
  }

  @Test
  void rejectsFragmentPast65535() {
    byte[] p = bigUdp4(6, 6);
    byte[] f = fragV4(p, 20, 0, 600, true);
    put16(f, 6, 0x2000 | 8190); // offset 65520 + 600
    put16(f, 10, 0);
    put16(f, 10, checksum(f, 0, 20, 0));
    feed(f, 1);
    assertTrue(out.hasAnomaly(Anomaly.IPV4_FRAG_INVALID));
  }

  @Test
  void reassemblyOffFlagsFragmentsAndDecodesFirstTransport() {
    PacketDecoder off = new PacketDecoder(DecoderConfig.defaults().withReassembly(false));
    List<byte[]> f = fragmentV4(bigUdp4(11, 1), 600);
    assertEquals(DecodeStatus.OK, feed(off, f.get(0), 1));
    assertTrue(out.fragment);
    assertTrue(out.moreFragments);
    assertEquals(1111, out.srcPort);
    assertEquals(1200, out.payloadWireLength); // from the UDP length: the whole datagram
    assertFalse(out.hasAnomaly(Anomaly.UDP_LEN_INVALID));
    assertFalse(out.hasFlowKey());
    assertEquals(DecodeStatus.OK, feed(off, f.get(1), 2));
    assertTrue(out.fragment);
    assertEquals(600, out.fragmentOffset);
    assertEquals(-1, out.l4Offset);
    assertEquals(2, off.counters().get(DecodeCounter.FRAGMENTS));
  }

  @Test
  void truncatedFragmentIsNotHeld() {
    List<byte[]> f = fragmentV4(bigUdp4(12, 1), 600);
    byte[] first = f.get(0);
    assertEquals(DecodeStatus.OK,
        decoder.decode(first, 0, 100, first.length, LinkType.RAW, 1, out));
    assertTrue(out.fragment);
    assertEquals(1, decoder.counters().get(DecodeCounter.FRAGMENTS_NOT_HELD));
    assertEquals(0, decoder.fragmentsInProgress());
  }

  @Test
  void reassemblesOuterFragmentsCarryingVxlan() {
    // a mirror copy fragmented on the way: only the first fragment has the UDP/VXLAN headers
    byte[] inner = eth(0x0800, ipv4("172.31.0.5", "172.31.0.6", 6,
        tcp(8080, 40000, 0x18, bytes(1300, 9))));
    byte[] outerIp = ipv4(ip("10.0.1.10"), ip("10.0.2.20"), 17, 255, 0x777, 0, new byte[0],
        udp(65000, 4789, vxlan(4242, inner)));
    List<byte[]> f = fragmentV4(outerIp, 800);
    byte[] f0 = eth(0x0800, f.get(0));
    byte[] f1 = eth(0x0800, f.get(1));
    assertEquals(DecodeStatus.FRAGMENT_HELD,
        decoder.decode(f1, 0, f1.length, f1.length, LinkType.ETHERNET, 1, out));
    assertEquals(DecodeStatus.OK,
        decoder.decode(f0, 0, f0.length, f0.length, LinkType.ETHERNET, 2, out));
    assertTrue(out.reassembled);
    assertEquals(4242, out.vni);
    assertEquals(65000, out.outerSrcPort);
    assertEquals(1, out.tunnelDepth);
    assertEquals(8080, out.srcPort);
    assertEquals(1300, out.payloadLength);
    assertEquals(0, out.anomalyCount);
  }

  @Test
  void reassemblesInnerFragmentsInsideVxlan() {
    byte[] p = bigUdp4(0x99, 7);
    List<byte[]> f = fragmentV4(p, 600);
    byte[] m0 = awsMirror(5, 100, eth(0x0800, f.get(0)));
    byte[] m1 = awsMirror(5, 100, eth(0x0800, f.get(1)));
    assertEquals(DecodeStatus.FRAGMENT_HELD, decoder.decode(m0, 0, m0.length, m0.length, 1, 1, out));
    assertEquals(DecodeStatus.OK, decoder.decode(m1, 0, m1.length, m1.length, 1, 2, out));
    assertEquals(5, out.vni);
    assertWholeUdp(p);
  }

  @Test
  void sameFragmentsUnderTwoVnisAreSeparateDatagrams() {
    // mirror duplicates: the same fragment arrives from both ENIs under different VNIs
    List<byte[]> f = fragmentV4(bigUdp4(0x55, 8), 600);
    byte[] a0 = awsMirror(1, 9, eth(0x0800, f.get(0)));
    byte[] b0 = awsMirror(2, 9, eth(0x0800, f.get(0)));
    decoder.decode(a0, 0, a0.length, a0.length, 1, 1, out);
    decoder.decode(b0, 0, b0.length, b0.length, 1, 2, out);
    assertFalse(out.hasAnomaly(Anomaly.IPV4_FRAG_OVERLAP));
    assertEquals(2, decoder.fragmentsInProgress());
  }

  @Test
  void reusesReassemblyBuffersAcrossDatagrams() {
    for (int i = 0; i < 20; i++) {
      byte[] p = bigUdp4(0x600 + i, i);
      List<byte[]> f = fragmentV4(p, 600);
      assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(1), 10 + i));
      assertEquals(DecodeStatus.OK, feed(f.get(0), 10 + i));
      assertWholeUdp(p);
    }
    assertTrue(decoder.reassemblyBytesRetained() <= 4096,
        "one slot reused: " + decoder.reassemblyBytesRetained());
  }

  // ---- IPv6 ----

  private static byte[] bigUdp6(int seed) {
    return ipv6("2001:db8::a", "2001:db8::b", 17, udp(1111, 2222, bytes(1200, seed)));
  }

  @Test
  void reassemblesIpv6Fragments() {
    byte[] p = bigUdp6(3);
    int fragmentable = p.length - 40;
    byte[] f0 = fragV6(p, 0xABCDEF, 0, 704, true);
    byte[] f1 = fragV6(p, 0xABCDEF, 704, fragmentable, false);
    assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f1, 1));
    assertEquals(17, out.ipProto);
    assertEquals(0xABCDEF, out.ipId);
    assertEquals(DecodeStatus.OK, feed(f0, 2));
    assertTrue(out.reassembled);
    assertEquals(6, out.ipVersion);
    assertEquals(17, out.ipProto);
    assertEquals(40, out.l3HeaderLength); // fragment header gone, next header patched
    assertEquals(1200, out.payloadLength);
    assertEquals(p.length, out.ipWireLength);
    assertFalse(out.hasAnomaly(Anomaly.UDP_CHECKSUM_INVALID));
    assertArrayEquals(Arrays.copyOfRange(p, 48, p.length),
        Arrays.copyOfRange(out.buf, out.payloadOffset, out.payloadOffset + 1200));
  }

  @Test
  void ipv6OverlapIsCounted() {
    byte[] p = bigUdp6(4);
    feed(fragV6(p, 1, 0, 704, true), 1);
    feed(fragV6(p, 1, 696, p.length - 40, false), 2);
    assertTrue(out.hasAnomaly(Anomaly.IPV6_FRAG_OVERLAP));
    assertTrue(out.reassembled);
  }

  @Test
  void ipv6ReassemblyOffStopsAtNonFirstFragment() {
    PacketDecoder off = new PacketDecoder(DecoderConfig.defaults().withReassembly(false));
    byte[] p = bigUdp6(5);
    feed(off, fragV6(p, 1, 704, p.length - 40, false), 1);
    assertTrue(out.fragment);
    assertEquals(704, out.fragmentOffset);
    assertEquals(17, out.ipProto);
    assertEquals(-1, out.l4Offset);
    feed(off, fragV6(p, 1, 0, 704, true), 1);
    assertEquals(1111, out.srcPort);
    assertTrue(out.moreFragments);
  }
}

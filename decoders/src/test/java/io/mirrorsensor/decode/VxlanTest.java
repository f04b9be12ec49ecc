package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** VXLAN decapsulation (RFC 7348) as AWS Traffic Mirroring sends it. */
class VxlanTest {
  private final PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
  private final DecodedPacket out = new DecodedPacket();

  private static final byte[] INNER_V4_TCP = eth(0x0800,
      ipv4("172.31.5.9", "172.31.9.7", 6, tcp(22, 51000, 0x18, bytes(40, 3))));

  private DecodeStatus decode(byte[] frame) {
    return decoder.decode(frame, 0, frame.length, frame.length, LinkType.ETHERNET, 5L, out);
  }

  @Test
  void decodesAwsMirrorCopyAndKeepsOuterContext() {
    // the outer shape of sv-aws-traffic-mirror-vxlan.pcap (VNI 5569041, sport 65408)
    byte[] f = awsMirror(5569041, 65408, INNER_V4_TCP);
    assertEquals(DecodeStatus.OK, decode(f));
    assertEquals(1, out.tunnelDepth);
    assertEquals(5569041, out.vni);
    assertEquals(4, out.outerIpVersion);
    assertArrayEquals(ip("10.0.1.10"), Arrays.copyOf(out.outerSrc, 4));
    assertArrayEquals(ip("10.0.2.20"), Arrays.copyOf(out.outerDst, 4));
    assertEquals(65408, out.outerSrcPort);
    assertEquals(4789, out.outerDstPort);
    // everything else describes the inner packet
    assertEquals(14 + 20 + 8 + 8, out.l2Offset);
    assertEquals(out.l2Offset + 14, out.l3Offset);
    assertArrayEquals(ip("172.31.5.9"), Arrays.copyOf(out.srcAddr, 4));
    assertEquals(6, out.ipProto);
    assertEquals(22, out.srcPort);
    assertEquals(51000, out.dstPort);
    assertEquals(40, out.payloadLength);
    assertEquals(1, decoder.counters().get(DecodeCounter.VXLAN));
    assertEquals(2, decoder.counters().get(DecodeCounter.IPV4));
  }

  @Test
  void decodesVxlanInnerTcpOverIpv6() {
    byte[] inner = eth(0x86DD, ipv6("2001:db8:1::5", "2001:db8:2::9", 6,
        tcp(443, 50123, 0x10, bytes(10, 9))));
    assertEquals(DecodeStatus.OK, decode(awsMirror(77, 1000, inner)));
    assertEquals(6, out.ipVersion);
    assertEquals(4, out.outerIpVersion);
    assertEquals(443, out.srcPort);
    assertArrayEquals(ip("2001:db8:1::5"), out.srcAddr);
  }

  @Test
  void decodesVxlanOverIpv6Outer() {
    byte[] f = eth(0x86DD, ipv6("fd00::1", "fd00::2", 17, udp(40001, 4789, vxlan(9, INNER_V4_TCP))));
    assertEquals(DecodeStatus.OK, decode(f));
    assertEquals(6, out.outerIpVersion);
    assertArrayEquals(ip("fd00::1"), out.outerSrc);
    assertEquals(9, out.vni);
    assertEquals(4, out.ipVersion);
  }

  @Test
  void flagsClearIBitAsAnomaly() {
    byte[] f = awsMirror(5, 1, INNER_V4_TCP);
    f[14 + 20 + 8] = 0x00; // VXLAN flags
    assertEquals(DecodeStatus.MALFORMED, decode(f));
    assertTrue(out.hasAnomaly(Anomaly.VXLAN_I_FLAG_CLEAR));
    assertEquals(0, out.tunnelDepth);
    assertEquals(17, out.ipProto); // the outer UDP stays the innermost decoded layer
    assertEquals(4789, out.dstPort);
  }

  @Test
  void decodesReservedBitsAnywayAndNotesThem() {
    byte[] f = awsMirror(11, 1, INNER_V4_TCP);
    int v = 14 + 20 + 8;
    f[v] = (byte) 0x0C; // I plus a reserved flag bit, as in sv-vxlan-http-reserved-bits.pcap
    f[v + 2] = 0x01;
    f[v + 7] = (byte) 0xFF;
    assertEquals(DecodeStatus.OK, decode(f));
    assertTrue(out.hasAnomaly(Anomaly.VXLAN_RESERVED_BITS_SET));
    assertEquals(11, out.vni);
    assertEquals(22, out.srcPort);
  }

  @Test
  void vxlanInsideVxlanRecordsOutermostAndDescribesInnermost() {
    byte[] middle = eth(0x0800, ipv4(ip("192.168.0.1"), ip("192.168.0.2"), 17, 64, 1, 0,
        new byte[0], udp(33333, 4789, vxlan(222, INNER_V4_TCP))));
    assertEquals(DecodeStatus.OK, decode(awsMirror(111, 2000, middle)));
    assertEquals(2, out.tunnelDepth);
    assertEquals(111, out.vni);
    assertArrayEquals(ip("10.0.1.10"), Arrays.copyOf(out.outerSrc, 4));
    assertEquals(2000, out.outerSrcPort);
    assertArrayEquals(ip("172.31.5.9"), Arrays.copyOf(out.srcAddr, 4));
    assertEquals(22, out.srcPort);
  }

  @Test
  void stopsAtMaxTunnelDepth() {
    byte[] frame = INNER_V4_TCP;
    for (int i = 0; i < 3; i++) {
      frame = awsMirror(i, 1, frame);
    }
    PacketDecoder shallow = new PacketDecoder(DecoderConfig.defaults().withMaxTunnelDepth(2));
    assertEquals(DecodeStatus.MALFORMED,
        shallow.decode(frame, 0, frame.length, frame.length, 1, 0, out));
    assertTrue(out.hasAnomaly(Anomaly.VXLAN_TOO_DEEP));
    assertEquals(2, out.tunnelDepth);
    assertEquals(17, out.ipProto);
    assertEquals(DecodeStatus.OK, decode(frame)); // default depth 4 takes all three
    assertEquals(3, out.tunnelDepth);
  }

  @Test
  void vxlanPortsAreConfigurable() {
    byte[] f = eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 8472, vxlan(3, INNER_V4_TCP))));
    assertEquals(DecodeStatus.OK, decode(f));
    assertEquals(0, out.tunnelDepth); // 8472 is not VXLAN by default
    PacketDecoder linux = new PacketDecoder(DecoderConfig.defaults().withVxlanPorts(4789, 8472));
    assertEquals(DecodeStatus.OK, linux.decode(f, 0, f.length, f.length, 1, 0, out));
    assertEquals(1, out.tunnelDepth);
    assertEquals(8472, out.outerDstPort);
  }

  @Test
  void vxlanHeaderLongerThanDatagramIsVxlanTruncated() {
    byte[] f = eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 4789, hex("08000000"))));
    assertEquals(DecodeStatus.MALFORMED, decode(f));
    assertTrue(out.hasAnomaly(Anomaly.VXLAN_TRUNCATED));
  }

  @Test
  void awsTruncatedInnerPacketIsNormalAndKeepsWireLengths() {
    // AWS truncates the inner frame and sends a shorter, complete UDP datagram: the inner IP
    // header still gives the wire length (ARCHITECTURE.md, "AWS truncates (never fragments)")
    byte[] inner = eth(0x0800, ipv4("172.31.5.9", "172.31.9.7", 6,
        tcp(22, 51000, 0x18, bytes(1400, 3))));
    byte[] cut = Arrays.copyOf(inner, 14 + 20 + 20 + 100);
    byte[] f = awsMirror(5, 9, cut);
    assertEquals(DecodeStatus.OK, decode(f));
    assertTrue(out.truncated);
    assertEquals(1440, out.ipWireLength);
    assertEquals(100, out.payloadLength);
    assertEquals(1400, out.payloadWireLength);
    assertEquals(0, out.anomalyCount);
  }

  @Test
  void innerRuntFrameIsEthernetTruncated() {
    assertEquals(DecodeStatus.MALFORMED, decode(awsMirror(5, 9, hex("0200000000"))));
    assertTrue(out.hasAnomaly(Anomaly.ETHERNET_TRUNCATED));
    assertEquals(1, out.tunnelDepth);
    assertEquals(0, out.ipVersion); // inner fields reset; outer IP not reported as inner
  }
}

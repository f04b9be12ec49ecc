package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Link types and Ethernet/VLAN. Fixtures built by {@link Frames} from the layouts cited. */
class LinkLayerTest {
  private final PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
  private final DecodedPacket out = new DecodedPacket();

  private static final byte[] IPV4_TCP =
      ipv4("192.0.2.1", "198.51.100.2", 6, tcp(40000, 80, 0x02, new byte[0]));
  private static final byte[] IPV6_UDP = ipv6("2001:db8::1", "2001:db8::2", 17,
      udp(5353, 53, bytes(12, 1)));

  private DecodeStatus decode(byte[] frame, int linkType) {
    return decoder.decode(frame, 0, frame.length, frame.length, linkType, 1L, out);
  }

  @Test
  void decodesEthernetIpv4Tcp() {
    assertEquals(DecodeStatus.OK, decode(eth(0x0800, IPV4_TCP), LinkType.ETHERNET));
    assertEquals(0, out.l2Offset);
    assertEquals(0x0800, out.etherType);
    assertEquals(14, out.l3Offset);
    assertEquals(4, out.ipVersion);
    assertEquals(6, out.ipProto);
    assertEquals(40000, out.srcPort);
    assertEquals(80, out.dstPort);
    assertEquals(0x02, out.tcpFlags);
    assertEquals(0, out.anomalyCount);
    assertEquals(LinkType.ETHERNET, out.linkType);
    assertTrue(out.hasFlowKey());
  }

  @Test
  void decodesSingle8021qTag() {
    decode(ethTagged(0x0800, IPV4_TCP, 0x8100, 0x0064), LinkType.ETHERNET);
    assertEquals(DecodeStatus.OK, out.status);
    assertEquals(1, out.vlanCount);
    assertEquals(100, out.vlanIds[0]);
    assertEquals(18, out.l3Offset);
    assertEquals(1, decoder.counters().get(DecodeCounter.VLAN));
  }

  @Test
  void decodesQinQ88a8Then8100() {
    decode(ethTagged(0x86DD, IPV6_UDP, 0x88A8, 0x0010, 0x8100, 0x3FFF), LinkType.ETHERNET);
    assertEquals(DecodeStatus.OK, out.status);
    assertEquals(2, out.vlanCount);
    assertEquals(0x010, out.vlanIds[0]);
    assertEquals(0xFFF, out.vlanIds[1]); // PCP/DEI bits masked off
    assertEquals(22, out.l3Offset);
    assertEquals(17, out.ipProto);
  }

  @Test
  void decodesPreStandardQinQ9100() {
    decode(ethTagged(0x0800, IPV4_TCP, 0x9100, 7, 0x8100, 8), LinkType.ETHERNET);
    assertEquals(DecodeStatus.OK, out.status);
    assertEquals(7, out.vlanIds[0]);
    assertEquals(8, out.vlanIds[1]);
  }

  @Test
  void flagsTooManyVlanTags() {
    decode(ethTagged(0x0800, IPV4_TCP, 0x8100, 1, 0x8100, 2, 0x8100, 3, 0x8100, 4, 0x8100, 5),
        LinkType.ETHERNET);
    assertEquals(DecodeStatus.MALFORMED, out.status);
    assertTrue(out.hasAnomaly(Anomaly.VLAN_TOO_MANY_TAGS));
    assertEquals(0, out.ipVersion);
  }

  @Test
  void runtFrameIsEthernetTruncated() {
    byte[] runt = hex("02 00 00 00 00 0b 02 00 00 00 00 0a 08");
    assertEquals(DecodeStatus.MALFORMED, decode(runt, LinkType.ETHERNET));
    assertTrue(out.hasAnomaly(Anomaly.ETHERNET_TRUNCATED));
    assertEquals(1, decoder.counters().anomaly(Anomaly.ETHERNET_TRUNCATED));
  }

  @Test
  void snaplenInsideEthernetHeaderIsPacketTruncated() {
    byte[] f = eth(0x0800, IPV4_TCP);
    assertEquals(DecodeStatus.TRUNCATED, decoder.decode(f, 0, 10, f.length, 1, 0, out));
    assertTrue(out.hasAnomaly(Anomaly.PACKET_TRUNCATED));
    assertTrue(out.truncated);
  }

  @Test
  void vlanTagCutByRuntIsEthernetTruncated() {
    byte[] f = hex("02 00 00 00 00 0b 02 00 00 00 00 0a 81 00 00 05");
    assertEquals(DecodeStatus.MALFORMED, decode(f, LinkType.ETHERNET));
    assertTrue(out.hasAnomaly(Anomaly.ETHERNET_TRUNCATED));
  }

  @Test
  void arpIsUnsupportedNotMalformed() {
    byte[] arp = eth(0x0806, bytes(28, 0));
    assertEquals(DecodeStatus.UNSUPPORTED, decode(arp, LinkType.ETHERNET));
    assertEquals(0x0806, out.etherType);
    assertEquals(0, out.anomalyCount);
  }

  @Test
  void ieee8023LengthFieldIsUnsupported() {
    assertEquals(DecodeStatus.UNSUPPORTED, decode(eth(0x0026, bytes(38, 0)), LinkType.ETHERNET));
  }

  @Test
  void decodesRawIpOnEveryRawLinkType() {
    for (int lt : new int[] {LinkType.RAW, LinkType.DLT_RAW_12, LinkType.DLT_RAW_14}) {
      assertEquals(DecodeStatus.OK, decode(IPV4_TCP, lt), "v4 on " + lt);
      assertEquals(4, out.ipVersion);
      assertEquals(0, out.l3Offset);
      assertEquals(-1, out.l2Offset);
      assertEquals(DecodeStatus.OK, decode(IPV6_UDP, lt), "v6 on " + lt);
      assertEquals(6, out.ipVersion);
    }
  }

  @Test
  void decodesLinkTypeIpv4AndIpv6() {
    assertEquals(DecodeStatus.OK, decode(IPV4_TCP, LinkType.IPV4));
    assertEquals(6, out.ipProto);
    assertEquals(DecodeStatus.OK, decode(IPV6_UDP, LinkType.IPV6));
    assertEquals(17, out.ipProto);
  }

  @Test
  void rawLinkWithBadVersionNibbleIsAnomaly() {
    byte[] p = IPV4_TCP.clone();
    p[0] = 0x55;
    assertEquals(DecodeStatus.MALFORMED, decode(p, LinkType.RAW));
    assertTrue(out.hasAnomaly(Anomaly.PACKET_IP_VERSION_INVALID));
  }

  @Test
  void decodesLinuxSll() {
    // LINKTYPE_LINUX_SLL: packet type 0 (to us), ARPHRD_ETHER 1, addr len 6, addr, protocol
    byte[] sll = concat(hex("0000 0001 0006 020000000001 0000 0800"), IPV4_TCP);
    assertEquals(DecodeStatus.OK, decode(sll, LinkType.LINUX_SLL));
    assertEquals(16, out.l3Offset);
    assertEquals(0x0800, out.etherType);
    assertEquals(6, out.ipProto);
  }

  @Test
  void decodesLinuxSll2() {
    // LINKTYPE_LINUX_SLL2: protocol, reserved, ifindex 2, ARPHRD 1, pkttype 4, addr len 6, addr
    byte[] sll2 = concat(hex("86dd 0000 00000002 0001 04 06 020000000001 0000"), IPV6_UDP);
    assertEquals(DecodeStatus.OK, decode(sll2, LinkType.LINUX_SLL2));
    assertEquals(20, out.l3Offset);
    assertEquals(6, out.ipVersion);
  }

  @Test
  void truncatedSllIsLinkTruncated() {
    assertEquals(DecodeStatus.MALFORMED, decode(hex("0000 0001 0006 0200"), LinkType.LINUX_SLL));
    assertTrue(out.hasAnomaly(Anomaly.LINK_TRUNCATED));
  }

  @Test
  void bsdNullFamilyInEitherByteOrder() {
    assertEquals(DecodeStatus.OK, decode(concat(hex("02000000"), IPV4_TCP), LinkType.NULL));
    assertEquals(4, out.ipVersion);
    assertEquals(DecodeStatus.OK, decode(concat(hex("00000002"), IPV4_TCP), LinkType.NULL));
    assertEquals(4, out.ipVersion);
    for (String af6 : new String[] {"18000000", "0000001c", "1e000000", "0000000a"}) {
      assertEquals(DecodeStatus.OK, decode(concat(hex(af6), IPV6_UDP), LinkType.NULL), af6);
      assertEquals(6, out.ipVersion, af6);
    }
  }

  @Test
  void openBsdLoopIsNetworkOrder() {
    assertEquals(DecodeStatus.OK, decode(concat(hex("00000002"), IPV4_TCP), LinkType.LOOP));
    assertEquals(4, out.ipVersion);
    // little-endian 2 read in network order is a huge family: not IP
    assertEquals(DecodeStatus.UNSUPPORTED,
        decode(concat(hex("02000000"), IPV4_TCP), LinkType.LOOP));
  }

  @Test
  void unknownLinkTypeIsUnsupported() {
    assertEquals(DecodeStatus.UNSUPPORTED, decode(IPV4_TCP, 147));
    assertEquals(1, decoder.counters().get(DecodeCounter.UNSUPPORTED));
  }

  @Test
  void emptyFrameOnEthernetIsMalformedNotException() {
    assertEquals(DecodeStatus.MALFORMED, decode(new byte[0], LinkType.ETHERNET));
    assertTrue(out.hasAnomaly(Anomaly.ETHERNET_TRUNCATED));
  }

  @Test
  void decodesAtNonZeroOffsetInLargerBuffer() {
    byte[] f = eth(0x0800, IPV4_TCP);
    byte[] big = new byte[f.length + 100];
    System.arraycopy(f, 0, big, 37, f.length);
    assertEquals(DecodeStatus.OK, decoder.decode(big, 37, f.length, f.length, 1, 0, out));
    assertEquals(37 + 14, out.l3Offset);
    assertEquals(80, out.dstPort);
  }

  @Test
  void rejectsCallerBoundsBugWithException() {
    assertThrows(IndexOutOfBoundsException.class,
        () -> decoder.decode(new byte[10], 5, 10, 10, 1, 0, out));
  }
}

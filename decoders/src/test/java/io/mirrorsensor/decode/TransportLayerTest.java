package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** TCP (RFC 9293, 7323, 2018), UDP (RFC 768), SCTP ports, ICMP (RFC 792), ICMPv6 (RFC 4443). */
class TransportLayerTest {
  private final PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
  private final PacketDecoder validating =
      new PacketDecoder(DecoderConfig.defaults().withValidateChecksums(true));
  private final DecodedPacket out = new DecodedPacket();

  private DecodeStatus raw(PacketDecoder d, byte[] packet) {
    return d.decode(packet, 0, packet.length, packet.length, LinkType.RAW, 0, out);
  }

  private DecodeStatus raw(byte[] packet) {
    return raw(decoder, packet);
  }

  private static byte[] v4tcp(byte[] tcpSegment) {
    return ipv4("10.1.1.1", "10.2.2.2", 6, tcpSegment);
  }

  // ---- TCP ----

  @Test
  void decodesTcpFieldsAndSynOptions() {
    // Linux SYN option block: MSS 1460, SACK-permitted, timestamps, NOP, window scale 7
    byte[] opts = hex("020405b4 0402 080a 0001e240 00000000 01 030307");
    byte[] seg = tcp(51000, 443, 0xFFFFFFF0L, 0, 0x02, 64240, opts, new byte[0]);
    assertEquals(DecodeStatus.OK, raw(v4tcp(seg)));
    assertEquals(0xFFFFFFF0L, out.seq);
    assertEquals(0, out.ack);
    assertEquals(64240, out.window);
    assertEquals(40, out.l4HeaderLength);
    assertEquals(1460, out.optMss);
    assertTrue(out.optSackPermitted);
    assertTrue(out.optTimestamp);
    assertEquals(123456, out.tsVal);
    assertEquals(0, out.tsEcr);
    assertEquals(7, out.optWscale);
    assertEquals(0, out.anomalyCount);
    assertTrue(out.isTcp());
  }

  @Test
  void decodesSackBlocks() {
    byte[] opts = hex("0101 0512 00000064 000000c8 0000012c 00000190");
    byte[] seg = tcp(1, 2, 5, 6, 0x10, 100, opts, bytes(3, 0));
    raw(v4tcp(seg));
    assertEquals(2, out.sackBlocks);
    assertEquals(100, out.sackLeft[0]);
    assertEquals(200, out.sackRight[0]);
    assertEquals(300, out.sackLeft[1]);
    assertEquals(400, out.sackRight[1]);
    assertEquals(3, out.payloadLength);
    assertEquals(3, out.payloadWireLength);
  }

  @Test
  void flagsOptionWithInvalidLength() {
    raw(v4tcp(tcp(1, 2, 0, 0, 0x02, 1, hex("0205 05b4"), new byte[0]))); // MSS len 5 > left
    assertTrue(out.hasAnomaly(Anomaly.TCP_OPT_INVALID_LEN));
    assertEquals(-1, out.optMss);
    raw(v4tcp(tcp(1, 2, 0, 0, 0x02, 1, hex("0203 05b4"), new byte[0]))); // MSS len 3
    assertTrue(out.hasAnomaly(Anomaly.TCP_OPT_INVALID_LEN));
    raw(v4tcp(tcp(1, 2, 0, 0, 0x02, 1, hex("0800 0101"), new byte[0]))); // timestamp, length 0
    assertTrue(out.hasAnomaly(Anomaly.TCP_OPT_INVALID_LEN));
    assertEquals(DecodeStatus.OK, out.status);
  }

  @Test
  void capsWindowScaleAt14() {
    raw(v4tcp(tcp(1, 2, 0, 0, 0x02, 1, hex("03030f00"), new byte[0])));
    assertTrue(out.hasAnomaly(Anomaly.TCP_OPT_WSCALE_INVALID));
    assertEquals(14, out.optWscale);
  }

  @Test
  void flagsDataOffsetBelowFiveWords() {
    byte[] seg = tcp(1, 2, 0x02, new byte[0]);
    seg[12] = 0x40;
    assertEquals(DecodeStatus.MALFORMED, raw(v4tcp(seg)));
    assertTrue(out.hasAnomaly(Anomaly.TCP_HLEN_TOO_SMALL));
  }

  @Test
  void flagsDataOffsetPastPacket() {
    byte[] seg = tcp(1, 2, 0x02, new byte[0]);
    seg[12] = (byte) 0xF0; // 60 bytes of header in a 20-byte segment
    assertEquals(DecodeStatus.MALFORMED, raw(v4tcp(seg)));
    assertTrue(out.hasAnomaly(Anomaly.TCP_HLEN_EXCEEDS_PACKET));
  }

  @Test
  void tcpHeaderShorterThanIpPayloadIsTcpTruncated() {
    byte[] p = ipv4("10.1.1.1", "10.2.2.2", 6, bytes(12, 0));
    assertEquals(DecodeStatus.MALFORMED, raw(p));
    assertTrue(out.hasAnomaly(Anomaly.TCP_TRUNCATED));
  }

  @Test
  void tcpHeaderCutByCaptureIsPacketTruncated() {
    byte[] p = v4tcp(tcp(1, 2, 0x02, bytes(100, 0)));
    assertEquals(DecodeStatus.TRUNCATED,
        decoder.decode(p, 0, 30, p.length, LinkType.RAW, 0, out));
    assertTrue(out.hasAnomaly(Anomaly.PACKET_TRUNCATED));
    assertEquals(140, out.ipWireLength);
  }

  @Test
  void truncatedPayloadIsNormalWithWireLengthFromHeaders() {
    byte[] p = v4tcp(tcp(1, 2, 0x18, bytes(1000, 0)));
    assertEquals(DecodeStatus.OK, decoder.decode(p, 0, 96, p.length, LinkType.RAW, 0, out));
    assertTrue(out.truncated);
    assertEquals(0, out.anomalyCount);
    assertEquals(1040, out.ipWireLength);
    assertEquals(96, out.ipCapturedLength);
    assertEquals(56, out.payloadLength);
    assertEquals(1000, out.payloadWireLength);
    assertEquals(1, decoder.counters().get(DecodeCounter.TRUNCATED));
  }

  @Test
  void checksumsAreNotValidatedByDefault() {
    byte[] p = v4tcp(tcp(1, 2, 0x02, new byte[0]));
    p[20 + 16] ^= 0x55;
    p[10] ^= 0x55;
    raw(p);
    assertEquals(0, out.anomalyCount);
  }

  @Test
  void validatesTcpChecksumWhenAsked() {
    byte[] good = v4tcp(tcp(1, 2, 0x18, bytes(33, 1)));
    raw(validating, good);
    assertEquals(0, out.anomalyCount);
    byte[] bad = good.clone();
    bad[bad.length - 1] ^= 1;
    raw(validating, bad);
    assertTrue(out.hasAnomaly(Anomaly.TCP_CHECKSUM_INVALID));
    assertEquals(1, validating.counters().get(DecodeCounter.CHECKSUM_INVALID_TCP));
  }

  @Test
  void validatesTcpChecksumOverIpv6() {
    byte[] good = ipv6("2001:db8::1", "2001:db8::2", 6, tcp(1, 2, 0x18, bytes(7, 1)));
    raw(validating, good);
    assertEquals(0, out.anomalyCount);
    good[50] ^= 1;
    raw(validating, good);
    assertTrue(out.hasAnomaly(Anomaly.TCP_CHECKSUM_INVALID));
  }

  @Test
  void validatesIpv4HeaderChecksumWhenAsked() {
    byte[] p = v4tcp(tcp(1, 2, 0x02, new byte[0]));
    raw(validating, p);
    assertEquals(0, out.anomalyCount);
    p[8] = 1; // TTL changed, checksum not
    raw(validating, p);
    assertTrue(out.hasAnomaly(Anomaly.IPV4_CHECKSUM_INVALID));
    assertEquals(1, validating.counters().get(DecodeCounter.CHECKSUM_INVALID_IPV4));
  }

  @Test
  void neverValidatesTruncatedPackets() {
    byte[] p = v4tcp(tcp(1, 2, 0x18, bytes(200, 1)));
    p[p.length - 1] ^= 1; // wrong checksum, but the copy is truncated
    validating.decode(p, 0, 100, p.length, LinkType.RAW, 0, out);
    assertTrue(out.truncated);
    assertEquals(0, out.anomalyCount);
  }

  // ---- UDP ----

  @Test
  void decodesUdp() {
    assertEquals(DecodeStatus.OK, raw(ipv4("10.1.1.1", "10.2.2.2", 17, udp(5353, 53, bytes(30, 2)))));
    assertEquals(5353, out.srcPort);
    assertEquals(53, out.dstPort);
    assertEquals(8, out.l4HeaderLength);
    assertEquals(30, out.payloadLength);
    assertEquals(30, out.payloadWireLength);
  }

  @Test
  void flagsUdpLengthAboveIpPayload() {
    byte[] seg = udp(1, 2, bytes(10, 0));
    put16(seg, 4, 200);
    raw(ipv4("10.1.1.1", "10.2.2.2", 17, seg));
    assertTrue(out.hasAnomaly(Anomaly.UDP_LEN_INVALID));
    assertEquals(10, out.payloadWireLength); // falls back to the IP length
  }

  @Test
  void flagsUdpLengthBelowHeader() {
    byte[] seg = udp(1, 2, bytes(10, 0));
    put16(seg, 4, 7);
    raw(ipv4("10.1.1.1", "10.2.2.2", 17, seg));
    assertTrue(out.hasAnomaly(Anomaly.UDP_LEN_INVALID));
  }

  @Test
  void udpHeaderShorterThanIpPayloadIsUdpTruncated() {
    raw(ipv4("10.1.1.1", "10.2.2.2", 17, bytes(5, 0)));
    assertEquals(DecodeStatus.MALFORMED, out.status);
    assertTrue(out.hasAnomaly(Anomaly.UDP_TRUNCATED));
  }

  @Test
  void validatesUdpChecksumAndSkipsZero() {
    byte[] p = ipv4("10.1.1.1", "10.2.2.2", 17, udp(1, 2, bytes(11, 2)));
    raw(validating, p);
    assertEquals(0, out.anomalyCount);
    byte[] bad = p.clone();
    bad[bad.length - 2] ^= 4;
    raw(validating, bad);
    assertTrue(out.hasAnomaly(Anomaly.UDP_CHECKSUM_INVALID));
    put16(bad, 26, 0); // checksum 0: not computed (AWS outer VXLAN UDP)
    raw(validating, bad);
    assertFalse(out.hasAnomaly(Anomaly.UDP_CHECKSUM_INVALID));
  }

  @Test
  void decodesSctpPorts() {
    raw(ipv4("10.1.1.1", "10.2.2.2", 132, concat(hex("0b59 0b59 00000000 00000000"), bytes(4, 0))));
    assertEquals(2905, out.srcPort);
    assertEquals(2905, out.dstPort);
    assertEquals(4, out.payloadLength);
    raw(ipv4("10.1.1.1", "10.2.2.2", 132, hex("0b59 0b59 0000")));
    assertTrue(out.hasAnomaly(Anomaly.SCTP_TRUNCATED));
  }

  // ---- ICMP ----

  @Test
  void decodesIcmpEchoTypeAndCodeAsPorts() {
    raw(ipv4("10.1.1.1", "10.2.2.2", 1, icmp(8, 0, 0x1234, 1, bytes(56, 0))));
    assertEquals(DecodeStatus.OK, out.status);
    assertEquals(8, out.icmpType);
    assertEquals(0, out.icmpCode);
    assertEquals(8, out.srcPort);
    assertEquals(0, out.dstPort);
    assertEquals(56, out.payloadLength);
    assertTrue(out.hasFlowKey());
  }

  @Test
  void validatesIcmpChecksum() {
    byte[] p = ipv4("10.1.1.1", "10.2.2.2", 1, icmp(8, 0, 1, 1, bytes(9, 0)));
    raw(validating, p);
    assertEquals(0, out.anomalyCount);
    p[p.length - 1] ^= 1;
    raw(validating, p);
    assertTrue(out.hasAnomaly(Anomaly.ICMP_CHECKSUM_INVALID));
    assertEquals(1, validating.counters().get(DecodeCounter.CHECKSUM_INVALID_ICMP));
  }

  @Test
  void decodesAndValidatesIcmpv6() {
    byte[] p = ipv6("fe80::1", "fe80::2", 58, icmp(128, 0, 7, 1, bytes(16, 0)));
    raw(validating, p);
    assertEquals(128, out.icmpType);
    assertEquals(0, out.anomalyCount);
    p[p.length - 1] ^= 1;
    raw(validating, p);
    assertTrue(out.hasAnomaly(Anomaly.ICMPV6_CHECKSUM_INVALID));
    assertEquals(1, validating.counters().get(DecodeCounter.CHECKSUM_INVALID_ICMPV6));
  }

  @Test
  void icmpHeaderShorterThanEightBytesIsIcmpTruncated() {
    raw(ipv4("10.1.1.1", "10.2.2.2", 1, hex("0800 0000")));
    assertTrue(out.hasAnomaly(Anomaly.ICMP_TRUNCATED));
    raw(ipv6("fe80::1", "fe80::2", 58, hex("8000 0000")));
    assertTrue(out.hasAnomaly(Anomaly.ICMPV6_TRUNCATED));
  }

  @Test
  void unknownIpProtocolHasNoTransport() {
    raw(ipv4("10.1.1.1", "10.2.2.2", 47, bytes(20, 0))); // GRE
    assertEquals(DecodeStatus.OK, out.status);
    assertEquals(47, out.ipProto);
    assertEquals(-1, out.l4Offset);
    assertFalse(out.hasFlowKey());
  }

  @Test
  void truncatedTcpOverIpv6KeepsHeaderFields() {
    byte[] p = ipv6("2001:db8::1", "2001:db8::2", 6, tcp(9, 10, 0x10, bytes(500, 0)));
    byte[] cut = Arrays.copyOf(p, 80);
    assertEquals(DecodeStatus.OK, raw(cut)); // live copy already cut: capLen == origLen
    assertTrue(out.truncated);
    assertEquals(560, out.ipWireLength);
    assertEquals(500, out.payloadWireLength);
    assertEquals(20, out.payloadLength);
  }
}

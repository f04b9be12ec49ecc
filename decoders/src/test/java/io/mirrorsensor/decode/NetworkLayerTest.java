package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** IPv4 (RFC 791) and IPv6 (RFC 8200) headers, options and extension header chains. */
class NetworkLayerTest {
  private final PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
  private final DecodedPacket out = new DecodedPacket();
  private static final byte[] SYN = tcp(40000, 80, 0x02, new byte[0]);

  private DecodeStatus raw(byte[] packet) {
    return decoder.decode(packet, 0, packet.length, packet.length, LinkType.RAW, 0, out);
  }

  private static byte[] v4(int flagsFrag, byte[] options) {
    return ipv4(ip("192.0.2.1"), ip("198.51.100.2"), 6, 61, 0xBEEF, flagsFrag, options, SYN);
  }

  @Test
  void decodesIpv4HeaderFields() {
    byte[] p = v4(0x4000, new byte[0]);
    p[1] = (byte) 0xB8; // DSCP EF
    assertEquals(DecodeStatus.OK, raw(p));
    assertEquals(61, out.ttl);
    assertEquals(0xBEEF, out.ipId);
    assertEquals(0xB8, out.tos);
    assertEquals(20, out.l3HeaderLength);
    assertEquals(40, out.ipWireLength);
    assertEquals(40, out.ipCapturedLength);
    assertArrayEquals(ip("198.51.100.2"), Arrays.copyOf(out.dstAddr, 4));
    assertFalse(out.fragment);
  }

  @Test
  void ipv4AddressLeavesNoStaleBytesFromEarlierIpv6() {
    raw(ipv6("2001:db8::1", "2001:db8::2", 6, SYN));
    raw(v4(0, new byte[0]));
    for (int i = 4; i < 16; i++) {
      assertEquals(0, out.srcAddr[i]);
      assertEquals(0, out.dstAddr[i]);
    }
  }

  @Test
  void walksIpv4Options() {
    // NOP, Router Alert (RFC 2113: type 148, len 4), EOL + padding: 8 option bytes
    assertEquals(DecodeStatus.OK, raw(v4(0, hex("01 94 04 00 00 00 00 00"))));
    assertEquals(28, out.l3HeaderLength);
    assertEquals(28, out.l4Offset); // raw IP: the header starts at 0
    assertEquals(0, out.anomalyCount);
  }

  @Test
  void flagsIpv4OptionWithBadLength() {
    assertEquals(DecodeStatus.OK, raw(v4(0, hex("94 09 00 00"))));
    assertTrue(out.hasAnomaly(Anomaly.IPV4_OPT_INVALID_LEN));
    assertEquals(80, out.dstPort); // non-fatal: transport still decoded
    raw(v4(0, hex("94 01 00 00")));
    assertTrue(out.hasAnomaly(Anomaly.IPV4_OPT_INVALID_LEN));
  }

  @Test
  void flagsHeaderLengthBelowFiveWords() {
    byte[] p = v4(0, new byte[0]);
    p[0] = 0x44;
    assertEquals(DecodeStatus.MALFORMED, raw(p));
    assertTrue(out.hasAnomaly(Anomaly.IPV4_HLEN_TOO_SMALL));
    assertEquals(1, decoder.counters().anomaly(Anomaly.IPV4_HLEN_TOO_SMALL));
  }

  @Test
  void flagsTotalLengthBelowHeaderLength() {
    byte[] p = v4(0, new byte[0]);
    put16(p, 2, 19);
    assertEquals(DecodeStatus.MALFORMED, raw(p));
    assertTrue(out.hasAnomaly(Anomaly.IPV4_TOTAL_LEN_TOO_SMALL));
  }

  @Test
  void flagsWrongVersionBehindIpv4Ethertype() {
    byte[] p = v4(0, new byte[0]);
    p[0] = 0x65;
    decoder.decode(eth(0x0800, p), 0, p.length + 14, p.length + 14, 1, 0, out);
    assertEquals(DecodeStatus.MALFORMED, out.status);
    assertTrue(out.hasAnomaly(Anomaly.IPV4_VERSION_INVALID));
  }

  @Test
  void ipv4HeaderLongerThanFrameIsIpv4Truncated() {
    byte[] p = Arrays.copyOf(v4(0, hex("01010101 01010101")), 24);
    assertEquals(DecodeStatus.MALFORMED, raw(p));
    assertTrue(out.hasAnomaly(Anomaly.IPV4_TRUNCATED));
  }

  @Test
  void ipv4HeaderCutBySnaplenIsPacketTruncated() {
    byte[] p = v4(0, new byte[0]);
    assertEquals(DecodeStatus.TRUNCATED,
        decoder.decode(p, 0, 12, p.length, LinkType.RAW, 0, out));
    assertTrue(out.hasAnomaly(Anomaly.PACKET_TRUNCATED));
    assertFalse(out.hasAnomaly(Anomaly.IPV4_TRUNCATED));
  }

  @Test
  void flagsReservedFlagBit() {
    raw(v4(0x8000, new byte[0]));
    assertEquals(DecodeStatus.OK, out.status);
    assertTrue(out.hasAnomaly(Anomaly.IPV4_RESERVED_FLAG_SET));
  }

  @Test
  void ethernetPaddingIsNotPayload() {
    byte[] f = concat(eth(0x0800, v4(0, new byte[0])), new byte[6]); // 60-byte minimum frame
    decoder.decode(f, 0, f.length, f.length, 1, 0, out);
    assertEquals(0, out.payloadLength);
    assertEquals(0, out.payloadWireLength);
  }

  // ---- IPv6 ----

  @Test
  void decodesIpv6HeaderFields() {
    assertEquals(DecodeStatus.OK, raw(ipv6("2001:db8::1", "2001:db8::2", 6, SYN)));
    assertEquals(64, out.ttl);
    assertEquals(0x12345, out.flowLabel);
    assertEquals(60, out.ipWireLength);
    assertEquals(40, out.l3HeaderLength);
    assertEquals(6, out.ipProto);
  }

  @Test
  void walksIpv6ExtensionChainToTransport() {
    // hop-by-hop -> routing (type 2) -> destination options -> AH -> TCP
    byte[] hbh = ext(43, 1);
    byte[] rh = ext(60, 3);
    rh[2] = 2;
    byte[] dst = ext(51, 1);
    byte[] ah = new byte[16]; // RFC 4302: payload len 2 -> (2 + 2) * 4 = 16 bytes
    ah[0] = 6;
    ah[1] = 2;
    byte[] p = ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 0, concat(hbh, rh, dst, ah), 6, SYN);
    assertEquals(DecodeStatus.OK, raw(p));
    assertEquals(6, out.ipProto);
    assertEquals(40 + 8 + 24 + 8 + 16, out.l3HeaderLength);
    assertEquals(out.l3HeaderLength, out.l4Offset);
    assertEquals(80, out.dstPort);
    assertEquals(0, out.anomalyCount);
  }

  @Test
  void boundsExtensionChainLength() {
    byte[] chain = concat(ext(60, 1), ext(60, 1), ext(60, 1), ext(6, 1));
    byte[] p = ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 60, chain, 6, SYN);
    PacketDecoder strict = new PacketDecoder(DecoderConfig.defaults().withMaxIpv6ExtHeaders(3));
    assertEquals(DecodeStatus.MALFORMED, strict.decode(p, 0, p.length, p.length, 101, 0, out));
    assertTrue(out.hasAnomaly(Anomaly.IPV6_EXT_CHAIN_TOO_LONG));
    assertEquals(DecodeStatus.OK, raw(p)); // default bound 8
  }

  @Test
  void flagsHopByHopNotFirst() {
    byte[] p = ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 60, concat(ext(0, 1), ext(6, 1)), 6, SYN);
    assertEquals(DecodeStatus.OK, raw(p));
    assertTrue(out.hasAnomaly(Anomaly.IPV6_HOP_BY_HOP_NOT_FIRST));
  }

  @Test
  void flagsRoutingHeaderType0() {
    byte[] rh = ext(6, 3);
    rh[2] = 0;
    raw(ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 43, rh, 6, SYN));
    assertTrue(out.hasAnomaly(Anomaly.IPV6_RH0));
  }

  @Test
  void extensionHeaderPastPayloadLengthIsMalformed() {
    byte[] dst = ext(6, 1);
    dst[1] = 10; // claims 88 bytes
    byte[] p = ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 60, dst, 6, SYN);
    assertEquals(DecodeStatus.MALFORMED, raw(p));
    assertTrue(out.hasAnomaly(Anomaly.IPV6_EXT_LEN_INVALID));
  }

  @Test
  void espAndNoNextHeaderEndTheChain() {
    raw(ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 50, new byte[0], 50, bytes(24, 0)));
    assertEquals(DecodeStatus.OK, out.status);
    assertEquals(50, out.ipProto);
    assertEquals(-1, out.l4Offset);
    raw(ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 60, ext(59, 1), 59, new byte[0]));
    assertEquals(59, out.ipProto);
  }

  @Test
  void flagsWrongVersionBehindIpv6Ethertype() {
    byte[] p = ipv6("2001:db8::1", "2001:db8::2", 6, SYN);
    p[0] = 0x40;
    byte[] f = eth(0x86DD, p);
    decoder.decode(f, 0, f.length, f.length, 1, 0, out);
    assertTrue(out.hasAnomaly(Anomaly.IPV6_VERSION_INVALID));
  }

  @Test
  void ipv6HeaderLongerThanFrameIsIpv6Truncated() {
    assertEquals(DecodeStatus.MALFORMED,
        raw(Arrays.copyOf(ipv6("2001:db8::1", "2001:db8::2", 6, SYN), 30)));
    assertTrue(out.hasAnomaly(Anomaly.IPV6_TRUNCATED));
  }

  @Test
  void atomicFragmentIsNotAFragment() {
    // RFC 6946: fragment header with offset 0 and M clear
    byte[] fh = hex("06 00 0000 00000001");
    raw(ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 44, fh, 6, SYN));
    assertEquals(DecodeStatus.OK, out.status);
    assertFalse(out.fragment);
    assertEquals(80, out.dstPort);
  }
}

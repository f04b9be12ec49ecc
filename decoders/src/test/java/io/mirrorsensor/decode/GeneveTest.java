package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * GENEVE decapsulation (RFC 8926) as an AWS Gateway Load Balancer sends mirror copies to its
 * targets: GENEVE on UDP 6081 with AWS's TLVs, an IP payload, and the VXLAN mirror copy in it.
 * Fixtures are built by {@link Frames#gwlbMirror} after the layout of the AWS blog "Integrate your
 * custom logic or appliance with AWS Gateway Load Balancer" (68 bytes of overhead).
 */
class GeneveTest {
  private static final long ENDPOINT = 0x0a1b2c3d4e5f6071L;
  private static final long ATTACHMENT = 0x8899aabbccddeeffL;
  private static final long COOKIE = 0xfedcba98L;
  private static final byte[] INNER_V4_TCP = eth(0x0800,
      ipv4("172.31.5.9", "172.31.9.7", 6, tcp(22, 51000, 0x18, bytes(40, 3))));

  private final PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
  private final DecodedPacket out = new DecodedPacket();

  private DecodeStatus decode(byte[] frame) {
    return decoder.decode(frame, 0, frame.length, frame.length, LinkType.ETHERNET, 5L, out);
  }

  @Test
  void gwlbOverheadIs68Bytes() {
    byte[] f = gwlbMirror(ENDPOINT, ATTACHMENT, COOKIE, 5, INNER_V4_TCP);
    byte[] plain = awsMirror(5, 40000, INNER_V4_TCP);
    // GWLB adds IPv4 20 + UDP 8 + GENEVE 8 + TLVs 12 + 12 + 8 to the IP packet it forwards
    assertEquals(68, f.length - plain.length);
  }

  @Test
  void decodesGwlbWrappedMirrorCopyDownToTheMirroredPacket() {
    byte[] f = gwlbMirror(ENDPOINT, ATTACHMENT, COOKIE, 5569041, INNER_V4_TCP);
    assertEquals(DecodeStatus.OK, decode(f));
    assertEquals(1, out.geneveDepth);
    assertEquals(0, out.geneveVni);
    assertEquals(DecodedPacket.GENEVE_ENDPOINT_ID | DecodedPacket.GENEVE_ATTACHMENT_ID
        | DecodedPacket.GENEVE_FLOW_COOKIE, out.geneveAwsOptions);
    assertEquals(ENDPOINT, out.geneveEndpointId);
    assertEquals(ATTACHMENT, out.geneveAttachmentId);
    assertEquals(COOKIE, out.geneveFlowCookie);
    // the mirror context is the VXLAN layer's: outer source = the mirrored ENI, not the GWLB
    assertEquals(1, out.tunnelDepth);
    assertEquals(5569041, out.vni);
    assertArrayEquals(ip("10.0.1.10"), Arrays.copyOf(out.outerSrc, 4));
    assertEquals(4789, out.outerDstPort);
    assertEquals(40000, out.outerSrcPort);
    assertArrayEquals(ip("172.31.5.9"), Arrays.copyOf(out.srcAddr, 4));
    assertEquals(22, out.srcPort);
    assertEquals(51000, out.dstPort);
    assertEquals(40, out.payloadLength);
    assertEquals(0, out.anomalyCount);
    assertEquals(1, decoder.counters().get(DecodeCounter.GENEVE));
    assertEquals(1, decoder.counters().get(DecodeCounter.VXLAN));
    assertEquals(3, decoder.counters().get(DecodeCounter.IPV4));
  }

  @Test
  void decodesIpv6PayloadWithoutOptions() {
    byte[] v6 = ipv6("2001:db8::1", "2001:db8::2", 17, udp(53, 5353, bytes(12, 1)));
    byte[] f = eth(0x0800, ipv4("10.0.9.5", "10.0.9.77", 17,
        udp(1, 6081, geneve(0x86DD, new byte[0], v6))));
    assertEquals(DecodeStatus.OK, decode(f));
    assertEquals(1, out.geneveDepth);
    assertEquals(0, out.geneveAwsOptions);
    assertEquals(0, out.tunnelDepth);
    assertEquals(-1, out.vni);
    assertEquals(6, out.ipVersion);
    assertEquals(5353, out.dstPort);
  }

  @Test
  void skipsOptionsOfOtherClassesAndUnknownAwsTypes() {
    byte[] opts = concat(geneveOption(0x0101, 5, hex("01020304")),
        geneveOption(0x0108, 9, hex("0000000000000000")), awsGwlbOptions(1, 2, 3));
    byte[] f = eth(0x0800, ipv4("10.0.9.5", "10.0.9.77", 17,
        udp(1, 6081, geneve(0x0800, opts, ipv4("10.1.1.1", "10.1.1.2", 6,
            tcp(1, 2, 0x02, new byte[0]))))));
    assertEquals(DecodeStatus.OK, decode(f));
    assertEquals(0, out.anomalyCount);
    assertEquals(1, out.geneveEndpointId);
    assertEquals(2, out.geneveAttachmentId);
    assertEquals(3, out.geneveFlowCookie);
    assertEquals(6, out.ipProto);
  }

  @Test
  void keepsTheOutermostGeneveIdsWhenNested() {
    byte[] innerGeneve = ipv4("10.0.8.1", "10.0.8.2", 17, udp(2, 6081,
        geneve(0x0800, awsGwlbOptions(9, 9, 9), ipv4("10.1.1.1", "10.1.1.2", 6,
            tcp(1, 2, 0x02, new byte[0])))));
    byte[] f = eth(0x0800, ipv4("10.0.9.5", "10.0.9.77", 17,
        udp(1, 6081, geneve(0x0800, awsGwlbOptions(1, 2, 3), innerGeneve))));
    assertEquals(DecodeStatus.OK, decode(f));
    assertEquals(2, out.geneveDepth);
    assertEquals(1, out.geneveEndpointId);
    assertEquals(3, out.geneveFlowCookie);
  }

  @Test
  void nestingIsBoundedByMaxTunnelDepth() {
    byte[] p = ipv4("10.1.1.1", "10.1.1.2", 6, tcp(1, 2, 0x02, new byte[0]));
    for (int i = 0; i < 3; i++) {
      p = ipv4("10.0.8.1", "10.0.8.2", 17, udp(2, 6081, geneve(0x0800, new byte[0], p)));
    }
    PacketDecoder d = new PacketDecoder(DecoderConfig.defaults().withMaxTunnelDepth(2));
    byte[] f = eth(0x0800, p);
    assertEquals(DecodeStatus.MALFORMED,
        d.decode(f, 0, f.length, f.length, LinkType.ETHERNET, 1, out));
    assertTrue(out.hasAnomaly(Anomaly.GENEVE_TOO_DEEP));
    assertEquals(2, out.geneveDepth);
  }

  @Test
  void truncatedCaptureOfTheOptionsIsCaptureTruncationNotMalformed() {
    byte[] f = gwlbMirror(ENDPOINT, ATTACHMENT, COOKIE, 5, INNER_V4_TCP);
    int cut = 14 + 20 + 8 + 8 + 20; // inside the TLVs
    assertEquals(DecodeStatus.TRUNCATED,
        decoder.decode(f, 0, cut, f.length, LinkType.ETHERNET, 1, out));
    assertTrue(out.hasAnomaly(Anomaly.PACKET_TRUNCATED));
    assertEquals(0, out.geneveDepth);
  }

  @Test
  void genevePortsAreConfigurable() {
    byte[] f = gwlbMirror(ENDPOINT, ATTACHMENT, COOKIE, 5, INNER_V4_TCP);
    PacketDecoder off = new PacketDecoder(DecoderConfig.defaults().withGenevePorts());
    assertEquals(DecodeStatus.OK, off.decode(f, 0, f.length, f.length, LinkType.ETHERNET, 1, out));
    assertEquals(0, out.geneveDepth);
    assertEquals(6081, out.dstPort); // the GENEVE datagram itself is the innermost packet
    byte[] other = f.clone();
    put16(other, 14 + 20 + 2, 7000);
    PacketDecoder on7000 = new PacketDecoder(DecoderConfig.defaults().withGenevePorts(7000));
    assertEquals(DecodeStatus.OK,
        on7000.decode(other, 0, other.length, other.length, LinkType.ETHERNET, 1, out));
    assertEquals(1, out.geneveDepth);
    assertEquals(1, out.tunnelDepth);
  }

  @Test
  void resetClearsTheGeneveContext() {
    byte[] f = gwlbMirror(ENDPOINT, ATTACHMENT, COOKIE, 5, INNER_V4_TCP);
    decode(f);
    decode(awsMirror(5, 1, INNER_V4_TCP));
    assertEquals(0, out.geneveDepth);
    assertEquals(-1, out.geneveVni);
    assertEquals(0, out.geneveAwsOptions);
    assertEquals(0, out.geneveEndpointId);
    assertEquals(0, out.geneveFlowCookie);
  }
}

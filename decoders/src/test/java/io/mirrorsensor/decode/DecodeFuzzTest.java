package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomised robustness: random and mutated bytes through every link type must give a status,
 * never an exception, and leave {@link DecodedPacket} self-consistent. Fixed seed, bounded
 * iterations (well under 2 s).
 */
class DecodeFuzzTest {
  private static final int[] LINK_TYPES = {LinkType.ETHERNET, LinkType.RAW, LinkType.DLT_RAW_12,
      LinkType.DLT_RAW_14, LinkType.IPV4, LinkType.IPV6, LinkType.NULL, LinkType.LOOP,
      LinkType.LINUX_SLL, LinkType.LINUX_SLL2, 999};

  /** Valid seeds to mutate: every layer the decoder knows, in and out of VXLAN. */
  private static List<byte[]> seeds() {
    List<byte[]> s = new ArrayList<>();
    byte[] tcpOpts = hex("020405b4 0402 080a 0001e240 00000000 01 030307");
    byte[] v4tcp = ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 3, 4, 0x12, 5, tcpOpts, bytes(30, 1)));
    byte[] v6udp = ipv6("2001:db8::1", "2001:db8::2", 17, udp(1, 2, bytes(20, 2)));
    byte[] v6ext = ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 0,
        concat(ext(43, 1), ext(60, 1), ext(6, 1)), 6, tcp(1, 2, 0x10, bytes(5, 0)));
    byte[] icmp4 = ipv4("10.0.0.1", "10.0.0.2", 1, icmp(8, 0, 1, 1, bytes(8, 0)));
    byte[] icmp6 = ipv6("fe80::1", "fe80::2", 58, icmp(128, 0, 1, 1, bytes(8, 0)));
    byte[] bigUdp = ipv4(ip("10.0.0.1"), ip("10.0.0.2"), 17, 64, 9, 0, new byte[0],
        udp(7, 8, bytes(1000, 3)));
    for (byte[] ipPacket : new byte[][] {v4tcp, v6udp, v6ext, icmp4, icmp6}) {
      s.add(eth(ipPacket[0] >>> 4 == 4 ? 0x0800 : 0x86DD, ipPacket));
    }
    s.add(ethTagged(0x0800, v4tcp, 0x88A8, 1, 0x8100, 2));
    s.add(awsMirror(5, 6, eth(0x0800, v4tcp)));
    s.add(awsMirror(5, 6, awsMirror(7, 8, eth(0x86DD, v6ext))));
    s.add(eth(0x0800, fragmentV4(bigUdp, 504).get(0)));
    s.add(eth(0x0800, fragmentV4(bigUdp, 504).get(1)));
    s.add(eth(0x86DD, fragV6(v6udp, 3, 0, 8, true)));
    s.add(eth(0x86DD, fragV6(v6udp, 3, 8, 28, false)));
    s.add(awsMirror(9, 9, eth(0x0800, fragmentV4(bigUdp, 504).get(1))));
    return s;
  }

  @Test
  void randomAndMutatedBytesNeverThrow() {
    Random r = new Random(0x5EED);
    DecoderConfig config = DecoderConfig.defaults().withValidateChecksums(true)
        .withFragmentLimits(8, 4096, 16_384, 4, 1_000_000L);
    PacketDecoder decoder = new PacketDecoder(config);
    DecodedPacket out = new DecodedPacket();
    List<byte[]> seeds = seeds();
    byte[] buf = new byte[2048];
    long ts = 0;
    int statuses = 0;
    for (int i = 0; i < 150_000; i++) {
      int len;
      int linkType;
      if (i % 4 == 0) { // pure random
        len = r.nextInt(200);
        for (int k = 0; k < len; k++) {
          buf[k] = (byte) r.nextInt(256);
        }
        linkType = LINK_TYPES[r.nextInt(LINK_TYPES.length)];
      } else { // a valid frame with a few mutations
        byte[] seed = seeds.get(r.nextInt(seeds.size()));
        len = Math.min(seed.length, buf.length);
        System.arraycopy(seed, 0, buf, 0, len);
        int flips = 1 + r.nextInt(4);
        for (int k = 0; k < flips; k++) {
          int at = r.nextInt(len);
          switch (r.nextInt(3)) {
            case 0 -> buf[at] ^= (byte) (1 << r.nextInt(8));
            case 1 -> buf[at] = (byte) r.nextInt(256);
            default -> buf[at] = (byte) (r.nextBoolean() ? 0 : 0xFF);
          }
        }
        if (r.nextInt(4) == 0) {
          len = r.nextInt(len + 1); // cut anywhere
        }
        linkType = r.nextInt(10) == 0 ? LINK_TYPES[r.nextInt(LINK_TYPES.length)] : 1;
      }
      int origLen = r.nextInt(3) == 0 ? len + r.nextInt(1500) : len;
      ts += r.nextInt(200_000);
      DecodeStatus st;
      try {
        st = decoder.decode(buf, 0, len, origLen, linkType, ts, out);
      } catch (RuntimeException e) {
        throw new AssertionError("iteration " + i + " bytes "
            + Arrays.toString(Arrays.copyOf(buf, len)) + " linkType " + linkType, e);
      }
      assertNotNull(st);
      assertSame(st, out.status);
      assertConsistent(out, i);
      FlowKey.hash(out, 1);
      MirrorSignature.of(out);
      if (out.hasFlowKey() && i % 97 == 0) {
        FlowKey k = FlowKey.of(out, 1);
        assertTrue(k.matches(out, 1));
        assertEquals(k.hash(), FlowKey.hash(out, 1));
        assertNotNull(k.communityId());
        assertNotNull(k.srcIp());
      }
      statuses |= 1 << st.ordinal();
    }
    // the mutations reached every outcome, so the loop explored more than one path
    assertEquals((1 << DecodeStatus.values().length) - 1, statuses, "statuses seen");
    assertTrue(decoder.counters().totalAnomalies() > 1000);
  }

  private static void assertConsistent(DecodedPacket p, int i) {
    String at = "iteration " + i;
    assertNotNull(p.buf, at);
    if (p.l3Offset >= 0 && p.ipVersion != 0) {
      assertTrue(p.ipCapturedLength <= p.ipWireLength || p.ipWireLength == 0 || p.fragment
          || p.status != DecodeStatus.OK, at);
      assertTrue(p.l3Offset + p.ipCapturedLength <= p.buf.length, at);
    }
    if (p.payloadOffset >= 0) {
      assertTrue(p.payloadLength >= 0, at);
      assertTrue(p.payloadOffset + p.payloadLength <= p.buf.length, at);
      assertTrue(p.payloadWireLength >= 0, at);
    }
    assertTrue(p.anomalyCount >= 0, at);
    assertTrue(p.tunnelDepth <= 4, at);
  }
}

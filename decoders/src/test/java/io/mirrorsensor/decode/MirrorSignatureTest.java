package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Mirror duplicates: one packet mirrored at both ENIs, under two VNIs. */
class MirrorSignatureTest {
  private final PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
  private final DecodedPacket out = new DecodedPacket();

  private long sig(byte[] frame, int capLen) {
    decoder.decode(frame, 0, capLen, frame.length, LinkType.ETHERNET, 0, out);
    return MirrorSignature.of(out);
  }

  private static byte[] inner(int ttl, int id, byte[] payload) {
    return eth(0x0800, ipv4(ip("172.31.1.1"), ip("172.31.2.2"), 6, ttl, id, 0x4000, new byte[0],
        tcp(40000, 443, 1, 2, 0x18, 500, new byte[0], payload)));
  }

  @Test
  void sameInnerPacketUnderTwoVnisWithDifferentTtlMatches() {
    byte[] payload = bytes(300, 1);
    byte[] one = awsMirror(100, 1111, inner(64, 5, payload));
    long a = sig(one, one.length);
    byte[] other = awsMirror(200, 2222, inner(63, 5, payload));
    long b = sig(other, other.length);
    assertEquals(a, b);
    assertNotEquals(0, a);
  }

  @Test
  void differentPacketsDiffer() {
    byte[] payload = bytes(300, 1);
    byte[] base = awsMirror(1, 1, inner(64, 5, payload));
    long s = sig(base, base.length);
    byte[] otherId = awsMirror(1, 1, inner(64, 6, payload));
    assertNotEquals(s, sig(otherId, otherId.length));
    byte[] changed = payload.clone();
    changed[10] ^= 1;
    byte[] otherPayload = awsMirror(1, 1, inner(64, 5, changed));
    assertNotEquals(s, sig(otherPayload, otherPayload.length));
  }

  @Test
  void bytesPastTheBoundAndTruncationBeyondItDoNotMatter() {
    byte[] payload = bytes(600, 1);
    byte[] full = awsMirror(1, 1, inner(64, 5, payload));
    long s = sig(full, full.length);
    byte[] changedTail = payload.clone();
    // swap two aligned 16-bit words: the TCP checksum (hashed) stays the same
    byte t0 = changedTail[500];
    byte t1 = changedTail[501];
    changedTail[500] = changedTail[502];
    changedTail[501] = changedTail[503];
    changedTail[502] = t0;
    changedTail[503] = t1;
    assertFalse(Arrays.equals(payload, changedTail));
    byte[] other = awsMirror(2, 1, inner(64, 5, changedTail));
    assertEquals(s, sig(other, other.length));
    // a copy truncated by its mirror session after IP + TCP + 200 bytes
    int cut = 14 + 20 + 8 + 8 + 14 + 20 + 20 + 200;
    byte[] truncated = Arrays.copyOf(full, full.length);
    assertEquals(s, sig(truncated, cut));
  }

  @Test
  void ipv6IgnoresHopLimit() {
    byte[] p1 = ipv6("2001:db8::1", "2001:db8::2", 17, udp(1, 2, bytes(20, 0)));
    byte[] p2 = p1.clone();
    p2[7] = 1;
    long a = sig(eth(0x86DD, p1), p1.length + 14);
    long b = sig(eth(0x86DD, p2), p2.length + 14);
    assertEquals(a, b);
    p2[45] ^= 1;
    assertNotEquals(a, sig(eth(0x86DD, p2), p2.length + 14));
  }

  @Test
  void noIpLayerIsZero() {
    byte[] arp = eth(0x0806, bytes(28, 0));
    assertEquals(0, sig(arp, arp.length));
  }
}

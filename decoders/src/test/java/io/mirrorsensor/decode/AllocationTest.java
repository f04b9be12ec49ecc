package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing: decode (Ethernet/IPv4/TCP, and a VXLAN mirror copy with an
 * IPv6 extension chain), FlowKey.hash, FlowKey.matches and MirrorSignature, measured with the
 * JVM's per-thread allocation counter after warm-up. A stand-in until the JMH -prof gc run.
 */
class AllocationTest {
  @Test
  void hotPathAllocatesNothing() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs HotSpot thread counters");
    com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) mx;
    assumeTrue(hs.isThreadAllocatedMemorySupported());
    hs.setThreadAllocatedMemoryEnabled(true);

    byte[] plain = eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 6,
        tcp(1, 2, 3, 4, 0x18, 5, hex("0101080a0000000100000002"), bytes(100, 1))));
    byte[] mirror = awsMirror(5, 6, eth(0x86DD, ipv6(ip("2001:db8::1"), ip("2001:db8::2"), 0,
        concat(ext(60, 1), ext(6, 1)), 6, tcp(1, 2, 0x10, bytes(50, 0)))));
    PacketDecoder d = new PacketDecoder(DecoderConfig.defaults().withValidateChecksums(true));
    DecodedPacket p = new DecodedPacket();
    d.decode(plain, 0, plain.length, plain.length, 1, 0, p);
    FlowKey key = FlowKey.of(p, 0);
    long sink = 0;
    for (int i = 0; i < 200_000; i++) { // warm up: let the JIT compile the path
      sink += run(d, p, plain, mirror, key, i);
    }
    long tid = Thread.currentThread().getId();
    long before = hs.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 100_000; i++) {
      sink += run(d, p, plain, mirror, key, i);
    }
    long allocated = hs.getThreadAllocatedBytes(tid) - before;
    assertNotEquals(0, sink);
    // allow a few hundred bytes for the counter read itself; 100k packets would be MBs
    assertTrue(allocated < 1024, "allocated " + allocated + " bytes over 100k packets");
  }

  private static long run(PacketDecoder d, DecodedPacket p, byte[] plain, byte[] mirror,
      FlowKey key, int i) {
    byte[] f = (i & 1) == 0 ? plain : mirror;
    d.decode(f, 0, f.length, f.length, 1, i, p);
    return FlowKey.hash(p, 0) + (key.matches(p, 0) ? 1 : 0) + MirrorSignature.of(p);
  }
}

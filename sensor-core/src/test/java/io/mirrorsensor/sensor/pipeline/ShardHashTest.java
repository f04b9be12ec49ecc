package io.mirrorsensor.sensor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.gen.Frames;
import org.junit.jupiter.api.Test;

/** Frames built with {@link Frames}: what must meet on one worker does. */
class ShardHashTest {
  private static final int[] PORTS = {4789};

  private static long hash(byte[] f) {
    return ShardHash.hash(f, 0, f.length, LinkType.ETHERNET, PORTS);
  }

  @Test
  void bothDirectionsAndBothMirrorCopiesHashAlike() {
    byte[] c2s = Frames.frame().ipv4(Frames.ip("10.0.1.10"), Frames.ip("10.0.2.20"))
        .tcp(40000, 443).flags(Frames.SYN).build();
    byte[] s2c = Frames.frame().ipv4(Frames.ip("10.0.2.20"), Frames.ip("10.0.1.10"))
        .tcp(443, 40000).flags(Frames.SYN | Frames.ACK).build();
    assertEquals(hash(c2s), hash(s2c));
    byte[] copyA = Frames.vxlan(Frames.ip("10.0.1.10"), Frames.ip("10.9.9.9"), 101, c2s);
    byte[] copyB = Frames.vxlan(Frames.ip("10.0.2.20"), Frames.ip("10.9.9.9"), 102, c2s);
    assertEquals(hash(c2s), hash(copyA), "the inner addresses decide, not the outer ones");
    assertEquals(hash(copyA), hash(copyB), "two mirror copies under two VNIs meet");
    byte[] other = Frames.frame().ipv4(Frames.ip("10.0.1.11"), Frames.ip("10.0.2.20"))
        .tcp(40000, 443).flags(Frames.SYN).build();
    assertNotEquals(hash(c2s), hash(other));
  }

  @Test
  void anUnparseableFrameGoesToShardZero() {
    assertEquals(0, ShardHash.shard(new byte[10], 0, 10, LinkType.ETHERNET, PORTS, 4));
    assertEquals(0, ShardHash.shard(new byte[60], 0, 60, 9999, PORTS, 4));
  }
}

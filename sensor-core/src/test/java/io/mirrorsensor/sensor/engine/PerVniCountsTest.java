package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.gen.Frames;
import org.junit.jupiter.api.Test;

/**
 * Packets and bytes per VNI when the packets of several mirror sessions interleave, including VNIs
 * that share a slot of the processor's small VNI cache (5 and 21 and 4,101: equal low 4 bits) and
 * VNIs above 127 (a boxed lookup of those allocates: the cache exists to avoid it).
 */
class PerVniCountsTest {
  @Test
  void interleavedVnisAreCountedEachOnItsOwn() {
    PacketProcessor pp = new PacketProcessor(SensorConfig.defaults(), new DiscardingEventSink());
    int[] vnis = {5, 21, 4_101, 16_777_215, 5, 300, 21, 5};
    long[] packets = new long[vnis.length];
    long[] bytes = new long[vnis.length];
    byte[] outerSrc = Frames.ip("10.0.0.1");
    byte[] outerDst = Frames.ip("10.0.0.2");
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < vnis.length; i++) {
        byte[] inner = Frames.frame().ipv4(Frames.ip("10.1.0." + (i + 1)), Frames.ip("10.2.0.1"))
            .udp(1000 + i, 53).payload(new byte[10 * i]).build();
        byte[] f = Frames.vxlan(outerSrc, outerDst, vnis[i], inner);
        pp.process(f, 0, f.length, f.length, LinkType.ETHERNET, 1_000_000_000L * (round + 1),
            0);
        int first = firstIndexOf(vnis, vnis[i]);
        packets[first]++;
        bytes[first] += inner.length - 14; // the inner IP packet's length
      }
    }
    assertEquals(5, pp.perVni().size(), pp.perVni().keySet().toString());
    for (int i = 0; i < vnis.length; i++) {
      if (firstIndexOf(vnis, vnis[i]) == i) {
        assertArrayEquals(new long[] {packets[i], bytes[i]}, pp.perVni().get(vnis[i]),
            "vni " + vnis[i]);
      }
    }
  }

  private static int firstIndexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }
}

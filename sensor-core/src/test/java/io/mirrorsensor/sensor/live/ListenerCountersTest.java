package io.mirrorsensor.sensor.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The listener's per-VNI table: one slot per VNI while there is room, then the overflow slot. */
class ListenerCountersTest {
  @Test
  void vnisKeepTheirSlotsAndTheOverflowCountsTheRest() {
    ListenerCounters.PerVni t = new ListenerCounters.PerVni();
    int extra = 44;
    // VNIs with the same low bits and the largest VNI: the probing must keep them apart.
    int[] vnis = new int[ListenerCounters.PerVni.SLOTS + extra];
    for (int i = 0; i < vnis.length; i++) {
      vnis[i] = i == 0 ? 0xFFFFFF : i << 8;
    }
    for (int round = 0; round < 3; round++) {
      for (int v : vnis) {
        int slot = t.slot(v);
        t.received(slot, 100 + round);
        if (round == 2) {
          t.dropped(slot);
        }
      }
    }
    Map<Integer, Long> packets = new HashMap<>();
    for (int i = 0; i <= ListenerCounters.PerVni.SLOTS; i++) {
      if (t.packets.get(i) > 0) {
        packets.put(t.vni(i), t.packets.get(i));
        assertEquals(t.packets.get(i) * 101, t.bytes.get(i), "slot " + i);
        assertEquals(t.packets.get(i) / 3, t.dropped.get(i), "slot " + i);
      }
    }
    assertEquals(ListenerCounters.PerVni.SLOTS + 1, packets.size());
    for (int i = 0; i < ListenerCounters.PerVni.SLOTS; i++) {
      assertEquals(3L, packets.get(vnis[i]), "VNI " + vnis[i]);
    }
    assertEquals(3L * extra, packets.get(ListenerCounters.PerVni.OTHER));
  }
}

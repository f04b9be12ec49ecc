package io.mirrorsensor.sensor.live;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One receive loop's counters. Single writer (the loop's thread, with release stores via
 * {@link AtomicLong#lazySet}, no read-modify-write); any thread may read. Every datagram received
 * is counted in {@link #received} and in exactly one of {@link #published} or a drop reason.
 */
final class ListenerCounters {
  final AtomicLong received = new AtomicLong();
  final AtomicLong receivedBytes = new AtomicLong();
  final AtomicLong published = new AtomicLong();
  final AtomicLong notVxlan = new AtomicLong();
  /** GENEVE sockets: not a GENEVE version 0 header with an IP or Ethernet payload. */
  final AtomicLong notGeneve = new AtomicLong();
  final AtomicLong sourceNotAllowed = new AtomicLong();
  final AtomicLong vniNotAllowed = new AtomicLong();
  final AtomicLong oversized = new AtomicLong();
  final AtomicLong ringFull = new AtomicLong();
  final AtomicLong ringHighWater = new AtomicLong();
  /** Per VNI of the VXLAN header: datagrams and bytes received, and those dropped after. */
  final PerVni perVni = new PerVni();

  static void inc(AtomicLong c) {
    c.lazySet(c.get() + 1);
  }

  static void add(AtomicLong c, long n) {
    c.lazySet(c.get() + n);
  }

  /**
   * Datagrams and bytes received per VNI, and how many of them the listener dropped (VNI not
   * allowed, oversized, ring full), counted before the ring so that per-VNI losses show against
   * the workers' per-VNI counts. A fixed open-addressing table of {@value #SLOTS} VNIs; VNIs beyond
   * it count in one overflow slot ({@link #OTHER}). Single writer, no allocation: the slot's key
   * is published (release store) before its first count, so a reader that sees a count sees its
   * key.
   */
  static final class PerVni {
    static final int SLOTS = 256;
    /** The key reported for the overflow slot. */
    static final int OTHER = -1;
    /** VNI + 1 per slot, 0 when free; slot {@value #SLOTS} is the overflow. */
    final AtomicIntegerArray keys = new AtomicIntegerArray(SLOTS + 1);
    final AtomicLongArray packets = new AtomicLongArray(SLOTS + 1);
    final AtomicLongArray bytes = new AtomicLongArray(SLOTS + 1);
    final AtomicLongArray dropped = new AtomicLongArray(SLOTS + 1);

    /** The slot of {@code vni} (0 .. 2^24-1), claimed on first sight; the writer's thread only. */
    int slot(int vni) {
      int k = vni + 1;
      int i = (vni * 0x9E3779B1 >>> 24) & (SLOTS - 1);
      for (int probe = 0; probe < SLOTS; probe++) {
        int have = keys.get(i);
        if (have == k) {
          return i;
        }
        if (have == 0) {
          keys.lazySet(i, k);
          return i;
        }
        i = (i + 1) & (SLOTS - 1);
      }
      return SLOTS;
    }

    /** A datagram of {@code len} bytes received for the VNI of {@code slot}. */
    void received(int slot, int len) {
      packets.lazySet(slot, packets.get(slot) + 1);
      bytes.lazySet(slot, bytes.get(slot) + len);
    }

    void dropped(int slot) {
      dropped.lazySet(slot, dropped.get(slot) + 1);
    }

    /** The VNI of a slot, {@link #OTHER} for the overflow, or -2 when the slot is free. */
    int vni(int slot) {
      return slot == SLOTS ? OTHER : keys.get(slot) - 1 < 0 ? -2 : keys.get(slot) - 1;
    }
  }
}

package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;
import java.util.Arrays;

/**
 * The xbits of one rule set: named bits on an IP address (track ip_src / ip_dst) or an address
 * pair (ip_pair, order-independent), each with an expiry in packet time, as Suricata keeps them in
 * its host and ippair tables. Shared by every detector (worker) of the set, so a bit set from one
 * flow is seen by flows on other workers; methods are synchronized (xbit rules are evaluated
 * rarely: only as candidates). Fixed capacity, open addressing; when a probe run is full, the
 * entry expiring first is replaced (counted in {@link #evictions()}). Nothing is allocated after
 * construction. A reload starts with an empty table, as thresholds do.
 */
final class XbitTable {
  static final int TRACK_SRC = 0;
  static final int TRACK_DST = 1;
  static final int TRACK_PAIR = 2;
  private static final int PROBES = 16;

  private final int mask;
  private final int[] name;
  private final long[] a0;
  private final long[] a1;
  private final long[] b0;
  private final long[] b1;
  private final long[] expires;
  private long evictions;

  XbitTable(int capacity) {
    int cap = Integer.highestOneBit(Math.max(64, capacity - 1) << 1);
    mask = cap - 1;
    name = new int[cap];
    Arrays.fill(name, -1);
    a0 = new long[cap];
    a1 = new long[cap];
    b0 = new long[cap];
    b1 = new long[cap];
    expires = new long[cap];
  }

  /** 0 isset, 1 set, 2 unset, 3 toggle; returns the bit's state before the operation. */
  synchronized boolean apply(int op, int bit, int track, DecodedPacket p, long expireNanos) {
    long x0;
    long x1;
    long y0 = 0;
    long y1 = 0;
    byte[] first = track == TRACK_DST ? p.dstAddr : p.srcAddr;
    x0 = word(first, 0) ^ p.ipVersion;
    x1 = word(first, 8);
    if (track == TRACK_PAIR) {
      y0 = word(p.dstAddr, 0) ^ p.ipVersion;
      y1 = word(p.dstAddr, 8);
      if (x0 > y0 || x0 == y0 && x1 > y1) {
        long t0 = x0;
        long t1 = x1;
        x0 = y0;
        x1 = y1;
        y0 = t0;
        y1 = t1;
      }
    }
    long now = p.tsNanos;
    long h = bit * 0x9E3779B97F4A7C15L ^ x0 * 31 ^ x1 * 131 ^ y0 * 1031 ^ y1 * 8191 ^ track;
    h ^= h >>> 29;
    int start = (int) h & mask;
    int free = -1;
    int victim = start;
    for (int i = 0; i < PROBES; i++) {
      int s = (start + i) & mask;
      if (name[s] == bit && a0[s] == x0 && a1[s] == x1 && b0[s] == y0 && b1[s] == y1) {
        boolean was = expires[s] > now;
        if (op == 2 || op == 3 && was) {
          name[s] = -1;
        } else if (op == 1 || op == 3) {
          expires[s] = now + expireNanos;
        }
        return was;
      }
      if (free < 0 && (name[s] < 0 || expires[s] <= now)) {
        free = s;
      }
      if (expires[s] < expires[victim]) {
        victim = s;
      }
    }
    if (op == 1 || op == 3) {
      int s = free;
      if (s < 0) {
        s = victim;
        evictions++;
      }
      name[s] = bit;
      a0[s] = x0;
      a1[s] = x1;
      b0[s] = y0;
      b1[s] = y1;
      expires[s] = now + expireNanos;
    }
    return false;
  }

  synchronized long evictions() {
    return evictions;
  }

  private static long word(byte[] a, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (a[off + i] & 0xFF);
    }
    return v;
  }
}

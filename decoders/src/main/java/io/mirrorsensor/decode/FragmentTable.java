package io.mirrorsensor.decode;

import java.util.Arrays;

/**
 * IPv4 and IPv6 fragment reassembly for one {@link PacketDecoder} (one worker thread).
 *
 * <p>A datagram is keyed by IP version, source, destination, identification (and protocol for
 * IPv4, RFC 791), plus the tunnel context it was found in (VXLAN depth and VNI): the same packet
 * mirrored twice under two VNIs must not be mixed into one datagram.
 *
 * <p>Policy: the first bytes received for an offset win; later overlapping bytes are dropped and
 * the overlap is recorded ({@code ipv4.frag_overlap}/{@code ipv6.frag_overlap}). Bounds, each
 * counted when hit: datagrams in progress (a new one evicts the oldest), bytes per datagram (the
 * datagram is dropped), bytes of buffer retained in all (free buffers are released, then the
 * oldest datagrams evicted), pieces per datagram. A datagram expires {@code fragmentTimeoutNanos}
 * of packet time after its first fragment; the clock is never read.
 *
 * <p>Buffers grow to fit (amortised: a slot keeps its buffer for reuse), so steady state
 * allocates nothing. Call order, per packet: {@link #releaseLent}, {@link #expire}, then any
 * number of {@link #offer}; after {@code COMPLETE}, {@link #completedBuffer} is valid until the
 * next {@code releaseLent}.
 */
final class FragmentTable {
  static final int HELD = 0;
  static final int COMPLETE = 1;
  static final int NOT_HELD = 2;

  /** Largest unfragmentable part kept: IPv4 header (60) or IPv6 header + extension headers. */
  static final int MAX_HEADER = 512;

  private final DecodeCounters counters;
  private final Datagram[] slots;
  private final int maxDatagramBytes;
  private final long maxTotalBytes;
  private final int maxPieces;
  private final long timeoutNanos;

  private int active;
  private int lent;
  private long retainedBytes;
  private long nextExpiry = Long.MAX_VALUE;
  private Datagram completed;

  FragmentTable(DecoderConfig config, DecodeCounters counters) {
    this.counters = counters;
    this.slots = new Datagram[config.maxFragmentDatagrams()];
    this.maxDatagramBytes = config.maxFragmentDatagramBytes();
    this.maxTotalBytes = config.maxFragmentTotalBytes();
    this.maxPieces = config.maxFragmentsPerDatagram();
    this.timeoutNanos = config.fragmentTimeoutNanos();
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Datagram(maxPieces);
    }
  }

  /** Datagrams currently in progress. */
  int inProgress() {
    return active;
  }

  /** Bytes of reassembly buffer retained. */
  long retainedBytes() {
    return retainedBytes;
  }

  /** Returns the buffers handed out by the previous call's COMPLETE to the table. */
  void releaseLent() {
    if (lent == 0) {
      return;
    }
    for (Datagram d : slots) {
      d.lent = false;
    }
    lent = 0;
    completed = null;
  }

  /** Drops the datagrams whose time ran out by packet time {@code now}. */
  void expire(long now) {
    if (active == 0 || now < nextExpiry) {
      return;
    }
    long next = Long.MAX_VALUE;
    for (Datagram d : slots) {
      if (!d.active) {
        continue;
      }
      if (d.expiresAt <= now) {
        drop(d);
        counters.increment(DecodeCounter.FRAGMENTS_TIMED_OUT);
      } else if (d.expiresAt < next) {
        next = d.expiresAt;
      }
    }
    nextExpiry = next;
  }

  byte[] completedBuffer() {
    return completed.data;
  }

  int completedLength() {
    return completed.completedLength;
  }

  int completedVersion() {
    return completed.ipVersion;
  }

  /**
   * Takes one fragment. {@code ip} is the IP header's offset in {@code buf}; {@code headerLength}
   * the unfragmentable part (IPv4 header; IPv6 header and extension headers before the fragment
   * header); {@code nhPatch} (IPv6) the offset, from {@code ip}, of the Next Header byte that
   * names the fragment header; {@code data}/{@code dataLength} the fragment's payload, all of it
   * captured. Returns HELD, COMPLETE or NOT_HELD (the caller passes the fragment on as is).
   */
  int offer(DecodeContext c, int ipVersion, byte[] buf, int ip, int headerLength, int nhPatch,
      int proto, int id, int fragOffset, boolean more, int data, int dataLength) {
    Anomaly overlap = ipVersion == 4 ? Anomaly.IPV4_FRAG_OVERLAP : Anomaly.IPV6_FRAG_OVERLAP;
    Anomaly invalid = ipVersion == 4 ? Anomaly.IPV4_FRAG_INVALID : Anomaly.IPV6_FRAG_INVALID;
    int end = fragOffset + dataLength;
    if (end > 0xFFFF || (more && dataLength == 0)) {
      return notHeld(c, invalid);
    }
    if (headerLength > MAX_HEADER) {
      return notHeld(c, Anomaly.FRAGMENT_DATAGRAM_TOO_LARGE);
    }
    int srcAt = ip + (ipVersion == 4 ? Ipv4View.SRC_OFFSET : Ipv6View.SRC_OFFSET);
    int addrLen = ipVersion == 4 ? 4 : 16;
    int depth = c.out.tunnelDepth;
    Datagram d = find(ipVersion, buf, srcAt, addrLen, proto, id, c.vniContext, depth);
    if (d == null) {
      d = allocate(c);
      if (d == null) {
        return notHeld(c, Anomaly.FRAGMENT_TABLE_FULL);
      }
      d.open(ipVersion, buf, srcAt, addrLen, ipVersion == 4 ? proto : -1, id, c.vniContext,
          depth, c.tsNanos, c.tsNanos + timeoutNanos);
      active++;
      if (d.expiresAt < nextExpiry) {
        nextExpiry = d.expiresAt;
      }
    }
    // the end of the datagram, once known, is fixed
    if (d.totalLength >= 0 && (end > d.totalLength || (more && end == d.totalLength)
        || (!more && end != d.totalLength))) {
      return notHeld(c, invalid);
    }
    if (!more && end < d.highest) {
      return notHeld(c, invalid);
    }
    if (fragOffset == 0 && d.headerLength < 0) {
      System.arraycopy(buf, ip, d.header, 0, headerLength);
      d.headerLength = headerLength;
      d.nhPatch = nhPatch;
      d.firstProto = proto;
    }
    if (Math.max(d.highest, end) + Math.max(d.headerLength, 0) > maxDatagramBytes) {
      drop(d);
      return notHeld(c, Anomaly.FRAGMENT_DATAGRAM_TOO_LARGE);
    }
    if (!ensureCapacity(c, d, end)) {
      return NOT_HELD;
    }
    int r = d.insert(buf, data, fragOffset, end);
    if (r < 0) {
      drop(d);
      return notHeld(c, Anomaly.FRAGMENT_TOO_MANY);
    }
    if (r > 0) {
      c.anomaly(overlap);
    }
    if (!more) {
      d.totalLength = end;
    }
    counters.increment(DecodeCounter.FRAGMENTS_HELD);
    if (!d.isComplete()) {
      return HELD;
    }
    return complete(c, d);
  }

  private int complete(DecodeContext c, Datagram d) {
    int hl = d.headerLength;
    int total = d.totalLength;
    if (!ensureCapacity(c, d, hl + total)) {
      return NOT_HELD;
    }
    byte[] b = d.data;
    System.arraycopy(b, 0, b, hl, total);
    System.arraycopy(d.header, 0, b, 0, hl);
    if (d.ipVersion == 4) {
      Bytes.put16(b, Ipv4View.TOTAL_LENGTH_OFFSET, hl + total);
      int ff = Bytes.u16(b, Ipv4View.FLAGS_FRAGMENT_OFFSET);
      Bytes.put16(b, Ipv4View.FLAGS_FRAGMENT_OFFSET, ff & (Ipv4View.FLAG_RESERVED | Ipv4View.FLAG_DF));
      Bytes.put16(b, Ipv4View.CHECKSUM_OFFSET, 0);
      Bytes.put16(b, Ipv4View.CHECKSUM_OFFSET,
          InternetChecksum.compute(InternetChecksum.add(0, b, 0, hl)));
    } else {
      Bytes.put16(b, Ipv6View.PAYLOAD_LENGTH_OFFSET, hl - Ipv6View.HEADER_LENGTH + total);
      b[d.nhPatch] = (byte) d.firstProto;
    }
    d.completedLength = hl + total;
    release(d);
    d.lent = true;
    lent++;
    completed = d;
    counters.increment(DecodeCounter.FRAGMENTS_REASSEMBLED);
    return COMPLETE;
  }

  private int notHeld(DecodeContext c, Anomaly a) {
    c.anomaly(a);
    counters.increment(DecodeCounter.FRAGMENTS_NOT_HELD);
    return NOT_HELD;
  }

  private Datagram find(int version, byte[] buf, int srcAt, int addrLen, int proto, int id,
      int vni, int depth) {
    if (active == 0) {
      return null;
    }
    int key4 = version == 4 ? proto : -1;
    for (Datagram d : slots) {
      if (d.active && d.id == id && d.ipVersion == version && d.proto == key4 && d.vni == vni
          && d.depth == depth
          && Arrays.equals(d.src, 0, addrLen, buf, srcAt, srcAt + addrLen)
          && Arrays.equals(d.dst, 0, addrLen, buf, srcAt + addrLen, srcAt + 2 * addrLen)) {
        return d;
      }
    }
    return null;
  }

  /** A free slot, evicting the oldest datagram in progress when all are taken. */
  private Datagram allocate(DecodeContext c) {
    Datagram oldest = null;
    for (Datagram d : slots) {
      if (!d.active && !d.lent) {
        return d;
      }
      if (d.active && (oldest == null || d.firstTs < oldest.firstTs)) {
        oldest = d;
      }
    }
    // every slot is active or lent; lent ones are at most a few (one per tunnel level)
    if (oldest == null) {
      return null;
    }
    c.anomaly(Anomaly.FRAGMENT_TABLE_FULL);
    counters.increment(DecodeCounter.FRAGMENTS_EVICTED);
    drop(oldest);
    return oldest;
  }

  /** Grows {@code d}'s buffer to hold {@code need} bytes within the memory bound. */
  private boolean ensureCapacity(DecodeContext c, Datagram d, int need) {
    int have = d.data == null ? 0 : d.data.length;
    if (need <= have) {
      return true;
    }
    int want = Math.min(Math.max(need, Math.max(2 * have, 2048)), maxDatagramBytes);
    long extra = want - have;
    if (retainedBytes + extra > maxTotalBytes) {
      for (Datagram o : slots) { // release idle buffers first
        if (!o.active && !o.lent && o.data != null && o != d) {
          retainedBytes -= o.data.length;
          o.data = null;
        }
      }
    }
    while (retainedBytes + extra > maxTotalBytes) {
      Datagram oldest = null;
      for (Datagram o : slots) {
        if (o.active && o != d && o.data != null
            && (oldest == null || o.firstTs < oldest.firstTs)) {
          oldest = o;
        }
      }
      if (oldest == null) {
        drop(d);
        c.anomaly(Anomaly.FRAGMENT_MEMORY_EXHAUSTED);
        counters.increment(DecodeCounter.FRAGMENTS_NOT_HELD);
        return false;
      }
      c.anomaly(Anomaly.FRAGMENT_MEMORY_EXHAUSTED);
      counters.increment(DecodeCounter.FRAGMENTS_EVICTED);
      drop(oldest);
      retainedBytes -= oldest.data.length;
      oldest.data = null;
    }
    byte[] grown = new byte[want];
    if (d.data != null) {
      System.arraycopy(d.data, 0, grown, 0, d.data.length);
    }
    retainedBytes += extra;
    d.data = grown;
    return true;
  }

  private void drop(Datagram d) {
    release(d);
  }

  private void release(Datagram d) {
    if (d.active) {
      d.active = false;
      active--;
    }
  }

  /** One datagram in progress: its key, unfragmentable header, and the byte ranges received. */
  private static final class Datagram {
    boolean active;
    boolean lent;
    int ipVersion;
    final byte[] src = new byte[16];
    final byte[] dst = new byte[16];
    int proto;
    int id;
    int vni;
    int depth;
    long firstTs;
    long expiresAt;
    final byte[] header = new byte[MAX_HEADER];
    int headerLength;
    int nhPatch;
    int firstProto;
    /** Fragmentable payload at its offset; header prepended on completion. */
    byte[] data;
    /** Sorted, disjoint, non-adjacent received ranges [starts[i], ends[i]). */
    final int[] starts;
    final int[] ends;
    int pieces;
    int highest;
    int totalLength;
    int completedLength;

    Datagram(int maxPieces) {
      starts = new int[maxPieces];
      ends = new int[maxPieces];
    }

    void open(int version, byte[] buf, int srcAt, int addrLen, int proto, int id, int vni,
        int depth, long ts, long expiresAt) {
      active = true;
      ipVersion = version;
      System.arraycopy(buf, srcAt, src, 0, addrLen);
      System.arraycopy(buf, srcAt + addrLen, dst, 0, addrLen);
      this.proto = proto;
      this.id = id;
      this.vni = vni;
      this.depth = depth;
      firstTs = ts;
      this.expiresAt = expiresAt;
      headerLength = -1;
      nhPatch = -1;
      firstProto = -1;
      pieces = 0;
      highest = 0;
      totalLength = -1;
      completedLength = 0;
    }

    boolean isComplete() {
      return totalLength >= 0 && headerLength >= 0 && pieces == 1 && starts[0] == 0
          && ends[0] == totalLength;
    }

    /**
     * Copies the bytes of {@code [s, e)} not yet received (first wins) and merges the range.
     * Returns 1 if some bytes overlapped, 0 if none, -1 if the piece bound was hit.
     */
    int insert(byte[] buf, int from, int s, int e) {
      int overlap = 0;
      int cur = s;
      for (int i = 0; i < pieces && cur < e; i++) {
        int a = starts[i];
        int b = ends[i];
        if (b <= cur) {
          continue;
        }
        if (a >= e) {
          break;
        }
        if (a > cur) {
          System.arraycopy(buf, from + (cur - s), data, cur, a - cur);
        }
        overlap = 1;
        cur = b;
      }
      if (cur < e) {
        System.arraycopy(buf, from + (cur - s), data, cur, e - cur);
      }
      // merge [s, e) with every range it touches
      int first = 0;
      while (first < pieces && ends[first] < s) {
        first++;
      }
      int last = first;
      int ns = s;
      int ne = e;
      while (last < pieces && starts[last] <= e) {
        ns = Math.min(ns, starts[last]);
        ne = Math.max(ne, ends[last]);
        last++;
      }
      int merged = last - first;
      if (merged == 0) {
        if (pieces == starts.length) {
          return -1;
        }
        System.arraycopy(starts, first, starts, first + 1, pieces - first);
        System.arraycopy(ends, first, ends, first + 1, pieces - first);
        pieces++;
      } else if (merged > 1) {
        System.arraycopy(starts, last, starts, first + 1, pieces - last);
        System.arraycopy(ends, last, ends, first + 1, pieces - last);
        pieces -= merged - 1;
      }
      starts[first] = ns;
      ends[first] = ne;
      if (e > highest) {
        highest = e;
      }
      return overlap;
    }
  }
}

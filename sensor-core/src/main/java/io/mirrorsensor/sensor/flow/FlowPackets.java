package io.mirrorsensor.sensor.flow;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.config.ExtractConfig;

/**
 * The recent packets of every flow of one {@link FlowTable} shard, kept for pcap extracts: at most
 * {@code extract.buffer_packets} packets and {@code extract.buffer_bytes} captured bytes per flow
 * (oldest dropped first), all stored in this shard's slab of fixed-size blocks, bounded by {@code
 * extract.memcap}. Nothing is allocated per packet: blocks are recycled through a free list; a
 * flow allocates its small index ring on its first packet, the slab grows by pages up to the cap.
 *
 * <p>Once a flow has an extract ({@link Flow#extract()} set by the {@link Tap}), its packets are
 * no longer buffered but handed to the tap as they come. Owned by the table's thread.
 */
public final class FlowPackets {
  /** Receives the packets of flows with an extract, and every flow's end. */
  public interface Tap {
    /** Called once, when the table is set up: the buffers the tap reads pre-trigger packets from. */
    void attach(FlowPackets buffers);

    /** A packet of a flow whose {@link Flow#extract()} is set; {@code buf} is valid only now. */
    void packet(Flow f, byte[] buf, int off, int capLen, int origLen, int linkType, long tsNanos);

    /** The flow ended (after its record was written); its buffer is released right after. */
    void flowEnded(Flow f);

    /** Counters for {@code stats.extract}. */
    default java.util.Map<String, Object> extractStats() {
      return new java.util.LinkedHashMap<>();
    }
  }

  /** Visits buffered packets, oldest first; {@code buf} is valid only during the call. */
  @FunctionalInterface
  public interface Visitor {
    void packet(byte[] buf, int off, int capLen, int origLen, int linkType, long tsNanos);
  }

  static final int BLOCK = 256;
  private static final int PAGE_BLOCKS = 4096; // 1 MiB pages

  private final int perFlowPackets;
  private final long perFlowBytes;
  private final int maxBlocks;
  private final boolean outer;
  private Tap tap;

  private byte[][] pages = new byte[0][];
  private int[] next = new int[0];
  private long[] ts = new long[0];
  private int[] cap = new int[0];
  private int[] orig = new int[0];
  private int[] link = new int[0];
  private int[] free = new int[0];
  private int freeTop;
  /** Blocks handed out at least once (the rest of the allocated pages is fresh). */
  private int fresh;
  private int allocated;
  private byte[] scratch = new byte[2048];

  private long buffered;
  private long memcapHits;
  private long skipped;
  private int blocksInUse;

  public FlowPackets(ExtractConfig c) {
    this.perFlowPackets = c.bufferPackets();
    this.perFlowBytes = c.bufferBytes();
    this.maxBlocks = (int) Math.min(Integer.MAX_VALUE - PAGE_BLOCKS, c.memcap() / BLOCK);
    this.outer = c.outerFrames();
  }

  void tap(Tap t) {
    this.tap = t;
  }

  /** Buffers {@code p} for {@code f}, or hands it to the tap when the flow has an extract. */
  void add(Flow f, DecodedPacket p, int frameOff) {
    byte[] buf = p.buf;
    int off;
    int len;
    int wire;
    int lt;
    if (p.reassembled) {
      skipped++; // the frames of a reassembled datagram are gone: counted, not extracted
      return;
    }
    if (outer || p.l2Offset < 0) {
      off = frameOff;
      len = p.capLen;
      wire = p.origLen;
      lt = p.linkType;
    } else {
      off = p.l2Offset;
      len = frameOff + p.capLen - off;
      wire = Math.max(len, p.origLen - (off - frameOff));
      lt = LinkType.ETHERNET;
    }
    if (off < 0 || len <= 0 || off + len > buf.length) {
      skipped++; // the caller did not say where the frame starts (see FlowTable#frameOffset)
      return;
    }
    if (f.extract != null) {
      tap.packet(f, buf, off, len, wire, lt, p.tsNanos);
      return;
    }
    if (perFlowPackets == 0 || len > perFlowBytes) {
      skipped++;
      return;
    }
    int need = (len + BLOCK - 1) / BLOCK;
    if (need == 0) {
      need = 1;
    }
    if (f.ring == null) {
      f.ring = new int[perFlowPackets];
    }
    while (f.ringCount >= perFlowPackets || f.ringBytes + len > perFlowBytes) {
      dropOldest(f);
    }
    while (available() < need) {
      if (f.ringCount == 0) {
        memcapHits++;
        return;
      }
      dropOldest(f);
      memcapHits++;
    }
    int first = alloc();
    ts[first] = p.tsNanos;
    cap[first] = len;
    orig[first] = wire;
    link[first] = lt;
    int b = first;
    int done = 0;
    while (true) {
      int n = Math.min(BLOCK, len - done);
      System.arraycopy(buf, off + done, pages[b / PAGE_BLOCKS], (b % PAGE_BLOCKS) * BLOCK, n);
      done += n;
      if (done >= len) {
        next[b] = -1;
        break;
      }
      int nb = alloc();
      next[b] = nb;
      b = nb;
    }
    f.ring[(f.ringHead + f.ringCount) % perFlowPackets] = first;
    f.ringCount++;
    f.ringBytes += len;
    buffered++;
  }

  /** The flow ended: tells the tap, then releases its packets. */
  void ended(Flow f) {
    if (tap != null) {
      tap.flowEnded(f);
    }
    clear(f);
  }

  /** Visits {@code f}'s buffered packets oldest first, then releases them; returns how many. */
  public int drain(Flow f, Visitor v) {
    int n = f.ringCount;
    for (int i = 0; i < n; i++) {
      int first = f.ring[(f.ringHead + i) % perFlowPackets];
      int len = cap[first];
      if (scratch.length < len) {
        scratch = new byte[Math.max(len, scratch.length * 2)];
      }
      int done = 0;
      for (int b = first; b >= 0; b = next[b]) {
        int k = Math.min(BLOCK, len - done);
        System.arraycopy(pages[b / PAGE_BLOCKS], (b % PAGE_BLOCKS) * BLOCK, scratch, done, k);
        done += k;
      }
      v.packet(scratch, 0, len, orig[first], link[first], ts[first]);
    }
    clear(f);
    return n;
  }

  /** Releases every packet buffered for {@code f}. */
  public void clear(Flow f) {
    while (f.ringCount > 0) {
      dropOldest(f);
    }
  }

  private void dropOldest(Flow f) {
    int first = f.ring[f.ringHead];
    f.ringBytes -= cap[first];
    f.ringHead = (f.ringHead + 1) % perFlowPackets;
    f.ringCount--;
    for (int b = first; b >= 0; ) {
      int nb = next[b];
      free[freeTop++] = b;
      blocksInUse--;
      b = nb;
    }
  }

  private int available() {
    return freeTop + (maxBlocks - Math.min(maxBlocks, fresh));
  }

  private int alloc() {
    blocksInUse++;
    if (freeTop > 0) {
      return free[--freeTop];
    }
    if (fresh == allocated) {
      growPage();
    }
    return fresh++;
  }

  private void growPage() {
    int pagesNow = pages.length;
    pages = java.util.Arrays.copyOf(pages, pagesNow + 1);
    pages[pagesNow] = new byte[PAGE_BLOCKS * BLOCK];
    allocated += PAGE_BLOCKS;
    if (next.length < allocated) {
      // The per-block arrays double (up to the memcap's blocks) rather than grow a page at a
      // time: growing them by one page per page copied ~60 MB per worker on the way to the
      // default 32 MiB memcap, at every pipeline start.
      long ceiling = ((long) maxBlocks + PAGE_BLOCKS - 1) / PAGE_BLOCKS * PAGE_BLOCKS;
      int size = (int) Math.max(allocated, Math.min(2L * next.length, ceiling));
      next = java.util.Arrays.copyOf(next, size);
      ts = java.util.Arrays.copyOf(ts, size);
      cap = java.util.Arrays.copyOf(cap, size);
      orig = java.util.Arrays.copyOf(orig, size);
      link = java.util.Arrays.copyOf(link, size);
      free = java.util.Arrays.copyOf(free, size);
    }
  }

  /** Packets buffered so far (pre-trigger). */
  public long buffered() {
    return buffered;
  }

  /** Times the shard's {@code extract.memcap} was reached (a packet or an older one dropped). */
  public long memcapHits() {
    return memcapHits;
  }

  /** Packets not buffered: larger than {@code extract.buffer_bytes}, or IP-reassembled. */
  public long skipped() {
    return skipped;
  }

  /** Bytes of slab in use now. */
  public long bytesInUse() {
    return (long) blocksInUse * BLOCK;
  }

  /** Bytes of slab allocated (grows by 1 MiB pages up to the memcap). */
  public long bytesAllocated() {
    return (long) allocated * BLOCK;
  }
}

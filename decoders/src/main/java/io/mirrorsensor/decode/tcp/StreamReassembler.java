package io.mirrorsensor.decode.tcp;

/**
 * In-order byte delivery for one direction of a TCP connection, with bounds.
 *
 * <ul>
 *   <li>A segment at the expected sequence number is handed to the {@link StreamSink} straight
 *       from the packet's buffer (no copy); buffered segments that it makes contiguous follow.
 *   <li>A segment ahead of it is copied and buffered, at most {@link
 *       TcpConfig#reassemblyMaxSegments()} segments per direction and within the worker's {@link
 *       ReassemblyBudget}; beyond either bound the hole before the buffer is given up as a gap.
 *   <li>Overlaps: first wins (Suricata's default policy on Linux-like hosts differs per OS; for a
 *       passive mirror that cannot know the receiver's OS, the bytes seen first are kept). Bytes
 *       overlapping buffered data are compared and counted when they differ; bytes overlapping
 *       data already delivered are counted but cannot be compared (they are not kept).
 *   <li>Truncated mirror copies: the bytes beyond the captured length are a gap, not data.
 *   <li>Depth: after {@link TcpConfig#reassemblyDepth()} bytes of a direction nothing more is
 *       delivered; the bytes beyond are counted.
 * </ul>
 *
 * <p>Call order: {@link #segment} per data segment in capture order, {@link #acknowledged} when
 * the peer acknowledges (lets a hole the peer received but the sensor missed become a gap), and
 * {@link #close} once at the end (flushes what is buffered, with gaps). One owning thread.
 */
public final class StreamReassembler {
  private final TcpConfig config;
  private final ReassemblyBudget budget;
  private final StreamSink sink;

  private boolean started;
  /** Next expected sequence number; {@link #offset} is its stream offset. */
  private long next;
  private long offset;
  /** One past the highest sequence number of any segment seen (valid once started). */
  private long highest;
  private boolean highestKnown;

  // Buffered out-of-order segments, sorted by sequence number, none overlapping. Allocated on the
  // first out-of-order segment and grown to at most reassemblyMaxSegments(): a flow per direction
  // of in-order traffic (the usual case) costs only this object, not 3 KiB of empty arrays.
  private static final int INITIAL_SEGMENTS = 8;
  private long[] bufSeq;
  private byte[][] bufData;
  private int bufCount;

  private long delivered;
  private long gapBytes;
  private long overlapBytes;
  private long overlapsDiffering;
  private long beyondDepth;
  private long boundHits;

  public StreamReassembler(TcpConfig config, ReassemblyBudget budget, StreamSink sink) {
    this.config = config;
    this.budget = budget;
    this.sink = sink;
  }

  /** The stream starts at {@code seq} (the SYN's sequence number plus one). */
  public void start(long seq) {
    if (!started) {
      started = true;
      next = seq & Seq.MASK;
    }
  }

  /**
   * One segment: {@code wireLen} bytes from {@code seq}, of which the first {@code capLen} are
   * {@code buf[off, off + capLen)} (fewer when the mirror copy was truncated). {@code buf} stays
   * the caller's; it is copied only when the segment must wait for a hole to fill.
   */
  public void segment(long seq, byte[] buf, int off, int capLen, int wireLen) {
    if (wireLen <= 0) {
      return;
    }
    seq &= Seq.MASK;
    start(seq);
    long segEnd = Seq.add(seq, wireLen);
    if (!highestKnown || Seq.gt(segEnd, highest)) {
      highest = segEnd;
      highestKnown = true;
    }
    capLen = Math.min(capLen, wireLen);
    int skip = Seq.diff(next, seq);
    if (skip >= wireLen) {
      overlapBytes += wireLen; // all old: first wins
      return;
    }
    if (skip > 0) {
      overlapBytes += skip;
      seq = next;
      wireLen -= skip;
      off += Math.min(skip, capLen);
      capLen = Math.max(0, capLen - skip);
    }
    if (seq == next) {
      if (bufCount > 0 && Seq.lt(bufSeq[0], Seq.add(seq, wireLen))) {
        // Buffered bytes were seen first: deliver up to them, then let buffer() keep theirs.
        int head = Seq.diff(bufSeq[0], seq);
        int headCap = Math.min(head, capLen);
        deliver(buf, off, headCap, head);
        if (capLen > head) {
          buffer(Seq.add(seq, head), buf, off + head, capLen - head, wireLen - head);
        }
      } else {
        deliver(buf, off, capLen, wireLen);
      }
      drain();
      return;
    }
    buffer(seq, buf, off, capLen, wireLen);
  }

  /** The peer acknowledged everything below {@code ack}: a hole below it was lost to the sensor. */
  public void acknowledged(long ack) {
    if (started && bufCount > 0 && Seq.gt(ack & Seq.MASK, next)) {
      long upTo = Seq.lt(bufSeq[0], ack & Seq.MASK) ? bufSeq[0] : ack & Seq.MASK;
      skipTo(upTo);
      drain();
    }
  }

  /**
   * Delivers everything buffered, holes as gaps; bytes seen but not kept (a segment refused by a
   * bound with nothing buffered before it) are announced as a final gap.
   */
  public void close() {
    while (bufCount > 0) {
      skipTo(bufSeq[0]);
      drain();
    }
    if (highestKnown && Seq.gt(highest, next)) {
      skipTo(highest);
    }
  }

  private void deliver(byte[] buf, int off, int capLen, int wireLen) {
    long room = config.reassemblyDepth() - offset;
    if (room <= 0) {
      beyondDepth += wireLen;
      next = Seq.add(next, wireLen);
      offset += wireLen;
      return;
    }
    int n = (int) Math.min(capLen, room);
    if (n > 0) {
      sink.data(buf, off, n, offset);
      delivered += n;
    }
    long missing = Math.min(wireLen, room) - n;
    if (missing > 0) {
      sink.gap(offset + n, missing);
      gapBytes += missing;
    }
    beyondDepth += Math.max(0, wireLen - room);
    next = Seq.add(next, wireLen);
    offset += wireLen;
  }

  private void skipTo(long seq) {
    int n = Seq.diff(seq, next);
    if (n <= 0) {
      return;
    }
    long room = Math.max(0, config.reassemblyDepth() - offset);
    if (room > 0) {
      long g = Math.min(n, room);
      sink.gap(offset, g);
      gapBytes += g;
    }
    next = seq;
    offset += n;
  }

  private void drain() {
    while (bufCount > 0 && !Seq.gt(bufSeq[0], next)) {
      byte[] d = bufData[0];
      long s = bufSeq[0];
      removeFirst();
      budget.release(d.length);
      int skip = Seq.diff(next, s);
      if (skip < d.length) {
        deliver(d, skip, d.length - skip, d.length - skip);
      }
    }
  }

  private void ensureRoom() {
    if (bufSeq == null) {
      int n = Math.min(INITIAL_SEGMENTS, config.reassemblyMaxSegments());
      bufSeq = new long[n];
      bufData = new byte[n][];
    } else if (bufCount == bufSeq.length) {
      int n = Math.min(bufSeq.length * 2, config.reassemblyMaxSegments());
      bufSeq = java.util.Arrays.copyOf(bufSeq, n);
      bufData = java.util.Arrays.copyOf(bufData, n);
    }
  }

  private void removeFirst() {
    bufCount--;
    System.arraycopy(bufSeq, 1, bufSeq, 0, bufCount);
    System.arraycopy(bufData, 1, bufData, 0, bufCount);
    bufData[bufCount] = null;
  }

  /**
   * Buffers the captured part of an out-of-order segment, first-wins against what is buffered: only
   * the pieces not already held are stored. The uncaptured tail of a truncated copy is not
   * buffered: it becomes a gap when reached.
   */
  private void buffer(long seq, byte[] buf, int off, int capLen, int wireLen) {
    long end = Seq.add(seq, capLen);
    int i = 0;
    long cur = seq;
    while (Seq.lt(cur, end)) {
      while (i < bufCount && !Seq.gt(Seq.add(bufSeq[i], bufData[i].length), cur)) {
        i++;
      }
      long pieceEnd = end;
      if (i < bufCount && Seq.lt(bufSeq[i], end)) {
        if (!Seq.gt(bufSeq[i], cur)) {
          // cur lies inside buffered segment i: compare the overlap, keep the old bytes.
          long oEnd = Seq.lt(Seq.add(bufSeq[i], bufData[i].length), end)
              ? Seq.add(bufSeq[i], bufData[i].length) : end;
          int o = Seq.diff(oEnd, cur);
          int a = off + Seq.diff(cur, seq);
          int b = Seq.diff(cur, bufSeq[i]);
          if (!java.util.Arrays.equals(buf, a, a + o, bufData[i], b, b + o)) {
            overlapsDiffering++;
          }
          overlapBytes += o;
          cur = oEnd;
          continue;
        }
        pieceEnd = bufSeq[i];
      }
      int len = Seq.diff(pieceEnd, cur);
      if (bufCount == config.reassemblyMaxSegments() || !budget.take(len)) {
        boundHits++;
        // Give up the hole before the buffer so the buffer can drain, then retry this piece.
        if (bufCount == 0) {
          return;
        }
        skipTo(bufSeq[0]);
        drain();
        if (Seq.le(cur, next)) {
          int skip = Seq.diff(next, cur);
          if (skip < Seq.diff(end, cur)) {
            segment(next, buf, off + Seq.diff(cur, seq) + skip,
                Seq.diff(end, cur) - skip, Seq.diff(end, cur) - skip);
          }
          return;
        }
        i = 0;
        continue;
      }
      byte[] d = java.util.Arrays.copyOfRange(buf, off + Seq.diff(cur, seq),
          off + Seq.diff(cur, seq) + len);
      ensureRoom();
      System.arraycopy(bufSeq, i, bufSeq, i + 1, bufCount - i);
      System.arraycopy(bufData, i, bufData, i + 1, bufCount - i);
      bufSeq[i] = cur;
      bufData[i] = d;
      bufCount++;
      i++;
      cur = pieceEnd;
    }
  }

  /**
   * The stream offset of the next expected byte: bytes delivered, gaps and bytes beyond the depth
   * so far. At or above {@link TcpConfig#reassemblyDepth()} nothing more will be delivered.
   */
  public long offset() {
    return offset;
  }

  /** Bytes handed to the sink as data. */
  public long delivered() {
    return delivered;
  }

  /** Bytes handed to the sink as gaps. */
  public long gapBytes() {
    return gapBytes;
  }

  /** Bytes received again (first copy kept). */
  public long overlapBytes() {
    return overlapBytes;
  }

  /** Overlaps with buffered data whose bytes differed from the first copy. */
  public long overlapsDiffering() {
    return overlapsDiffering;
  }

  /** Bytes beyond {@link TcpConfig#reassemblyDepth()}, not delivered. */
  public long beyondDepth() {
    return beyondDepth;
  }

  /** Times a bound (segments per direction, or the worker's budget) forced a hole to a gap. */
  public long boundHits() {
    return boundHits;
  }

  /** Bytes this direction holds in its out-of-order buffer now. */
  public long bufferedBytes() {
    long n = 0;
    for (int i = 0; i < bufCount; i++) {
      n += bufData[i].length;
    }
    return n;
  }
}

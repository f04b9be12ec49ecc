package io.mirrorsensor.rules;

/**
 * Stream-inspection state of one direction of one TCP flow: the tail of the bytes inspected last
 * ({@link RuleSet#streamTail} bytes at most), which the next window starts with so that a match can
 * span the boundary between two chunks, and the stream offset the next chunk should start at. One
 * per reassembled direction, owned by the flow's worker; {@link Detector#inspectStream} reads and
 * updates it.
 *
 * <p>Memory: the tail grows with the bytes seen, up to the rule set's tail length ({@link
 * RuleSet#MAX_STREAM_TAIL} at most), so a short stream costs a short array. Nothing is allocated
 * per chunk once the tail has reached its size.
 */
public final class StreamWindow {
  byte[] tail;
  int tailLen;
  /** Stream offset of the byte after the tail; -1 before the first chunk. */
  long next = -1;
  /** The prefilter state after the tail, valid for {@link #stateOf} only. */
  int state;
  /** The matcher {@link #state} belongs to (a reload or a gap makes it stale), or null. */
  Object stateOf;
  /**
   * Prefilter hits in the tail that may begin a match the next chunk completes (patterns of rules
   * with more keywords than the fast pattern): pattern id and stream offset of its first byte.
   * When more than {@link #PENDING} are due, {@link #overflow} makes the next chunk rescan the
   * whole tail instead.
   */
  final int[] pendingId = new int[PENDING];
  final long[] pendingAt = new long[PENDING];
  int pendingCount;
  boolean overflow;
  static final int PENDING = 16;

  public StreamWindow() {}

  /**
   * Bytes {@code [offset, offset + len)} of the stream were never seen: the next window starts
   * afresh (a match cannot span a gap).
   */
  public void gap(long offset, long len) {
    tailLen = 0;
    next = offset + len;
    stateOf = null;
    pendingCount = 0;
    overflow = false;
  }

  /** Notes a hit that may begin a match completed by a later chunk. */
  void pend(int id, long at) {
    for (int i = 0; i < pendingCount; i++) {
      if (pendingId[i] == id) {
        pendingAt[i] = Math.max(pendingAt[i], at);
        return;
      }
    }
    if (pendingCount == PENDING) {
      overflow = true;
      return;
    }
    pendingId[pendingCount] = id;
    pendingAt[pendingCount++] = at;
  }

  /**
   * Appends {@code buf[off, off + n)} to the tail, keeping its last {@code keep} bytes; {@code
   * end} is the stream offset after them.
   */
  void append(byte[] buf, int off, int n, int keep, long end) {
    next = end;
    int total = Math.min(keep, tailLen + n);
    if (total <= 0) {
      tailLen = 0;
      return;
    }
    int fromOld = total - Math.min(n, total);
    if (tail == null || tail.length < total) {
      int cap = Math.max(64, Integer.highestOneBit(Math.max(1, total - 1)) << 1);
      byte[] t = new byte[Math.min(cap, Math.max(total, RuleSet.MAX_STREAM_TAIL))];
      if (fromOld > 0) {
        System.arraycopy(tail, tailLen - fromOld, t, 0, fromOld);
      }
      tail = t;
    } else if (fromOld > 0) {
      System.arraycopy(tail, tailLen - fromOld, tail, 0, fromOld);
    }
    int fromNew = total - fromOld;
    System.arraycopy(buf, off + n - fromNew, tail, fromOld, fromNew);
    tailLen = total;
  }
}

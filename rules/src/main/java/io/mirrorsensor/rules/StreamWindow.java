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

  public StreamWindow() {}

  /**
   * Bytes {@code [offset, offset + len)} of the stream were never seen: the next window starts
   * afresh (a match cannot span a gap).
   */
  public void gap(long offset, long len) {
    tailLen = 0;
    next = offset + len;
  }

  /** Keeps the last {@code min(keep, len)} bytes of {@code buf[off, off + len)} as the tail. */
  void keep(byte[] buf, int off, int len, int keep, long end) {
    next = end;
    int n = Math.min(keep, len);
    if (n <= 0) {
      tailLen = 0;
      return;
    }
    if (tail == null || tail.length < n) {
      int cap = Math.max(64, Integer.highestOneBit(n - 1) << 1);
      tail = new byte[Math.min(cap, Math.max(n, RuleSet.MAX_STREAM_TAIL))];
    }
    System.arraycopy(buf, off + len - n, tail, 0, n);
    tailLen = n;
  }
}

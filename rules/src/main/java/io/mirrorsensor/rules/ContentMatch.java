package io.mirrorsensor.rules;

/**
 * A compiled {@code content} with its modifiers. The search window follows Suricata
 * (detect-engine-content-inspection.c): absolute {@code offset}/{@code depth} give {@code [offset,
 * offset + depth)}; relative {@code distance}/{@code within} give {@code [prevEnd + distance,
 * prevEnd + distance + within)}; the match must lie wholly inside the window; {@code startswith}
 * pins it to 0 and {@code endswith} to the end of the buffer.
 */
final class ContentMatch extends PayloadMatch {
  final byte[] pattern;
  /** The pattern lowercased (ASCII), used for nocase search and the case-folding prefilter. */
  final byte[] folded;

  final boolean negated;
  boolean nocase;
  int offset;
  /** -1 when not set. */
  int depth = -1;
  int distance;
  /** -1 when not set. */
  int within = -1;
  boolean hasOffset;
  boolean hasDistance;
  boolean startswith;
  boolean endswith;
  boolean fastPattern;
  boolean fastPatternOnly;
  /**
   * byte_extract variable slots ({@link Detector#extracted}) standing in for offset, depth,
   * distance and within; -1 when the value is literal. A variable depth or within also sets the
   * literal field to 0, so "is set" tests keep working.
   */
  int offsetVar = -1;
  int depthVar = -1;
  int distanceVar = -1;
  int withinVar = -1;
  /** fast_pattern:offset,length chop, or -1. */
  int fpOffset = -1;
  int fpLength = -1;

  ContentMatch(int pos, byte[] pattern, boolean negated, StickyBuffer buffer) {
    super("content", pos);
    this.pattern = pattern;
    this.negated = negated;
    this.buffer = buffer;
    this.folded = new byte[pattern.length];
    for (int i = 0; i < pattern.length; i++) {
      folded[i] = (byte) lower(pattern[i] & 0xFF);
    }
  }

  static int lower(int b) {
    return b >= 'A' && b <= 'Z' ? b + 32 : b;
  }

  @Override
  boolean relative() {
    return hasDistance || within >= 0;
  }

  boolean absolute() {
    return hasOffset || depth >= 0;
  }

  /** Window start for this content given the previous match end. */
  int windowStart(int prevEnd) {
    return windowStart(prevEnd, null);
  }

  /** As {@link #windowStart(int)}, with the values of byte_extract variables. */
  int windowStart(int prevEnd, long[] vars) {
    if (startswith) {
      return 0;
    }
    long start = relative() ? (long) prevEnd + (distanceVar >= 0 ? vars[distanceVar] : distance)
        : offsetVar >= 0 ? vars[offsetVar] : offset;
    return (int) Math.max(0, Math.min(start, Integer.MAX_VALUE));
  }

  /** Window end (exclusive) for this content, clamped to {@code len}. */
  int windowEnd(int prevEnd, int len) {
    return windowEnd(prevEnd, len, null);
  }

  /** As {@link #windowEnd(int, int)}, with the values of byte_extract variables. */
  int windowEnd(int prevEnd, int len, long[] vars) {
    long end = len;
    if (relative()) {
      if (within >= 0) {
        end = (long) prevEnd + (distanceVar >= 0 ? vars[distanceVar] : distance)
            + (withinVar >= 0 ? vars[withinVar] : within);
      }
    } else if (depth >= 0) {
      end = (offsetVar >= 0 ? vars[offsetVar] : offset) + (depthVar >= 0 ? vars[depthVar] : depth);
    }
    if (startswith) {
      end = Math.min(end, pattern.length);
    }
    return (int) Math.max(0, Math.min(end, len));
  }

  /**
   * First occurrence at or after {@code from} that lies inside {@code [start, end)} of {@code s},
   * as an offset in the buffer, or -1.
   */
  int find(Span s, int from, int end) {
    int plen = pattern.length;
    int last = end - plen;
    if (endswith) {
      int only = s.len - plen;
      if (only < from || only > last) {
        return -1;
      }
      return regionMatches(s.buf, s.off + only) ? only : -1;
    }
    byte[] b = s.buf;
    int base = s.off;
    // the first and the last byte are compared before the rest: on binary data or text, the first
    // byte alone matches every few dozen bytes
    int tail = plen - 1;
    if (nocase) {
      int f0 = folded[0];
      int fl = folded[tail];
      for (int i = from; i <= last; i++) {
        int c = b[base + i] & 0xFF;
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) == f0) {
          int e = b[base + i + tail] & 0xFF;
          if ((e >= 'A' && e <= 'Z' ? e + 32 : e) == fl && regionMatches(b, base + i)) {
            return i;
          }
        }
      }
    } else {
      byte p0 = pattern[0];
      byte pl = pattern[tail];
      for (int i = from; i <= last; i++) {
        if (b[base + i] == p0 && b[base + i + tail] == pl && regionMatches(b, base + i)) {
          return i;
        }
      }
    }
    return -1;
  }

  private boolean regionMatches(byte[] b, int at) {
    int plen = pattern.length;
    if (nocase) {
      for (int k = 1; k < plen; k++) {
        int c = b[at + k] & 0xFF;
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (folded[k] & 0xFF)) {
          return false;
        }
      }
      int c0 = b[at] & 0xFF;
      return (c0 >= 'A' && c0 <= 'Z' ? c0 + 32 : c0) == (folded[0] & 0xFF);
    }
    for (int k = 0; k < plen; k++) {
      if (b[at + k] != pattern[k]) {
        return false;
      }
    }
    return true;
  }

  /** The bytes the prefilter looks for (the fast_pattern chop when one was given), folded. */
  byte[] prefilterBytes() {
    if (fpOffset >= 0) {
      byte[] p = new byte[fpLength];
      System.arraycopy(folded, fpOffset, p, 0, fpLength);
      return p;
    }
    return folded;
  }

  @Override
  int eval(Span s, int prevEnd, Detector d) {
    throw new UnsupportedOperationException("content is evaluated by Detector");
  }
}

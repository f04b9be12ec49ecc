package io.mirrorsensor.rules;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * Aho-Corasick over bytes with ASCII case folding, compiled to a full DFA over byte classes (only
 * the distinct bytes of the patterns get their own column, every other byte shares column 0), so
 * a scan is one table load per input byte. Patterns are given folded (lowercase) and must be
 * distinct. Immutable after construction and shared by all detectors; {@link #scan} allocates
 * nothing.
 */
final class MultiPatternMatcher {
  /**
   * Called once for every pattern occurrence (the same pattern may occur many times). A scan of
   * fewer than {@link #LANES_MIN} bytes reports in input order; a longer one in no set order.
   */
  interface Hits {
    /**
     * @param end index in the scanned buffer just after the occurrence's last byte
     */
    void hit(int patternId, int end);
  }

  private final int[] cls = new int[256];
  private final int classes;
  /**
   * Transition table, entries premultiplied by {@link #classes}. States are numbered breadth
   * first, those without outputs before those with: an entry at or above {@link #outFrom} leads to
   * a state with outputs (a compare off the load chain instead of a flag to mask).
   */
  private final int[] delta;
  /** First premultiplied index of a state with outputs. */
  private final int outFrom;
  /** Per state (premultiplied index / classes): pattern ending here, or -1. */
  private final int[] own;
  /** Per state: next state on the failure chain that has an output, or -1. */
  private final int[] dict;
  private final boolean[] hasOut;
  private final int states;
  /**
   * Bytes that take the scan out of the root state (the patterns' first bytes, both cases), when
   * there are at most {@link #SPARSE_FIRST_BYTES} of them; else null. With so few, the scan spends
   * nearly all its time at the root, and {@link #scan} skips through such stretches with a loop
   * that loads no table entry per byte and carries no state from one byte to the next.
   */
  private final boolean[] leavesRoot;

  /** Most distinct first bytes a matcher may have for the root skip ({@link #leavesRoot}). */
  static final int SPARSE_FIRST_BYTES = 8;
  /** Per state (premultiplied index / classes): its depth in the trie (its prefix's length). */
  private final int[] depthOf;
  /** Pattern id to its length. */
  private final int[] patternLength;

  /**
   * Shortest scan split in two lanes ({@link #scan}): a scan is a chain of dependent table loads,
   * one per byte, so two independent chains over the two halves of the input run nearly twice as
   * fast on a core that can have several loads in flight.
   */
  static final int LANES_MIN = 256;

  MultiPatternMatcher(List<byte[]> patterns) {
    boolean[] used = new boolean[256];
    for (byte[] p : patterns) {
      for (byte b : p) {
        used[b & 0xFF] = true;
      }
    }
    int k = 1;
    for (int b = 0; b < 256; b++) {
      if (used[b]) {
        cls[b] = k++;
      }
    }
    for (int b = 'A'; b <= 'Z'; b++) {
      cls[b] = cls[b + 32];
    }
    classes = k;
    int cap = 1;
    for (byte[] p : patterns) {
      cap += p.length;
    }
    int[] go = new int[cap * classes];
    Arrays.fill(go, -1);
    int[] ownT = new int[cap];
    Arrays.fill(ownT, -1);
    int[] depthT = new int[cap];
    patternLength = new int[patterns.size()];
    int n = 1;
    for (int id = 0; id < patterns.size(); id++) {
      int s = 0;
      for (byte b : patterns.get(id)) {
        int c = cls[b & 0xFF];
        int nx = go[s * classes + c];
        if (nx < 0) {
          nx = n++;
          go[s * classes + c] = nx;
          depthT[nx] = depthT[s] + 1;
        }
        s = nx;
      }
      ownT[s] = id;
      patternLength[id] = patterns.get(id).length;
    }
    states = n;
    int[] fail = new int[n];
    int[] dictT = new int[n];
    Arrays.fill(dictT, -1);
    ArrayDeque<Integer> q = new ArrayDeque<>();
    // breadth-first order of the states: the table is laid out in that order, so the shallow
    // states a scan spends nearly all its time in share a few cache lines
    int[] order = new int[n];
    int ordered = 1;
    for (int c = 0; c < classes; c++) {
      int nx = go[c];
      if (nx < 0) {
        go[c] = 0;
      } else {
        fail[nx] = 0;
        q.add(nx);
      }
    }
    while (!q.isEmpty()) {
      int u = q.poll();
      order[ordered++] = u;
      int f = fail[u];
      dictT[u] = ownT[f] >= 0 ? f : dictT[f];
      for (int c = 0; c < classes; c++) {
        int nx = go[u * classes + c];
        if (nx < 0) {
          go[u * classes + c] = go[f * classes + c];
        } else {
          fail[nx] = go[f * classes + c];
          q.add(nx);
        }
      }
    }
    int plain = 0;
    for (int s = 0; s < n; s++) {
      if (ownT[s] < 0 && dictT[s] < 0) {
        plain++;
      }
    }
    int[] rank = new int[n];
    int low = 0;
    int high = plain;
    for (int i = 0; i < n; i++) {
      int u = order[i];
      rank[u] = ownT[u] < 0 && dictT[u] < 0 ? low++ : high++;
    }
    outFrom = plain * classes;
    own = new int[n];
    dict = new int[n];
    hasOut = new boolean[n];
    depthOf = new int[n];
    for (int s = 0; s < n; s++) {
      int r = rank[s];
      depthOf[r] = depthT[s];
      own[r] = ownT[s];
      dict[r] = dictT[s] >= 0 ? rank[dictT[s]] : -1;
      hasOut[r] = ownT[s] >= 0 || dictT[s] >= 0;
    }
    delta = new int[n * classes];
    for (int s = 0; s < n; s++) {
      int row = rank[s] * classes;
      for (int c = 0; c < classes; c++) {
        int t = rank[go[s * classes + c]];
        delta[row + c] = t * classes;
      }
    }
    boolean[] first = new boolean[256];
    int firsts = 0;
    for (int b = 0; b < 256; b++) {
      if (delta[cls[b]] != 0) {
        first[b] = true;
        firsts++;
      }
    }
    leavesRoot = firsts <= SPARSE_FIRST_BYTES ? first : null;
  }

  int states() {
    return states;
  }

  /** Bytes of table memory. */
  long memoryBytes() {
    return (long) delta.length * 4 + (long) states * 9;
  }

  /** Reports every pattern occurring in {@code buf[off, off + len)}. */
  void scan(byte[] buf, int off, int len, Hits hits) {
    scan(buf, off, len, 0, hits);
  }

  /**
   * Continues a scan: {@code state} is what the previous {@code scan} of the bytes just before
   * {@code buf[off]} returned (0 to start afresh); reports every pattern occurrence that ends in
   * {@code buf[off, off + len)} (one that began in the earlier bytes too) and returns the state to
   * continue from. States are valid for this matcher only.
   */
  int scan(byte[] buf, int off, int len, int state, Hits hits) {
    if (leavesRoot != null) {
      return scanSparse(buf, off, len, state, hits);
    }
    if (len >= LANES_MIN) {
      return scanLanes(buf, off, len, state, hits);
    }
    final int[] d = delta;
    final int[] c = cls;
    final int nc = classes;
    final int out = outFrom;
    int s = state;
    // The hit loop is written out here and in scanSparse rather than calling report(): with the
    // call the full ET set's replay took 0.84 s of worker CPU instead of 0.71 (A/B, 3 runs each).
    for (int i = off, end = off + len; i < end; i++) {
      s = d[s + c[buf[i] & 0xFF]];
      if (s >= out) {
        int st = s / nc;
        int x = own[st] >= 0 ? st : dict[st];
        while (x >= 0) {
          hits.hit(own[x], i + 1);
          x = dict[x];
        }
      }
    }
    return s;
  }

  /**
   * {@link #scan} in two lanes stepped together: the first half from {@code state}, the second
   * from the root at its first byte (so it finds every occurrence that begins in it). Then the
   * first lane goes on into the second half, reporting the occurrences that began in the first,
   * until the prefix its state stands for begins in the second half too: from there on both lanes
   * are in the same state, the second lane's is exact, and every occurrence was reported once.
   */
  private int scanLanes(byte[] buf, int off, int len, int state, Hits hits) {
    final int[] d = delta;
    final int[] c = cls;
    final int out = outFrom;
    final int half = len >>> 1;
    final int mid = off + half;
    final int end = off + len;
    int s1 = state;
    int s2 = 0;
    for (int k = 0; k < half; k++) {
      s1 = d[s1 + c[buf[off + k] & 0xFF]];
      s2 = d[s2 + c[buf[mid + k] & 0xFF]];
      if (Math.max(s1, s2) >= out) {
        if (s1 >= out) {
          report(s1, off + k, Integer.MAX_VALUE, hits);
        }
        if (s2 >= out) {
          report(s2, mid + k, Integer.MAX_VALUE, hits);
        }
      }
    }
    for (int j = mid + half; j < end; j++) {
      s2 = d[s2 + c[buf[j] & 0xFF]];
      if (s2 >= out) {
        report(s2, j, Integer.MAX_VALUE, hits);
      }
    }
    final int nc = classes;
    for (int i = mid; i < end; i++) {
      if (depthOf[s1 / nc] <= i - mid) {
        return s2;
      }
      s1 = d[s1 + c[buf[i] & 0xFF]];
      if (s1 >= out) {
        report(s1, i, mid, hits);
      }
    }
    return s1;
  }

  /**
   * Reports the patterns ending at state {@code s} after byte {@code i}, those that begin before
   * {@code before} only.
   */
  private void report(int s, int i, int before, Hits hits) {
    int st = s / classes;
    int x = own[st] >= 0 ? st : dict[st];
    while (x >= 0) {
      int id = own[x];
      if (i + 1 - patternLength[id] < before) {
        hits.hit(id, i + 1);
      }
      x = dict[x];
    }
  }

  /** {@link #scan} for a matcher with few first bytes: skips the bytes that keep it at the root. */
  private int scanSparse(byte[] buf, int off, int len, int state, Hits hits) {
    final int[] d = delta;
    final int[] c = cls;
    final boolean[] first = leavesRoot;
    final int nc = classes;
    final int out = outFrom;
    int s = state;
    for (int i = off, end = off + len; i < end; i++) {
      if (s == 0) {
        while (i < end && !first[buf[i] & 0xFF]) {
          i++;
        }
        if (i == end) {
          break;
        }
      }
      s = d[s + c[buf[i] & 0xFF]];
      if (s >= out) {
        int st = s / nc;
        int x = own[st] >= 0 ? st : dict[st];
        while (x >= 0) {
          hits.hit(own[x], i + 1);
          x = dict[x];
        }
      }
    }
    return s;
  }

  /** True when {@link #scan} skips through the bytes that keep it at the root (tests). */
  boolean sparse() {
    return leavesRoot != null;
  }

  /** Number of occurrences (benchmarks and tests). */
  int count(byte[] buf, int off, int len) {
    int[] n = new int[1];
    scan(buf, off, len, (id, end) -> n[0]++);
    return n[0];
  }
}

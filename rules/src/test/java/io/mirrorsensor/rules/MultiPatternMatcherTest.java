package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The prefilter automaton against a plain search, on the bytes of a corpus capture (HTTP with
 * headers, HTML, gzip): every occurrence, case-folded, whether the scan runs at once or continues
 * from its state across cuts, with the root skip of a sparse pattern set and without.
 */
class MultiPatternMatcherTest {
  private static byte[] corpus(String name) throws Exception {
    String shared = System.getProperty("mirrorsensor.shared", "../../shared");
    Path f = Path.of(shared, "corpus", "pcaps", name);
    if (!Files.isRegularFile(f)) {
      System.err.println("MultiPatternMatcherTest skipped: no corpus capture " + f.toAbsolutePath());
      Assumptions.abort("corpus absent");
    }
    return Files.readAllBytes(f);
  }

  private static List<byte[]> folded(String... ps) {
    List<byte[]> l = new ArrayList<>();
    for (String p : ps) {
      l.add(p.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1));
    }
    return l;
  }

  private static int fold(int c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  }

  /** Every occurrence as "id@end", by a plain search. */
  private static List<String> naive(List<byte[]> pats, byte[] in) {
    List<String> out = new ArrayList<>();
    for (int id = 0; id < pats.size(); id++) {
      byte[] p = pats.get(id);
      for (int i = 0; i + p.length <= in.length; i++) {
        int k = 0;
        while (k < p.length && fold(in[i + k] & 0xFF) == (p[k] & 0xFF)) {
          k++;
        }
        if (k == p.length) {
          out.add(id + "@" + (i + p.length));
        }
      }
    }
    Collections.sort(out);
    return out;
  }

  /** Every occurrence the matcher reports, scanning {@code in} in pieces cut at {@code cuts}. */
  private static List<String> scanned(MultiPatternMatcher m, byte[] in, int... cuts) {
    List<String> out = new ArrayList<>();
    int state = 0;
    int from = 0;
    for (int k = 0; k <= cuts.length; k++) {
      int to = k < cuts.length ? cuts[k] : in.length;
      state = m.scan(in, from, to - from, state, (id, end) -> out.add(id + "@" + end));
      from = to;
    }
    Collections.sort(out);
    return out;
  }

  @Test
  void aSparsePatternSetSkipsToItsFirstBytesAndFindsEveryOccurrence() throws Exception {
    byte[] in = corpus("ppa-http_espn.pcapng");
    // first bytes h, c, e, g (both cases): few enough for the root skip
    List<byte[]> pats = folded("HTTP/1.1", "Content-Type", "espn", "gzip", "cache-control", "e");
    MultiPatternMatcher m = new MultiPatternMatcher(pats);
    assertTrue(m.sparse());
    List<String> want = naive(pats, in);
    assertTrue(want.size() > 100, "the capture holds the patterns: " + want.size());
    assertEquals(want, scanned(m, in));
    // an occurrence that spans a cut is found from the state the first piece ended in
    int http = indexOf(in, "HTTP/1.1");
    assertEquals(want, scanned(m, in, http + 3, http + 5, in.length / 2));
  }

  @Test
  void aDenseSetScansEveryByteAndFindsWhatTheSparseOneFinds() throws Exception {
    byte[] in = corpus("ppa-http_espn.pcapng");
    List<byte[]> sparse = folded("HTTP/1.1", "Content-Type", "espn", "gzip");
    List<byte[]> dense = new ArrayList<>(sparse);
    dense.addAll(folded("date:", "server", "x-", "accept", "vary", "last-modified", "<div",
        "javascript", "the "));
    MultiPatternMatcher s = new MultiPatternMatcher(sparse);
    MultiPatternMatcher d = new MultiPatternMatcher(dense);
    assertTrue(s.sparse());
    assertFalse(d.sparse());
    List<String> all = naive(dense, in);
    assertEquals(all, scanned(d, in, 1000, 1001, in.length - 7));
    // the first four ids are the same patterns in both sets: same occurrences
    List<String> firstFour = new ArrayList<>();
    for (String h : all) {
      if (Integer.parseInt(h.substring(0, h.indexOf('@'))) < 4) {
        firstFour.add(h);
      }
    }
    assertEquals(firstFour, scanned(s, in, 1000, 1001, in.length - 7));
  }

  @Test
  void aLongScanInLanesReportsEveryOccurrenceOnceWhereverThePartsMeet() {
    // byte fixture: occurrences and long partial matches planted across the boundary between the
    // halves of a scan long enough for two lanes; each scan also cut in two
    // (q, r, s: more first bytes, so the scan runs every byte through the table, in lanes)
    List<byte[]> pats = folded("abcdefghijklmnop", "abc", "cdefgh", "ghijklmnop", "p", "qq", "rr",
        "ss");
    MultiPatternMatcher m = new MultiPatternMatcher(pats);
    assertFalse(m.sparse());
    byte[] planted = "ABCDEFGHIJKLMNOPabcdefghijklmnoXabcdefghijklmnop"
        .getBytes(StandardCharsets.ISO_8859_1);
    for (int len : new int[] {2 * MultiPatternMatcher.LANES_MIN + 1, 5000}) {
      int parts = 2;
      for (int p = 1; p < parts; p++) {
        int boundary = p * (len / parts);
        for (int at = boundary - planted.length; at <= boundary + 1; at++) {
          byte[] in = new byte[len];
          java.util.Arrays.fill(in, (byte) '.');
          System.arraycopy(planted, 0, in, at, planted.length);
          List<String> want = naive(pats, in);
          assertEquals(want, scanned(m, in), len + " bytes, planted at " + at);
          assertEquals(want, scanned(m, in, at + 7), len + " bytes, planted at " + at + ", cut");
        }
      }
    }
  }

  @Test
  void aLaneStillInsideAMatchAtTheEndHandsOnItsState() {
    // a partial match longer than a part: the lane that began it never meets the next one's
    // state, and the scan must return the state it reached, not the last lane's
    byte[] pattern = new byte[1100];
    java.util.Arrays.fill(pattern, (byte) 'a');
    List<byte[]> pats = new ArrayList<>(folded("aab", "qq", "rr", "ss", "tt"));
    pats.add(0, java.util.Arrays.copyOf(pattern, 1101));
    pats.get(0)[1100] = 'b';
    MultiPatternMatcher m = new MultiPatternMatcher(pats);
    assertFalse(m.sparse());
    // {cut, a's}: the piece after the cut is too short to rebuild the state from the root
    for (int[] c : new int[][] {{513, 1100}, {1500, 1510}, {700, 1100}}) {
      byte[] in = new byte[c[1] + 1];
      java.util.Arrays.fill(in, (byte) 'a');
      in[c[1]] = 'b';
      List<String> want = List.of("0@" + in.length, "1@" + in.length);
      assertEquals(want, scanned(m, in), "whole, " + c[1] + " a's");
      assertEquals(want, scanned(m, in, c[0]), "cut at " + c[0]);
    }
  }

  private static int indexOf(byte[] in, String s) {
    byte[] p = s.getBytes(StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + p.length <= in.length; i++) {
      for (int k = 0; k < p.length; k++) {
        if (in[i + k] != p[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError(s + " not in the capture");
  }
}

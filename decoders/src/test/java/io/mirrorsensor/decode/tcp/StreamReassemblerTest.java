package io.mirrorsensor.decode.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reassembly: fixtures per rule, and a randomized (fixed-seed) property test. */
class StreamReassemblerTest {
  /** Collects the stream; gaps become '?' bytes so tests can see where they are. */
  static final class Collect implements StreamSink {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    long expectOffset;

    @Override
    public void data(byte[] buf, int off, int len, long offset) {
      assertEquals(expectOffset, offset, "contiguous offsets");
      out.write(buf, off, len);
      expectOffset += len;
    }

    @Override
    public void gap(long offset, long len) {
      assertEquals(expectOffset, offset, "contiguous offsets");
      for (long i = 0; i < len; i++) {
        out.write('?');
      }
      expectOffset += len;
    }

    String text() {
      return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  private static TcpConfig config(long depth, long memcap, int maxSegments) {
    TcpConfig d = TcpConfig.defaults();
    return new TcpConfig(d.reorderWindowNanos(), d.synUnansweredSyns(),
        d.synUnansweredWindowNanos(), d.slowHandshakeNanos(), d.retransStormPercent(),
        d.retransStormMinSegments(), d.zeroWindowStallNanos(), depth, memcap, maxSegments);
  }

  private static byte[] b(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private final Collect sink = new Collect();
  private StreamReassembler r =
      new StreamReassembler(TcpConfig.defaults(), new ReassemblyBudget(1 << 20), sink);

  @Test
  void outOfOrderSegmentsWaitForTheHole() {
    r.start(100);
    r.segment(105, b("world"), 0, 5, 5);
    assertEquals("", sink.text());
    r.segment(100, b("hello"), 0, 5, 5);
    assertEquals("helloworld", sink.text());
  }

  @Test
  void overlapsKeepTheFirstBytesAndCountDifferences() {
    r.start(0);
    r.segment(4, b("EFGH"), 0, 4, 4);
    r.segment(6, b("xyIJ"), 0, 4, 4); // "xy" overlaps buffered "GH" and differs
    r.segment(0, b("ABCDEF"), 0, 6, 6); // "EF" overlaps buffered data, same bytes
    assertEquals("ABCDEFGHIJ", sink.text());
    assertEquals(1, r.overlapsDiffering());
    assertEquals(4, r.overlapBytes());
  }

  @Test
  void truncatedCopiesLeaveGapsNotData() {
    r.start(0);
    r.segment(0, b("abcd"), 0, 4, 10); // 10 sent, 4 captured
    r.segment(10, b("klm"), 0, 3, 3);
    assertEquals("abcd??????klm", sink.text());
    assertEquals(6, r.gapBytes());
  }

  @Test
  void anAcknowledgedHoleBecomesAGap() {
    r.start(0);
    r.segment(0, b("ab"), 0, 2, 2);
    r.segment(5, b("fg"), 0, 2, 2);
    r.acknowledged(7);
    assertEquals("ab???fg", sink.text());
  }

  @Test
  void depthStopsDeliveryAndCountsTheRest() {
    r = new StreamReassembler(config(5, 1 << 20, 16), new ReassemblyBudget(1 << 20), sink);
    r.start(0);
    r.segment(0, b("abc"), 0, 3, 3);
    r.segment(3, b("defg"), 0, 4, 4);
    r.segment(7, b("hij"), 0, 3, 3);
    assertEquals("abcde", sink.text());
    assertEquals(5, r.beyondDepth());
  }

  @Test
  void theMemoryCapIsNeverExceededAndCounted() {
    ReassemblyBudget budget = new ReassemblyBudget(10);
    r = new StreamReassembler(config(1 << 20, 10, 16), budget, sink);
    r.start(0);
    r.segment(2, b("cdefgh"), 0, 6, 6); // 6 buffered
    r.segment(10, b("klmnop"), 0, 6, 6); // would be 12 > 10: the first hole is given up
    assertTrue(budget.used() <= 10);
    assertTrue(r.boundHits() >= 1);
    r.close();
    assertEquals("??cdefgh??klmnop", sink.text());
    assertEquals(0, budget.used());
  }

  @Test
  void sequenceNumbersWrapAround() {
    r.start(0xFFFF_FFFCL);
    r.segment(2, b("ef"), 0, 2, 2);
    r.segment(0xFFFF_FFFCL, b("abcd"), 0, 4, 4);
    r.segment(0, b("XX"), 0, 2, 2); // a hole at the wrap
    r.close();
    assertEquals("abcd??ef".replace("??", "XX"), sink.text());
  }

  /**
   * Property: any segmentation of a stream, reordered within a window of 8 segments, with random
   * repeats (retransmissions of the same bytes), gives back exactly the stream. 500 fixed-seed
   * cases.
   */
  @Test
  void anySegmentationAndReorderingWithinTheWindowGivesTheSameBytes() {
    Random rnd = new Random(20240115);
    for (int run = 0; run < 500; run++) {
      byte[] stream = new byte[1 + rnd.nextInt(20_000)];
      rnd.nextBytes(stream);
      long isn = rnd.nextLong() & 0xFFFF_FFFFL; // some runs cross the 2^32 wrap
      List<int[]> segs = new ArrayList<>();
      for (int pos = 0; pos < stream.length; ) {
        int len = Math.min(stream.length - pos, 1 + rnd.nextInt(1500));
        segs.add(new int[] {pos, len});
        pos += len;
      }
      for (int i = 0; i < segs.size(); i += 8) {
        Collections.shuffle(segs.subList(i, Math.min(segs.size(), i + 8)), rnd);
      }
      for (int k = rnd.nextInt(5); k > 0; k--) {
        segs.add(rnd.nextInt(segs.size()), segs.get(rnd.nextInt(segs.size())));
      }
      Collect c = new Collect();
      StreamReassembler sr = new StreamReassembler(TcpConfig.defaults(),
          new ReassemblyBudget(64 << 20), c);
      sr.start(isn);
      for (int[] s : segs) {
        // A copy per segment, as a packet buffer would be.
        byte[] pkt = java.util.Arrays.copyOfRange(stream, s[0], s[0] + s[1]);
        sr.segment((isn + s[0]) & 0xFFFF_FFFFL, pkt, 0, s[1], s[1]);
      }
      sr.close();
      assertArrayEquals(stream, c.out.toByteArray(), "run " + run);
      assertEquals(0, sr.gapBytes(), "run " + run);
      assertEquals(0, sr.overlapsDiffering(), "run " + run);
    }
  }
}

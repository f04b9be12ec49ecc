package io.mirrorsensor.sensor.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mirrorsensor.decode.LinkType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
  @TempDir Path dir;

  private static final long T0_NS = 1_705_312_800L * 1_000_000_000L; // 2024-01-15T10:00:00Z

  @Test
  void writesByteExactMicrosecondPcap() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter w =
        new PcapWriter(out, LinkType.ETHERNET, 65535, PcapWriter.Resolution.MICRO)) {
      w.write(Bin.hex("00deadbeef00"), 1, 4, 4, T0_NS + 500_000_999L);
    }
    assertArrayEquals(
        Bin.hex(
            "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000"
                + "| 2002a565 20a10700 04000000 04000000 deadbeef"),
        out.toByteArray());
  }

  @Test
  void writesByteExactNanosecondPcapAndCutsToSnaplen() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(out, LinkType.RAW, 3, PcapWriter.Resolution.NANO)) {
      w.write(Bin.hex("deadbeef"), 0, 4, 1500, T0_NS + 499_999_999L);
    }
    assertArrayEquals(
        Bin.hex(
            "4d3cb2a1 0200 0400 00000000 00000000 03000000 65000000"
                + "| 2002a565 ff64cd1d 03000000 dc050000 deadbe"),
        out.toByteArray());
  }

  @Test
  void writesByteExactPcapng() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapngWriter w = new PcapngWriter(out, LinkType.ETHERNET, 65535)) {
      w.write(Bin.hex("deadbeef01"), 0, 5, 60, T0_NS + 500_000_000L);
    }
    assertArrayEquals(
        Bin.hex(
            "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000"
                + "| 01000000 20000000 0100 0000 ffff0000 0900 0100 09000000 00000000 20000000"
                + "| 06000000 28000000 00000000 f47caa17 00a5baf8 05000000 3c000000"
                + "  deadbeef01 000000 28000000"),
        out.toByteArray());
  }

  @Test
  void pcapRoundTripKeepsEveryFieldInBothResolutions() throws IOException {
    for (PcapWriter.Resolution res : PcapWriter.Resolution.values()) {
      Path file = dir.resolve("rt-" + res + ".pcap");
      byte[][] frames = new byte[500][];
      long[] ts = new long[500];
      SplittableRandom rnd = new SplittableRandom(1);
      try (PcapWriter w = PcapWriter.create(file, LinkType.ETHERNET, 262_144, res)) {
        for (int i = 0; i < frames.length; i++) {
          frames[i] = Bin.frame(rnd.nextInt(0, 9000), i);
          ts[i] = T0_NS + rnd.nextLong(0, 1L << 40);
          w.write(frames[i], 0, frames[i].length, frames[i].length + i % 3, ts[i]);
        }
        assertEquals(500, w.records());
      }
      Bin.ReadAll r = Bin.readAll(file, 4096, 16384);
      assertNull(r.damage());
      assertEquals(res == PcapWriter.Resolution.NANO ? "pcap-ns" : "pcap", r.format());
      assertEquals(500, r.records().size());
      long offset = 24;
      for (int i = 0; i < frames.length; i++) {
        Bin.Rec rec = r.records().get(i);
        assertArrayEquals(frames[i], rec.frame());
        assertEquals(frames[i].length + i % 3, rec.origLen());
        long expected = res == PcapWriter.Resolution.NANO ? ts[i] : ts[i] / 1000 * 1000;
        assertEquals(expected, rec.tsNanos());
        assertEquals(offset, rec.fileOffset());
        offset += 16 + frames[i].length;
      }
      assertEquals(Files.size(file), offset);
    }
  }

  @Test
  void pcapngRoundTrip() throws IOException {
    Path file = dir.resolve("rt.pcapng");
    try (PcapngWriter w = PcapngWriter.create(file, LinkType.IPV6, 1000)) {
      for (int i = 0; i < 300; i++) {
        byte[] f = Bin.frame(i * 7 % 1200, i);
        w.write(f, 0, f.length, f.length, T0_NS + i * 1_001L);
      }
    }
    Bin.ReadAll r = Bin.readAll(file);
    assertNull(r.damage());
    assertEquals(300, r.records().size());
    for (int i = 0; i < 300; i++) {
      Bin.Rec rec = r.records().get(i);
      int len = i * 7 % 1200;
      assertEquals(Math.min(len, 1000), rec.capLen());
      assertEquals(len, rec.origLen());
      assertEquals(LinkType.IPV6, rec.linkType());
      assertEquals(T0_NS + i * 1_001L, rec.tsNanos());
      assertArrayEquals(java.util.Arrays.copyOf(Bin.frame(len, i), Math.min(len, 1000)),
          rec.frame());
    }
  }

  @Test
  void copiesRecordsBetweenReaderAndWriter() throws IOException {
    Path src = dir.resolve("src.pcapng");
    try (PcapngWriter w = PcapngWriter.create(src, LinkType.ETHERNET, 65535)) {
      for (int i = 0; i < 10; i++) {
        w.write(Bin.frame(64, i), 0, 64, 64, T0_NS + i);
      }
    }
    Path dst = dir.resolve("dst.pcap");
    try (CaptureReader r = CaptureReader.open(src);
        PcapWriter w = PcapWriter.create(dst, LinkType.ETHERNET, 65535,
            PcapWriter.Resolution.NANO)) {
      CaptureRecord rec = new CaptureRecord();
      while (r.next(rec)) {
        w.write(rec);
      }
    }
    Bin.ReadAll a = Bin.readAll(src);
    Bin.ReadAll b = Bin.readAll(dst);
    assertEquals(a.records().size(), b.records().size());
    for (int i = 0; i < 10; i++) {
      assertArrayEquals(a.records().get(i).frame(), b.records().get(i).frame());
      assertEquals(a.records().get(i).tsNanos(), b.records().get(i).tsNanos());
    }
  }
}

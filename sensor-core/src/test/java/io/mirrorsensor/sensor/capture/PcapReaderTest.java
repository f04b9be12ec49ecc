package io.mirrorsensor.sensor.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.LinkType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapReaderTest {
  @TempDir Path dir;

  // 2024-01-15T10:00:00Z = 1705312800 = 0x65A50220.
  private static final long T0 = 1_705_312_800L;

  // Hand-assembled from draft-ietf-opsawg-pcap sections 4-5: header, then two records of
  // 4 and 3 bytes (the second truncated from 60 on the wire), each field on its own group.
  private static final String BE_MICRO =
      "a1b2c3d4 0002 0004 00000000 00000000 0000ffff 00000001"
          + "| 65a50220 0007a120 00000004 00000004 deadbeef"
          + "| 65a50221 000f423f 00000003 0000003c 010203";
  private static final String LE_MICRO =
      "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000"
          + "| 2002a565 20a10700 04000000 04000000 deadbeef"
          + "| 2102a565 3f420f00 03000000 3c000000 010203";
  private static final String BE_NANO =
      "a1b23c4d 0002 0004 00000000 00000000 00040000 00000065"
          + "| 65a50220 1dcd64ff 00000004 00000004 deadbeef"
          + "| 65a50221 00000001 00000003 0000003c 010203";
  private static final String LE_NANO =
      "4d3cb2a1 0200 0400 00000000 00000000 00000400 65000000"
          + "| 2002a565 ff64cd1d 04000000 04000000 deadbeef"
          + "| 2102a565 01000000 03000000 3c000000 010203";

  @Test
  void readsBigEndianMicrosecondFixture() throws IOException {
    Bin.ReadAll r = read(BE_MICRO);
    assertEquals("pcap", r.format());
    assertTwoRecords(r, LinkType.ETHERNET, T0 * 1_000_000_000L + 500_000_000L,
        (T0 + 1) * 1_000_000_000L + 999_999_000L);
  }

  @Test
  void readsLittleEndianMicrosecondFixture() throws IOException {
    Bin.ReadAll r = read(LE_MICRO);
    assertEquals("pcap", r.format());
    assertTwoRecords(r, LinkType.ETHERNET, T0 * 1_000_000_000L + 500_000_000L,
        (T0 + 1) * 1_000_000_000L + 999_999_000L);
  }

  @Test
  void readsBigEndianNanosecondFixture() throws IOException {
    Bin.ReadAll r = read(BE_NANO);
    assertEquals("pcap-ns", r.format());
    assertTwoRecords(r, LinkType.RAW, T0 * 1_000_000_000L + 499_999_999L,
        (T0 + 1) * 1_000_000_000L + 1L);
  }

  @Test
  void readsLittleEndianNanosecondFixture() throws IOException {
    Bin.ReadAll r = read(LE_NANO);
    assertEquals("pcap-ns", r.format());
    assertTwoRecords(r, LinkType.RAW, T0 * 1_000_000_000L + 499_999_999L,
        (T0 + 1) * 1_000_000_000L + 1L);
  }

  private static void assertTwoRecords(Bin.ReadAll r, int linkType, long ts1, long ts2) {
    assertNull(r.damage());
    assertEquals(2, r.records().size());
    Bin.Rec a = r.records().get(0);
    Bin.Rec b = r.records().get(1);
    assertEquals(1, a.number());
    assertEquals(24, a.fileOffset());
    assertEquals(ts1, a.tsNanos());
    assertEquals(4, a.capLen());
    assertEquals(4, a.origLen());
    assertEquals(linkType, a.linkType());
    assertEquals(0, a.interfaceId());
    assertArrayEquals(Bin.hex("deadbeef"), a.frame());
    assertEquals(2, b.number());
    assertEquals(24 + 16 + 4, b.fileOffset());
    assertEquals(ts2, b.tsNanos());
    assertEquals(3, b.capLen());
    assertEquals(60, b.origLen());
    assertArrayEquals(Bin.hex("010203"), b.frame());
    assertEquals(24 + 20 + 19, r.position());
  }

  /** Three records of 60 bytes at offsets 24, 100, 176; the file ends at 252. */
  private static byte[] threeRecords() {
    Bin b = Bin.le().pcapHeader(false, 65535, 1);
    for (int i = 0; i < 3; i++) {
      b.pcapRecord(T0 + i, i, Bin.frame(60, i), 60);
    }
    return b.toBytes();
  }

  @Test
  void cutInsideRecordHeaderIsDamageAtThatHeader() throws IOException {
    byte[] full = threeRecords();
    Bin.ReadAll r = read(Arrays.copyOf(full, 176 + 10));
    assertEquals(2, r.records().size());
    assertDamage(r, 176, 3, "truncated record header: 10 of 16 bytes");
  }

  @Test
  void cutInsideRecordDataIsDamageAtThatHeader() throws IOException {
    byte[] full = threeRecords();
    Bin.ReadAll r = read(Arrays.copyOf(full, 176 + 16 + 40));
    assertEquals(2, r.records().size());
    assertArrayEquals(Bin.frame(60, 1), r.records().get(1).frame());
    assertDamage(r, 176, 3, "truncated record data: 40 of 60 bytes");
  }

  @Test
  void garbageAfterLastRecordIsDamageWhereItStarts() throws IOException {
    byte[] garbage = "this is not a pcap record header, just text".getBytes();
    byte[] file = Bin.le().bytes(threeRecords()).bytes(garbage).toBytes();
    Bin.ReadAll r = read(file);
    assertEquals(3, r.records().size());
    assertNotNull(r.damage());
    assertEquals(252, r.damage().offset());
    assertEquals(4, r.damage().recordNumber());
  }

  @Test
  void impossibleCapturedLengthIsDamage() throws IOException {
    byte[] file =
        Bin.le()
            .bytes(threeRecords())
            .u32(T0)
            .u32(0)
            .u32(0x0100_0000) // 16 MiB: over snaplen 65535 and libpcap's 262144
            .u32(60)
            .toBytes();
    Bin.ReadAll r = read(file);
    assertEquals(3, r.records().size());
    assertDamage(r, 252, 4, "captured length 16777216 exceeds limit 262144 (snaplen 65535)");
  }

  @Test
  void bigCapturedLengthWithinSnaplenIsFine() throws IOException {
    byte[] big = Bin.frame(300_000, 7);
    byte[] file = Bin.be().pcapHeader(true, 400_000, 1).pcapRecord(T0, 5, big, 300_000)
        .toBytes();
    Bin.ReadAll r = read(file);
    assertNull(r.damage());
    assertArrayEquals(big, r.records().get(0).frame());
  }

  @Test
  void truncatedFileHeaderIsDamageAtZero() throws IOException {
    Bin.ReadAll r = read(Arrays.copyOf(threeRecords(), 20));
    assertEquals(0, r.records().size());
    assertDamage(r, 0, 1, "truncated file header: 20 of 24 bytes");
  }

  @Test
  void headerOnlyFileIsCleanAndEmpty() throws IOException {
    Bin.ReadAll r = read(Arrays.copyOf(threeRecords(), 24));
    assertEquals(0, r.records().size());
    assertNull(r.damage());
  }

  @Test
  void recordStraddlingBufferEndIsReassembled() throws IOException {
    // 64-byte buffer: the 2nd record (offset 24+16+30=70) starts beyond it and each record
    // crosses a refill boundary somewhere.
    Bin b = Bin.be().pcapHeader(false, 65535, 1);
    for (int i = 0; i < 50; i++) {
      b.pcapRecord(T0, i, Bin.frame(30 + i % 17, i), 100);
    }
    Path file = Bin.write(dir, "straddle.pcap", b.toBytes());
    Bin.ReadAll small = Bin.readAll(file, 64, 64);
    Bin.ReadAll big = Bin.readAll(file);
    assertNull(small.damage());
    assertEquals(50, small.records().size());
    for (int i = 0; i < 50; i++) {
      assertArrayEquals(Bin.frame(30 + i % 17, i), small.records().get(i).frame(), "record " + i);
      assertEquals(big.records().get(i).fileOffset(), small.records().get(i).fileOffset());
    }
  }

  @Test
  void recordLargerThanBufferGrowsItUpToTheBound() throws IOException {
    byte[] f = Bin.frame(1000, 3);
    Path file = Bin.write(dir, "grow.pcap",
        Bin.le().pcapHeader(false, 65535, 1).pcapRecord(T0, 0, f, 1000)
            .pcapRecord(T0, 1, Bin.frame(10, 1), 10).toBytes());
    Bin.ReadAll grown = Bin.readAll(file, 64, 4096);
    assertNull(grown.damage());
    assertArrayEquals(f, grown.records().get(0).frame());
    assertEquals(2, grown.records().size());

    Bin.ReadAll bounded = Bin.readAll(file, 64, 512);
    assertEquals(0, bounded.records().size());
    assertEquals(24, bounded.damage().offset());
    assertEquals("captured length 1000 exceeds limit 496 (snaplen 65535)",
        bounded.damage().reason());
  }

  @Test
  void nextKeepsReturningFalseAfterDamage() throws IOException {
    Path file = Bin.write(dir, "cut.pcap", Arrays.copyOf(threeRecords(), 200));
    try (CaptureReader r = CaptureReader.open(file)) {
      CaptureRecord rec = new CaptureRecord();
      assertTrue(r.next(rec));
      assertTrue(r.next(rec));
      assertFalse(r.next(rec));
      assertFalse(r.next(rec));
      assertEquals(176, r.damage().offset());
      assertEquals(200, r.size());
    }
  }

  @Test
  void unknownFormatNamesFileAndShowsFirstBytes() throws IOException {
    Path file = Bin.write(dir, "notes.txt", "hello capture world".getBytes());
    CaptureFormatException e =
        assertThrows(CaptureFormatException.class, () -> CaptureReader.open(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(
        e.getMessage().contains("68 65 6c 6c 6f 20 63 61 70 74 75 72 65 20 77 6f"),
        e.getMessage());
  }

  @Test
  void emptyAndGzipFilesAreUnknownFormats() throws IOException {
    Path empty = Bin.write(dir, "empty.pcap", new byte[0]);
    CaptureFormatException e =
        assertThrows(CaptureFormatException.class, () -> CaptureReader.open(empty));
    assertTrue(e.getMessage().contains("empty.pcap") && e.getMessage().contains("<empty>"));
    Path gz = Bin.write(dir, "x.pcap.gz", Bin.hex("1f8b0800 00000000"));
    e = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(gz));
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
  }

  private static void assertDamage(Bin.ReadAll r, long offset, long number, String reason) {
    assertNotNull(r.damage(), "expected damage");
    assertEquals(offset, r.damage().offset());
    assertEquals(number, r.damage().recordNumber());
    assertEquals(reason, r.damage().reason());
  }

  private Bin.ReadAll read(String hex) throws IOException {
    return read(Bin.hex(hex));
  }

  private Bin.ReadAll read(byte[] content) throws IOException {
    return Bin.readAll(Bin.write(dir, "t.pcap", content));
  }
}

package io.mirrorsensor.sensor.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mirrorsensor.decode.LinkType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapngReaderTest {
  @TempDir Path dir;

  private static final long T0 = 1_705_312_800L; // 2024-01-15T10:00:00Z
  private static final long T0_NS = T0 * 1_000_000_000L;

  // Hand-assembled from draft-ietf-opsawg-pcapng section 4: SHB (28 bytes, v1.0, section length
  // -1), IDB (20 bytes, Ethernet, snaplen 65535, no options: microseconds), EPB (36 bytes, if 0,
  // ts = 1705312800.5 s in microseconds = 0x00060EF9_13B46920, 4 bytes captured of 60).
  private static final String LE_FIXTURE =
      "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000"
          + "| 01000000 14000000 0100 0000 ffff0000 14000000"
          + "| 06000000 24000000 00000000 f90e0600 2069b413 04000000 3c000000 deadbeef 24000000";
  private static final String BE_FIXTURE =
      "0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c"
          + "| 00000001 00000014 0001 0000 0000ffff 00000014"
          + "| 00000006 00000024 00000000 00060ef9 13b46920 00000004 0000003c deadbeef 00000024";

  @Test
  void readsLittleEndianFixture() throws IOException {
    assertFixture(read(Bin.hex(LE_FIXTURE)));
  }

  @Test
  void readsBigEndianFixture() throws IOException {
    assertFixture(read(Bin.hex(BE_FIXTURE)));
  }

  private static void assertFixture(Bin.ReadAll r) {
    assertEquals("pcapng", r.format());
    assertNull(r.damage());
    assertEquals(1, r.records().size());
    Bin.Rec rec = r.records().get(0);
    assertEquals(1, rec.number());
    assertEquals(48, rec.fileOffset());
    assertEquals(T0_NS + 500_000_000L, rec.tsNanos());
    assertEquals(4, rec.capLen());
    assertEquals(60, rec.origLen());
    assertEquals(LinkType.ETHERNET, rec.linkType());
    assertArrayEquals(Bin.hex("deadbeef"), rec.frame());
    assertEquals(84, r.position());
  }

  @Test
  void twoInterfacesWithDifferentLinkTypesAndResolutions() throws IOException {
    byte[] a = Bin.frame(61, 1);
    byte[] b = Bin.frame(40, 2);
    byte[] file =
        Bin.le()
            .shb()
            .idb(LinkType.ETHERNET, 65535, 6, 0)
            .idb(LinkType.RAW, 65535, 9, 0)
            .epb(1, T0_NS + 123, b, 40)
            .epb(0, T0 * 1_000_000L + 7, a, 61)
            .toBytes();
    Bin.ReadAll r = read(file);
    assertNull(r.damage());
    assertEquals(2, r.records().size());
    assertEquals(LinkType.RAW, r.records().get(0).linkType());
    assertEquals(1, r.records().get(0).interfaceId());
    assertEquals(T0_NS + 123, r.records().get(0).tsNanos());
    assertArrayEquals(b, r.records().get(0).frame());
    assertEquals(LinkType.ETHERNET, r.records().get(1).linkType());
    assertEquals(0, r.records().get(1).interfaceId());
    assertEquals(T0_NS + 7_000, r.records().get(1).tsNanos());
    assertArrayEquals(a, r.records().get(1).frame());
  }

  @Test
  void sectionsWithDifferentByteOrdersEachKeepTheirOwnInterfaces() throws IOException {
    byte[] a = Bin.frame(13, 1);
    byte[] b = Bin.frame(14, 2);
    byte[] le = Bin.le().shb().idb(LinkType.ETHERNET, 65535, 9, 0).epb(0, T0_NS, a, 13).toBytes();
    byte[] be = Bin.be().shb().idb(LinkType.IPV4, 65535, 9, 0).epb(0, T0_NS + 1, b, 99).toBytes();
    Bin.ReadAll r = read(Bin.le().bytes(le).bytes(be).toBytes());
    assertNull(r.damage());
    assertEquals(2, r.records().size());
    Bin.Rec first = r.records().get(0);
    Bin.Rec second = r.records().get(1);
    assertEquals(LinkType.ETHERNET, first.linkType());
    assertEquals(0, first.interfaceId());
    assertArrayEquals(a, first.frame());
    // Interface 0 of the second section is the file's second interface.
    assertEquals(LinkType.IPV4, second.linkType());
    assertEquals(1, second.interfaceId());
    assertEquals(99, second.origLen());
    assertEquals(T0_NS + 1, second.tsNanos());
    assertArrayEquals(b, second.frame());
    assertEquals(le.length + 28 + 32, second.fileOffset(), "after the second SHB and IDB");
  }

  @Test
  void packetOnInterfaceOfAnEarlierSectionIsDamage() throws IOException {
    byte[] le = Bin.le().shb().idb(1, 65535, 9, 0).idb(1, 65535, 9, 0).toBytes();
    Bin second = Bin.be().shb().idb(1, 65535, 9, 0);
    int epbAt = le.length + second.size();
    second.epb(1, T0_NS, Bin.frame(8, 0), 8);
    Bin.ReadAll r = read(Bin.le().bytes(le).bytes(second.toBytes()).toBytes());
    assertEquals(0, r.records().size());
    assertDamage(r, epbAt, 1, "packet on interface 1 but the section describes 1");
  }

  @Test
  void binaryTimestampResolution() throws IOException {
    // 2^-20 s units: 0.5 s = 2^19 units; 2^-40 exercises the wide shift path.
    long units20 = (T0 << 20) | (1L << 19) | 1;
    long units40 = (5L << 40) | (1L << 38);
    byte[] file =
        Bin.be()
            .shb()
            .idb(1, 65535, 0x80 | 20, 0)
            .idb(1, 65535, 0x80 | 40, 0)
            .epb(0, units20, Bin.frame(4, 0), 4)
            .epb(1, units40, Bin.frame(4, 0), 4)
            .toBytes();
    Bin.ReadAll r = read(file);
    assertNull(r.damage());
    // 1 unit of 2^-20 s = 953.67 ns, truncated to 953.
    assertEquals(T0_NS + 500_000_000L + 953, r.records().get(0).tsNanos());
    assertEquals(5_250_000_000L, r.records().get(1).tsNanos());
  }

  @Test
  void decimalResolutionsAndTimestampOffset() throws IOException {
    byte[] file =
        Bin.le()
            .shb()
            .idb(1, 65535, 3, 0) // milliseconds
            .idb(1, 65535, 12, 0) // picoseconds
            .idb(1, 65535, 6, T0) // microseconds, offset T0 seconds
            .epb(0, 1_500, Bin.frame(4, 0), 4)
            .epb(1, 2_000_000_999L, Bin.frame(4, 0), 4)
            .epb(2, 250_000, Bin.frame(4, 0), 4)
            .toBytes();
    Bin.ReadAll r = read(file);
    assertNull(r.damage());
    assertEquals(1_500_000_000L, r.records().get(0).tsNanos());
    assertEquals(2_000_000L, r.records().get(1).tsNanos());
    assertEquals(T0_NS + 250_000_000L, r.records().get(2).tsNanos());
  }

  @Test
  void simplePacketBlockTakesOrigLenFromBlockAndCapLenFromSnaplenAndRoom() throws IOException {
    byte[] f = Bin.frame(20, 5);
    byte[] file =
        Bin.le()
            .shb()
            .idb(LinkType.ETHERNET, 16, 9, 0)
            .epb(0, T0_NS + 42, Bin.frame(4, 0), 4)
            .spb(f, 1500) // snaplen 16 < room 20 < 1500 on the wire
            .toBytes();
    Bin.ReadAll r = read(file);
    assertNull(r.damage());
    Bin.Rec spb = r.records().get(1);
    assertEquals(16, spb.capLen());
    assertEquals(1500, spb.origLen());
    assertArrayEquals(Arrays.copyOf(f, 16), spb.frame());
    assertEquals(T0_NS + 42, spb.tsNanos(), "a simple packet carries the previous timestamp");

    byte[] noSnap = Bin.le().shb().idb(LinkType.ETHERNET, 0, 9, 0).spb(f, 18).toBytes();
    Bin.Rec short18 = read(noSnap).records().get(0);
    assertEquals(18, short18.capLen(), "orig len below the room: padding is not frame");
  }

  @Test
  void skipsNameResolutionStatisticsSecretsAndCustomBlocks() throws IOException {
    Bin b = Bin.le().shb().idb(1, 65535, 9, 0);
    b.block(4, Bin.hex("0100 0800 0a000001 6869 0000 0000 0000")); // NRB: ipv4 record + end
    b.block(5, new Bin(java.nio.ByteOrder.LITTLE_ENDIAN).u32(0).u64(0).toBytes()); // ISB
    b.block(0x0A, Bin.hex("544c534b 00000000")); // DSB, TLS key log, empty
    b.block(0x00000BAD, Bin.hex("0000 7f00 11223344 55")); // custom block, PEN 32512
    b.block(0x12345678, new byte[0]); // unknown type
    int epbAt = b.size();
    b.epb(0, T0_NS, Bin.frame(9, 9), 9);
    Bin.ReadAll r = read(b.toBytes());
    assertNull(r.damage());
    assertEquals(1, r.records().size());
    assertEquals(epbAt, r.records().get(0).fileOffset());
  }

  @Test
  void readsObsoletePacketBlock() throws IOException {
    byte[] f = Bin.frame(10, 3);
    Bin body = Bin.le().u16(0).u16(0).u32((T0 * 1_000_000L) >>> 32).u32(T0 * 1_000_000L).u32(10).u32(64).bytes(f).pad4();
    byte[] file = Bin.le().shb().idb(1, 65535, -1, 0).block(2, body.toBytes()).toBytes();
    Bin.ReadAll r = read(file);
    assertNull(r.damage());
    assertEquals(T0_NS, r.records().get(0).tsNanos());
    assertEquals(64, r.records().get(0).origLen());
    assertArrayEquals(f, r.records().get(0).frame());
  }

  /** SHB (28) + IDB (32) + three 76-byte EPBs at 60, 136, 212; file ends at 288. */
  private static byte[] threePackets() {
    Bin b = Bin.le().shb().idb(1, 65535, 9, 0);
    for (int i = 0; i < 3; i++) {
      b.epb(0, T0_NS + i, Bin.frame(44, i), 44);
    }
    return b.toBytes();
  }

  @Test
  void fixtureLayoutIsAsDocumented() {
    assertEquals(288, threePackets().length);
  }

  @Test
  void cutInsideBlockHeaderIsDamage() throws IOException {
    Bin.ReadAll r = read(Arrays.copyOf(threePackets(), 212 + 6));
    assertEquals(2, r.records().size());
    assertDamage(r, 212, 3, "truncated block header: 6 of 12 bytes");
  }

  @Test
  void cutInsideBlockBodyIsDamage() throws IOException {
    Bin.ReadAll r = read(Arrays.copyOf(threePackets(), 212 + 40));
    assertEquals(2, r.records().size());
    assertArrayEquals(Bin.frame(44, 1), r.records().get(1).frame());
    assertDamage(r, 212, 3, "truncated block type 0x00000006: 40 of 76 bytes");
  }

  @Test
  void garbageAfterLastBlockIsDamage() throws IOException {
    byte[] file = Bin.le().bytes(threePackets()).bytes("GET / HTTP/1.1\r\n".getBytes()).toBytes();
    Bin.ReadAll r = read(file);
    assertEquals(3, r.records().size());
    assertNotNull(r.damage());
    assertEquals(288, r.damage().offset());
    assertEquals(4, r.damage().recordNumber());
  }

  @Test
  void lengthNotMultipleOfFourIsDamage() throws IOException {
    byte[] file = threePackets();
    file[136 + 4] = 75; // second EPB's leading length 76 -> 75
    Bin.ReadAll r = read(file);
    assertEquals(1, r.records().size());
    assertDamage(r, 136, 2,
        "block type 0x00000006 has impossible total length 75"
            + " (must be a multiple of 4, at least 12)");
  }

  @Test
  void leadingAndTrailingLengthsThatDifferAreDamage() throws IOException {
    byte[] file = threePackets();
    file[212 + 4] = 72; // third EPB says 72, trailer (at 212+72-4) holds frame bytes
    Bin.ReadAll r = read(file);
    assertEquals(2, r.records().size());
    assertEquals(212, r.damage().offset());
    assertEquals(3, r.damage().recordNumber());
  }

  @Test
  void hugeBlockLengthIsDamageNotAnAllocation() throws IOException {
    byte[] file = threePackets();
    file[136 + 7] = 0x40; // 0x4000004C
    Bin.ReadAll r = read(file);
    assertEquals(1, r.records().size());
    assertDamage(r, 136, 2,
        "block type 0x00000006 has impossible total length 1073741900 (bound 16777216)");
  }

  @Test
  void capturedLengthBeyondBlockIsDamage() throws IOException {
    byte[] file = threePackets();
    file[60 + 20] = 45; // first EPB: caplen 45 > 44 bytes of room
    Bin.ReadAll r = read(file);
    assertEquals(0, r.records().size());
    assertDamage(r, 60, 1, "captured length 45 exceeds the block's room 44");
  }

  @Test
  void blockTooShortForItsTypeIsDamage() throws IOException {
    byte[] file = Bin.le().bytes(threePackets()).block(6, new byte[8]).toBytes();
    Bin.ReadAll r = read(file);
    assertEquals(3, r.records().size());
    assertDamage(r, 288, 4, "enhanced packet block of 20 bytes is below the minimum 32");
  }

  @Test
  void blocksStraddlingASmallBufferAreReassembled() throws IOException {
    Bin b = Bin.be().shb().idb(1, 65535, 9, 0);
    for (int i = 0; i < 40; i++) {
      b.epb(0, T0_NS + i, Bin.frame(20 + i, i), 20 + i);
    }
    Path file = Bin.write(dir, "straddle.pcapng", b.toBytes());
    Bin.ReadAll r = Bin.readAll(file, 64, 256);
    assertNull(r.damage());
    assertEquals(40, r.records().size());
    for (int i = 0; i < 40; i++) {
      assertArrayEquals(Bin.frame(20 + i, i), r.records().get(i).frame());
      assertEquals(T0_NS + i, r.records().get(i).tsNanos());
    }
  }

  private static void assertDamage(Bin.ReadAll r, long offset, long number, String reason) {
    assertNotNull(r.damage(), "expected damage");
    assertEquals(reason, r.damage().reason());
    assertEquals(offset, r.damage().offset());
    assertEquals(number, r.damage().recordNumber());
  }

  private Bin.ReadAll read(byte[] content) throws IOException {
    return Bin.readAll(Bin.write(dir, "t.pcapng", content));
  }
}

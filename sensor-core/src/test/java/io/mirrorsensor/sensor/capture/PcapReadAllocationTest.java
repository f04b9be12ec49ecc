package io.mirrorsensor.sensor.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read loop allocates nothing per record (ARCHITECTURE.md: no allocation per packet). Uses
 * the HotSpot per-thread allocation counter; skipped on JVMs without it.
 */
class PcapReadAllocationTest {
  @TempDir Path dir;

  static final int RECORDS = 50_000;

  @Test
  void readingRecordsAllocatesNothingPerRecord() throws IOException {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(
        mx instanceof com.sun.management.ThreadMXBean,
        "no per-thread allocation counter on this JVM");
    com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) mx;
    Path pcap = dir.resolve("a.pcap");
    Path pcapng = dir.resolve("a.pcapng");
    byte[] frame = Bin.frame(1500, 1);
    try (PcapWriter w = PcapWriter.create(pcap, 1, 65535, PcapWriter.Resolution.NANO);
        PcapngWriter n = PcapngWriter.create(pcapng, 1, 65535)) {
      for (int i = 0; i < RECORDS; i++) {
        w.write(frame, 0, 60 + i % 1400, 1500, i * 1_000L);
        n.write(frame, 0, 60 + i % 1400, 1500, i * 1_000L);
      }
    }
    for (Path file : new Path[] {pcap, pcapng}) {
      for (int pass = 0; pass < 3; pass++) { // early passes warm up the JIT
        try (CaptureReader r = CaptureReader.open(file, 1 << 16, 1 << 20)) {
          CaptureRecord rec = new CaptureRecord();
          long tid = Thread.currentThread().getId();
          long before = hs.getThreadAllocatedBytes(tid);
          long count = 0;
          while (r.next(rec)) {
            count++;
          }
          long allocated = hs.getThreadAllocatedBytes(tid) - before;
          assertEquals(RECORDS, count);
          if (pass == 2) {
            assertTrue(
                allocated < RECORDS / 10,
                file.getFileName() + ": " + allocated + " bytes allocated for " + count
                    + " records");
          }
        }
      }
    }
  }
}

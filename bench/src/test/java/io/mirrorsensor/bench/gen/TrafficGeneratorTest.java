package io.mirrorsensor.bench.gen;

import io.mirrorsensor.sensor.gen.Checksums;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficGeneratorTest {
  @TempDir Path dir;

  @Test
  void generatedCaptureReadsBackWithTheReportedRecordCount() throws IOException {
    Path file = dir.resolve("t.pcap");
    TrafficGenerator.Result r = TrafficGenerator.generate(file, 3_000_000, 42, 64, false);
    assertTrue(r.bytes() >= 3_000_000 && r.flows() > 64, r.toString());
    assertEquals(Files.size(file), r.bytes());
    int[] protocols = new int[256];
    int ipv6 = 0;
    try (CaptureReader reader = CaptureReader.open(file)) {
      CaptureRecord rec = new CaptureRecord();
      long last = 0;
      while (reader.next(rec)) {
        assertTrue(rec.tsNanos >= last);
        last = rec.tsNanos;
        byte[] f = rec.frameCopy();
        if ((f[14] >> 4) == 6) {
          ipv6++;
          protocols[f[20] & 0xFF]++;
        } else {
          protocols[f[23] & 0xFF]++;
          Checksums.assertIpv4HeaderChecksum(f, 14);
        }
        Checksums.assertTransportChecksum(f, 14);
      }
      assertNull(reader.damage());
      assertEquals(r.records(), rec.number);
    }
    assertTrue(protocols[6] > 0 && protocols[17] > 0 && protocols[1] + protocols[58] > 0);
    assertTrue(ipv6 > 0);
  }

  @Test
  void sameSeedSameBytesAndVxlanWrapsEveryFrame() throws IOException {
    Path a = dir.resolve("a.pcap");
    Path b = dir.resolve("b.pcap");
    TrafficGenerator.generate(a, 1_000_000, 7, 16, true);
    TrafficGenerator.Result rb = TrafficGenerator.generate(b, 1_000_000, 7, 16, true);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    try (CaptureReader reader = CaptureReader.open(b)) {
      CaptureRecord rec = new CaptureRecord();
      while (reader.next(rec)) {
        int vni =
            ((rec.buf[rec.offset + 46] & 0xFF) << 16)
                | ((rec.buf[rec.offset + 47] & 0xFF) << 8)
                | (rec.buf[rec.offset + 48] & 0xFF);
        assertTrue(vni >= 200 && vni < 208, "vni " + vni);
        assertEquals(0x12B5, ((rec.buf[rec.offset + 36] & 0xFF) << 8)
            | (rec.buf[rec.offset + 37] & 0xFF));
      }
      assertNull(reader.damage());
      assertEquals(rb.records(), rec.number);
    }
  }
}

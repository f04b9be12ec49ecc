package io.mirrorsensor.bench.gen;

import io.mirrorsensor.sensor.gen.Checksums;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleGeneratorTest {
  @TempDir Path dir;

  static final String[] FILES = {"plain.pcap", "plain.pcapng", "vxlan.pcap"};

  @Test
  void samplesAreDeterministic() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    SampleGenerator.generate(a);
    SampleGenerator.generate(b);
    for (String f : FILES) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
      assertTrue(Files.size(a.resolve(f)) < 50_000, f + " stays small");
    }
  }

  @Test
  void committedSamplesAreUpToDate() throws IOException {
    String root = System.getProperty("mirrorsensor.root");
    Assumptions.assumeTrue(root != null, "mirrorsensor.root not set (run through Maven)");
    Path committed = Path.of(root, "samples");
    Assumptions.assumeTrue(Files.isDirectory(committed), "no samples/ at " + committed);
    SampleGenerator.generate(dir);
    for (String f : FILES) {
      assertArrayEquals(
          Files.readAllBytes(committed.resolve(f)),
          Files.readAllBytes(dir.resolve(f)),
          "samples/" + f + " differs from the generator: regenerate (see samples/README.md)");
    }
  }

  @Test
  void plainSamplesReadBackWithTheDocumentedCounts() throws IOException {
    SampleGenerator.generate(dir);
    List<byte[]> pcap = readAll(dir.resolve("plain.pcap"), "pcap");
    List<byte[]> pcapng = readAll(dir.resolve("plain.pcapng"), "pcapng");
    assertEquals(31, pcap.size());
    for (int i = 0; i < pcap.size(); i++) {
      assertArrayEquals(pcap.get(i), pcapng.get(i), "frame " + (i + 1));
    }
    for (byte[] f : pcap) {
      int ip = (f[12] & 0xFF) == 0x81 ? 18 : 14;
      if ((f[ip] >> 4) == 4) {
        Checksums.assertIpv4HeaderChecksum(f, ip);
      }
      Checksums.assertTransportChecksum(f, ip);
    }
  }

  @Test
  void vxlanSampleMirrorsTheHttpFlowOnBothVnisAndTheRestOnOne() throws IOException {
    SampleGenerator.generate(dir);
    List<byte[]> frames = readAll(dir.resolve("vxlan.pcap"), "pcap");
    assertEquals(44, frames.size());
    Map<Integer, Integer> perVni = new HashMap<>();
    int duplicates = 0;
    for (int i = 0; i < frames.size(); i++) {
      ByteBuffer b = ByteBuffer.wrap(frames.get(i));
      assertEquals(4789, b.getShort(36));
      assertEquals((byte) 255, frames.get(i)[22]);
      int vni = b.getInt(46) >>> 8;
      perVni.merge(vni, 1, Integer::sum);
      if (i > 0) {
        byte[] prev = frames.get(i - 1);
        byte[] cur = frames.get(i);
        // Same inner TCP segment (from the TCP header on) under the other VNI.
        int l4 = 50 + 14 + 20;
        if (cur.length == prev.length
            && ByteBuffer.wrap(prev).getInt(46) >>> 8 != vni
            && ByteBuffer.wrap(prev, l4, prev.length - l4)
                .equals(ByteBuffer.wrap(cur, l4, cur.length - l4))) {
          duplicates++;
          assertEquals(prev[50 + 14 + 8] - 1, cur[50 + 14 + 8], "the later copy is one hop on");
        }
      }
    }
    assertEquals(13, duplicates, "every packet of the 13-packet HTTP flow twice");
    assertEquals(Map.of(101, 13 + 2 + 10 + 2, 102, 13 + 2 + 2), perVni);
  }

  static List<byte[]> readAll(Path file, String format) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (CaptureReader r = CaptureReader.open(file)) {
      assertEquals(format, r.format());
      CaptureRecord rec = new CaptureRecord();
      long last = Long.MIN_VALUE;
      while (r.next(rec)) {
        assertEquals(LinkType.ETHERNET, rec.linkType);
        assertTrue(rec.tsNanos >= last, "timestamps never go back");
        assertTrue(rec.tsNanos >= SampleGenerator.START_NANOS);
        last = rec.tsNanos;
        out.add(rec.frameCopy());
      }
      assertNull(r.damage());
    }
    return out;
  }
}

package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.capture.PcapWriter;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.gen.Frames;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-of-replay {@code stats.tcp} and {@code stats.detect}: per-VNI SYN RTT histograms and
 * mirror-loss estimate, merged across workers, and the tracker's totals.
 */
class TcpStatsReplayTest {
  private static final long T0 = 1_705_312_800_000_000_000L;
  private static final long MS = 1_000_000L;

  @TempDir Path tmp;

  /**
   * Per VNI (201..204), one connection with a SYN RTT of 10, 20, 30, 40 ms; on VNI 201 the
   * client's first 500-byte segment never reaches the mirror, and the server acknowledges it.
   */
  private Path capture() throws IOException {
    Path pcap = tmp.resolve("vnis.pcap");
    byte[] target = Frames.ip("10.0.0.250");
    try (PcapWriter w = PcapWriter.create(pcap, LinkType.ETHERNET, 65535,
        PcapWriter.Resolution.NANO)) {
      for (int i = 0; i < 4; i++) {
        int vni = 201 + i;
        byte[] c = Frames.ip("10.0.1." + (10 + i));
        byte[] s = Frames.ip("10.0.2." + (20 + i));
        long t = T0 + i * 1000 * MS;
        long rtt = (i + 1) * 10 * MS;
        long isn = 1000;
        long sisn = 5000;
        write(w, vni, c, target, t, Frames.frame().ipv4(c, s).tcp(40000, 80).flags(Frames.SYN)
            .seq(isn).build());
        write(w, vni, s, target, t + rtt, Frames.frame().ipv4(s, c).tcp(80, 40000)
            .flags(Frames.SYN | Frames.ACK).seq(sisn).ack(isn + 1).build());
        write(w, vni, c, target, t + rtt + MS, Frames.frame().ipv4(c, s).tcp(40000, 80)
            .flags(Frames.ACK).seq(isn + 1).ack(sisn + 1).build());
        long first = i == 0 ? 501 : 1; // VNI 201: bytes 1..500 lost on the mirror path
        for (long off = first; off < 1001; off += 500) {
          write(w, vni, c, target, t + rtt + 2 * MS, Frames.frame().ipv4(c, s).tcp(40000, 80)
              .flags(Frames.ACK | Frames.PSH).seq(isn + off).ack(sisn + 1)
              .payload(new byte[500]).build());
        }
        write(w, vni, s, target, t + rtt + 3 * MS, Frames.frame().ipv4(s, c).tcp(80, 40000)
            .flags(Frames.ACK).seq(sisn + 1).ack(isn + 1001).build());
      }
    }
    return pcap;
  }

  private static void write(PcapWriter w, int vni, byte[] outerSrc, byte[] target, long t,
      byte[] inner) throws IOException {
    byte[] f = Frames.vxlan(outerSrc, target, vni, inner);
    w.write(f, 0, f.length, f.length, t);
  }

  private Map<String, Object> stats(String workers, Path input) throws IOException {
    Properties p = new Properties();
    p.setProperty("pipeline.workers", workers);
    SensorConfig cfg = ConfigLoader.fromProperties(p, "test");
    Path out = tmp.resolve("out-" + workers + "-" + System.nanoTime());
    ReplayRunner.replay(cfg, List.of(input), out, new PrintStream(PrintStream.nullOutputStream()));
    return Json.lines(out.resolve("eve.json")).stream()
        .filter(e -> "stats".equals(e.get("event_type"))).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "4"})
  void perVniSynRttAndLossAreMergedAcrossWorkers(String workers) throws IOException {
    Map<String, Object> s = stats(workers, capture());
    for (int i = 0; i < 4; i++) {
      String v = "stats.tcp.per_vni." + (201 + i) + ".";
      double rtt = (i + 1) * 10.0;
      // Percentiles: HdrHistogram's 3 significant digits, at most 0.1% above; max is exact.
      assertEquals(rtt, (Double) Json.at(s, v + "syn_rtt_ms.p50"), rtt * 0.001, v);
      assertEquals(rtt, (Double) Json.at(s, v + "syn_rtt_ms.p99"), rtt * 0.001, v);
      assertEquals(rtt, Json.at(s, v + "syn_rtt_ms.max"), v);
      assertEquals(1L, Json.at(s, v + "syn_rtt_ms.count"), v);
    }
    assertEquals(500L, Json.at(s, "stats.tcp.per_vni.201.bytes_seen"));
    assertEquals(500L, Json.at(s, "stats.tcp.per_vni.201.missed_bytes"));
    assertEquals(0.5, Json.at(s, "stats.tcp.per_vni.201.loss_estimate"));
    assertEquals(1000L, Json.at(s, "stats.tcp.per_vni.202.bytes_seen"));
    assertEquals(0L, Json.at(s, "stats.tcp.per_vni.202.missed_bytes"));
    assertEquals(1L, Json.at(s, "stats.tcp.analysis.lost_segment"));
    assertEquals(0L, Json.at(s, "stats.detect.alerts"));
  }

  @Test
  void percentilesComeFromTheMergedHistogram() throws IOException {
    Map<String, Object> s = stats("2", Dirs.root().resolve("samples/vxlan.pcap"));
    // Both TCP flows of the sample are first seen on VNI 101; 2 ms RTT each.
    assertEquals(2L, Json.at(s, "stats.tcp.per_vni.101.syn_rtt_ms.count"));
    assertEquals(2.0, Json.at(s, "stats.tcp.per_vni.101.syn_rtt_ms.p99"));
    assertNull(Json.at(s, "stats.tcp.per_vni.102"), "no TCP flow starts on VNI 102");
  }
}

package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.capture.PcapWriter;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.gen.Frames;
import io.mirrorsensor.sensor.testing.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed traffic through the real replay path: named, counted, rate-limited, never fatal. */
class AnomalyEventsTest {
  private static final long T0 = 1_705_312_800_000_000_000L;

  @TempDir Path tmp;

  @Test
  void malformedPacketsBecomeRateLimitedAnomalyEventsAndTheRunGoesOn() throws IOException {
    byte[] c = Frames.ip("10.0.1.10");
    byte[] s = Frames.ip("10.0.2.20");
    byte[] good = Frames.frame().ipv4(c, s).udp(5000, 53).payload(new byte[8]).build();
    // TCP data offset 3 (12 bytes): below the 20-byte minimum (RFC 9293 section 3.1).
    byte[] badTcp = Frames.frame().ipv4(c, s).tcp(49152, 80).flags(Frames.ACK).build();
    badTcp[14 + 20 + 12] = 0x30;
    // VXLAN with the I flag clear (RFC 7348 section 5: it MUST be set).
    byte[] badVxlan = Frames.vxlan(c, Frames.ip("10.0.0.250"), 101, good);
    badVxlan[14 + 20 + 8] = 0x00;
    Path pcap = tmp.resolve("bad.pcap");
    try (PcapWriter w = PcapWriter.create(pcap, LinkType.ETHERNET, 65535,
        PcapWriter.Resolution.MICRO)) {
      for (int i = 0; i < 15; i++) { // 15 in the first minute: 10 events, then silence
        w.write(badTcp, 0, badTcp.length, badTcp.length, T0 + i * 1_000_000L);
      }
      w.write(badVxlan, 0, badVxlan.length, badVxlan.length, T0 + 20_000_000L);
      w.write(good, 0, good.length, good.length, T0 + 21_000_000L);
      // A new minute of packet time: the limit starts again.
      w.write(badTcp, 0, badTcp.length, badTcp.length, T0 + 61_000_000_000L);
    }
    ReplaySummary sum = ReplayRunner.replay(SensorConfig.defaults(), List.of(pcap),
        tmp.resolve("out"), new PrintStream(PrintStream.nullOutputStream()));
    assertEquals(18, sum.packets());
    assertEquals(16L, sum.anomaliesById().get("tcp.hlen_too_small"));
    assertEquals(1L, sum.anomaliesById().get("vxlan.i_flag_clear"));

    List<Map<String, Object>> eve = Json.lines(tmp.resolve("out").resolve("eve.json"));
    Map<Object, Long> events = eve.stream()
        .filter(e -> "anomaly".equals(e.get("event_type")))
        .collect(Collectors.groupingBy(e -> Json.at(e, "anomaly.event"), Collectors.counting()));
    assertEquals(11L, events.get("tcp.hlen_too_small"), "10 in the first minute, 1 in the next");
    assertEquals(1L, events.get("vxlan.i_flag_clear"));
    Map<String, Object> first = eve.stream()
        .filter(e -> "tcp.hlen_too_small".equals(Json.at(e, "anomaly.event")))
        .findFirst().orElseThrow();
    assertEquals(1L, first.get("pcap_cnt"));
    assertEquals("decode", Json.at(first, "anomaly.type"));
    assertEquals("10.0.1.10", first.get("src_ip"));
    assertTrue(eve.stream().anyMatch(e -> "flow".equals(e.get("event_type"))
        && Long.valueOf(53).equals(e.get("dest_port"))), "the good packet still makes its flow");
  }
}

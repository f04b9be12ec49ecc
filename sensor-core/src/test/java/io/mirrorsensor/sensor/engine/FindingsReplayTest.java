package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** Built-in findings through the real replay path: capture file in, EVE alert events out. */
class FindingsReplayTest {
  private static final long T0 = 1_705_312_800_000_000_000L;
  private static final long S = 1_000_000_000L;

  @TempDir Path tmp;

  /**
   * A blocked SSH attempt, as a security group that drops port 22 shows it to a mirror of the
   * client's ENI: the SYN and Linux's two retransmissions (1 s, then 2 s later), never answered.
   */
  @Test
  void aBlockedSshAttemptGivesExactlyOneSynUnansweredAlert() throws IOException {
    Path pcap = tmp.resolve("blocked-ssh.pcap");
    byte[] client = Frames.ip("10.0.1.10");
    byte[] server = Frames.ip("10.0.2.22");
    byte[] syn = Frames.frame().ipv4(client, server).tcp(51000, 22).flags(Frames.SYN)
        .seq(0x1234_5678L).window(64240).mss(1460).sackPermitted().windowScale(7).build();
    byte[] vxlan = Frames.vxlan(client, Frames.ip("10.0.0.250"), 101, syn);
    try (PcapWriter w = PcapWriter.create(pcap, LinkType.ETHERNET, 65535,
        PcapWriter.Resolution.NANO)) {
      for (long t : new long[] {T0, T0 + S, T0 + 3 * S}) {
        w.write(vxlan, 0, vxlan.length, vxlan.length, t);
      }
    }
    Path out = tmp.resolve("out");
    ReplayRunner.replay(SensorConfig.defaults(), List.of(pcap), out,
        new PrintStream(PrintStream.nullOutputStream()));

    List<Map<String, Object>> events = Json.lines(out.resolve("eve.json"));
    List<Map<String, Object>> alerts = events.stream()
        .filter(e -> "alert".equals(e.get("event_type"))).collect(Collectors.toList());
    assertEquals(1, alerts.size(), "alerts: " + alerts);
    Map<String, Object> a = alerts.get(0);
    assertEquals(700L, Json.at(a, "alert.gid"));
    assertEquals(1L, Json.at(a, "alert.signature_id"));
    assertEquals("SYN unanswered: possible security group / NACL drop or host down",
        Json.at(a, "alert.signature"));
    assertEquals("10.0.1.10", a.get("src_ip"));
    assertEquals(22L, a.get("dest_port"));
    assertEquals(101L, Json.at(a, "vxlan.vni"));
    assertEquals("2024-01-15T10:00:03.000000+0000", a.get("timestamp"), "the third SYN");
    assertEquals(3L, a.get("pcap_cnt"), "the third SYN is the capture's third packet");
    Map<String, Object> flow = events.stream().filter(e -> "flow".equals(e.get("event_type")))
        .findFirst().orElseThrow();
    assertEquals(flow.get("flow_id"), a.get("flow_id"));
    assertEquals(flow.get("community_id"), a.get("community_id"));
    assertEquals(true, Json.at(flow, "flow.alerted"));
    assertEquals("S0", Json.at(flow, "tcp.conn_state"));
    assertEquals(2L, Json.at(flow, "tcp.retransmissions"));
  }
}

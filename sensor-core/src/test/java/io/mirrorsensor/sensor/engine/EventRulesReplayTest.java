package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.capture.PcapWriter;
import io.mirrorsensor.sensor.gen.Frames;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * app-layer-event and decode-event rules through the real packet path: the DNS parser's event
 * reaches the rule on the packet that carried the bad message, the decoder's anomaly on its packet;
 * the TCP tracker's stream events and the flow's flowints likewise.
 */
class EventRulesReplayTest {
  private static final long T0 = 1_705_312_800_000_000_000L;

  @TempDir Path tmp;

  @Test
  void eventsFireOnThePacketThatRaisedThem() throws Exception {
    byte[] c = Frames.ip("10.0.1.10");
    byte[] s = Frames.ip("10.0.2.20");
    // a query for a.example, then an answer whose question name is a pointer to itself
    // (RFC 1035 section 4.1.4: 0xC00C points at offset 12, where the pointer is)
    byte[] query = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
        1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1};
    byte[] loop = {0, 1, (byte) 0x81, (byte) 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
        (byte) 0xC0, 12, 0, 1, 0, 1};
    byte[] q = Frames.frame().ipv4(c, s).udp(5000, 53).payload(query).build();
    byte[] r = Frames.frame().ipv4(s, c).udp(53, 5000).payload(loop).build();
    // TCP data offset 3 (12 bytes): below the 20-byte minimum (RFC 9293 section 3.1)
    byte[] badTcp = Frames.frame().ipv4(c, s).tcp(49152, 80).flags(Frames.ACK).build();
    badTcp[14 + 20 + 12] = 0x30;
    Path pcap = tmp.resolve("events.pcap");
    try (PcapWriter w = PcapWriter.create(pcap, LinkType.ETHERNET, 65535,
        PcapWriter.Resolution.MICRO)) {
      w.write(q, 0, q.length, q.length, T0);
      w.write(r, 0, r.length, r.length, T0 + 1_000_000L);
      w.write(q, 0, q.length, q.length, T0 + 2_000_000L);
      w.write(badTcp, 0, badTcp.length, badTcp.length, T0 + 3_000_000L);
    }
    RuleSet set = RuleLoader.loadText("t.rules", String.join("\n",
        "alert dns any any -> any any (app-layer-event:dns.infinite_loop; sid:1;)",
        "alert udp any any -> any any (app-layer-event:dns.infinite_loop; flow:to_client; sid:2;)",
        "alert udp any any -> any any (app-layer-event:dns.infinite_loop; flow:to_server; sid:3;)",
        "alert tls any any -> any any (app-layer-event:tls.invalid_record_type; sid:4;)",
        "alert tcp any any -> any any (decode-event:tcp.hlen_too_small; sid:5;)",
        "alert ip any any -> any any (decode-event:ipv4.trunc_pkt; sid:6;)"),
        RuleOptions.defaults());
    assertEquals(6, set.report().loaded(), set.report().summary());
    AppRuleReplay replay = AppRuleReplay.replay(set, pcap);
    assertEquals(Map.of(1L, 1, 2L, 1, 5L, 1), replay.counts());
  }

  /**
   * stream-event and flowint through the real path, on suricata-verify security-4710-01: the
   * client's RST (frame 4) then its GET (frame 5). The TCP tracker's event reaches the rule on
   * frame 5 only; the flowint it counts is the flow's, read by a later packet's rule.
   */
  @Test
  void streamEventsAndFlowintsAreTheFlows() throws Exception {
    Path pcap = Path.of(System.getProperty("mirrorsensor.shared", "../../shared"), "corpus",
        "suricata-verify", "security-4710-01", "input.pcap");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(pcap), "corpus absent");
    RuleSet set = RuleLoader.loadText("t.rules", String.join("\n",
        "alert tcp any any -> any any (stream-event:suspected_rst_inject; flowint:rst.inject,+,1; sid:1;)",
        "alert tcp any any -> any any (stream-event:suspected_rst_inject; content:\"GET /ultrasurf\"; sid:2;)",
        "alert tcp any any -> any any (flowint:rst.inject,==,1; flags:F+; sid:3;)",
        "alert tcp any any -> any any (flowint:rst.inject,notset; flags:R+; sid:4;)",
        "alert tcp any any -> any any (stream-event:reassembly_seq_gap; sid:5;)"),
        RuleOptions.defaults());
    assertEquals(5, set.report().loaded(), set.report().summary());
    // sid 3: the two FINs (frames 8, 9; frame 11's retransmission has FIN too); sid 4: the RST of
    // frame 4 only (frame 12's comes after the count); sid 5 never: only frame 12 acknowledges
    // bytes the capture never had, and it is a RST
    assertEquals(Map.of(1L, 1, 2L, 1, 3L, 3, 4L, 1), AppRuleReplay.replay(set, pcap).counts());
  }
}

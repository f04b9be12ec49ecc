package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.Anomaly;
import io.mirrorsensor.decode.DecodedPacket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** decode-event, app-layer-event, stream-event, stream_size and tag. */
class EventAndStreamKeywordTest {
  /** A flow whose TCP sides used {@code client} and {@code server} sequence space, with app events. */
  static final class Flow extends DetectorTest.Flow {
    long client = -1;
    long server = -1;
    Set<String> events = Set.of();
    String app;
    int streamEvents;

    Flow(RuleSet s) {
      super(s);
    }

    @Override
    public long streamSize(boolean ofClient) {
      return ofClient ? client : server;
    }

    @Override
    public boolean appEvent(String id) {
      return events.contains(id);
    }

    @Override
    public String appProto() {
      return app;
    }

    @Override
    public int streamEvents() {
      return streamEvents;
    }
  }

  @Test
  void streamEventsAreTheTcpTrackersOfThePacket() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (stream-event:reassembly_seq_gap; sid:1;)",
        "alert tcp any any -> any any (stream-event:stream.suspected_rst_inject; sid:2;)",
        "alert tcp any any -> any any (stream-event:pkt_invalid_ack; sid:3;)");
    assertEquals(2, set.report().loaded(), set.report().summary());
    assertEquals(1, set.report().skippedByReason().get("stream-event (unmapped)"));
    Flow f = new Flow(set);
    assertEquals(List.of(), DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 2, 0x18), f));
    f.streamEvents = io.mirrorsensor.decode.tcp.TcpEvent.REASSEMBLY_SEQ_GAP.bit();
    assertEquals(List.of(1L), DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 2, 0x18), f));
    f.streamEvents = io.mirrorsensor.decode.tcp.TcpEvent.SUSPECTED_RST_INJECT.bit();
    assertEquals(List.of(2L), DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 2, 0x18), f));
    // no flow: no stream state
    assertEquals(List.of(), DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 2, 0x18), null));
  }

  @Test
  void httpEventsNamedForADirectionMatchOnlyInIt() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (app-layer-event:http.duplicate_content_length_field_in_request; sid:1;)",
        "alert tcp any any -> any any (app-layer-event:http.duplicate_content_length_field_in_response; sid:2;)",
        "alert tcp any any -> any any (app-layer-event:http.request_chunk_extension; sid:3;)",
        "alert tcp any any -> any any (app-layer-event:http.request_header_host_invalid; sid:4;)");
    assertEquals(4, set.report().loaded(), set.report().summary());
    Flow f = new Flow(set);
    f.events = Set.of("http.content_length_conflict", "http.chunk_extension", "http.host_invalid");
    List<Long> got = DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 80, 0x18), f);
    got.sort(null);
    assertEquals(List.of(1L, 3L, 4L), got);
    f.toServer = false;
    assertEquals(List.of(2L), DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 80, 1, 0x18), f));
    assertEquals(1, EventKeyword.direction("http.invalid_request_chunk_len"));
    assertEquals(-1, EventKeyword.direction("http.response_field_too_long"));
    assertEquals(0, EventKeyword.direction("http.unable_to_match_response_to_request"));
  }

  @Test
  void decodeEventsAreTheDecodersAnomalies() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (decode-event:tcp.opt_invalid_len; sid:1;)",
        "alert ip any any -> any any (decode-event:ipv4.trunc_pkt; sid:2;)",
        "alert ip any any -> any any (decode-event:ipv4.pkt_too_small; sid:3;)",
        "alert tcp any any -> any any (decode-event:tcp.hlen_too_small; sid:4;)",
        "alert ip any any -> any any (decode-event:ipv6.zero_len_padn; sid:5;)",
        "alert ip any any -> any any (stream-event:3whs_async_wrong_seq; sid:6;)",
        "alert ip any any -> any any (app-layer-event:applayer_mismatch_protocol_both_directions; sid:7;)");
    assertEquals(4, set.report().loaded(), set.report().summary());
    assertEquals(1, set.report().skippedByReason().get("decode-event (unmapped)"));
    assertEquals(1, set.report().skippedByReason().get("stream-event (unmapped)"));
    assertEquals(1, set.report().skippedByReason().get("app-layer-event (unmapped)"));
    DecodedPacket p = DetectorTest.tcp("x", 1, 2, 0x18);
    // what the TCP decoder records for an option whose length runs past the header
    p.addAnomaly(Anomaly.TCP_OPT_INVALID_LEN);
    p.addAnomaly(Anomaly.IPV4_TRUNCATED);
    List<Long> got = DetectorTest.fire(set, set.newDetector(), p, null);
    got.sort(null);
    assertEquals(List.of(1L, 2L, 3L), got);
    assertEquals(List.of(), DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 2, 0x18), null));
  }

  @Test
  void appLayerEventsAreThoseOfThePacket() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert dns any any -> any any (app-layer-event:dns.malformed_data; sid:1;)",
        "alert dns any any -> any any (app-layer-event:dns.infinite_loop; sid:2;)",
        "alert tcp any any -> any any (app-layer-event:tls.record_overflow; sid:3;)");
    assertEquals(3, set.report().loaded(), set.report().summary());
    Flow f = new Flow(set);
    f.app = "dns";
    f.events = Set.of("dns.compression_loop", "tls.record_too_long");
    List<Long> got = DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 53, 0x18), f);
    got.sort(null);
    assertEquals(List.of(2L, 3L), got);
    f.events = Set.of("dns.rdata_invalid");
    assertEquals(List.of(1L), DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 53, 0x18), f));
    f.app = "tls";
    assertEquals(List.of(), DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 53, 0x18), f));
  }

  @Test
  void streamSizeComparesTheSidesSequenceSpace() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (stream_size:client,<,5; sid:1;)",
        "alert tcp any any -> any any (stream_size:server,>=,100; sid:2;)",
        "alert tcp any any -> any any (stream_size:both,>,3; sid:3;)",
        "alert tcp any any -> any any (stream_size:either,=,1; sid:4;)",
        "alert tcp any any -> any any (stream_size:client,!=,4; sid:5;)",
        "alert tcp any any -> any any (tag:session,5,packets; content:\"x\"; sid:6;)");
    assertEquals(6, set.report().loaded(), set.report().summary());
    Flow f = new Flow(set);
    f.client = 4;
    f.server = 100;
    List<Long> got = DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 2, 0x18), f);
    got.sort(null);
    assertEquals(List.of(1L, 2L, 3L, 6L), got);
    f.client = 1;
    got = DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 2, 0x18), f);
    got.sort(null);
    assertEquals(List.of(1L, 2L, 4L, 5L, 6L), got);
    // midstream: sizes unknown, no stream_size rule matches
    f.client = -1;
    f.server = -1;
    assertEquals(List.of(6L), DetectorTest.fire(set, set.newDetector(), DetectorTest.tcp("x", 1, 2, 0x18), f));
  }

  @Test
  void badValuesAreErrors() throws Exception {
    RuleSet set = AppLayerDetectorTest.load(
        "alert tcp any any -> any any (stream_size:middle,<,5; sid:1;)",
        "alert tcp any any -> any any (stream_size:client,~,5; sid:2;)",
        "alert tcp any any -> any any (tag:flow; sid:3;)",
        "alert tcp any any -> any any (tag:session,5,hours; sid:4;)");
    assertEquals(4, set.report().failed(), set.report().summary());
    assertTrue(set.report().diagnostics().get(0).toString().contains("server, client, both or either"));
  }
}

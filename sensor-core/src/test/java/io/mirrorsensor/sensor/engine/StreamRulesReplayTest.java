package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.flow.Flow;
import io.mirrorsensor.sensor.gen.Frames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Stream inspection through the real packet path (decoder, flow table, reassembly, {@link
 * RuleStage}) on generated frames: content split over segments, out of order, retransmitted,
 * mirrored twice, in both directions; {@code only_stream}, {@code no_stream}, {@code tcp-pkt} and
 * stream-anchored depth.
 */
class StreamRulesReplayTest {
  private static final long T0 = 1_705_312_800_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final byte[] CLIENT = Frames.ip("10.0.0.5");
  private static final byte[] SERVER = Frames.ip("192.0.2.80");
  private static final int CPORT = 40000;
  private static final int SPORT = 7777;
  private static final long CISN = 1000;
  private static final long SISN = 5000;

  private static final String RULES = String.join("\n",
      "alert tcp any any -> any any (msg:\"plain\"; content:\"Please Let Me In!\"; sid:1;)",
      "alert tcp any any -> any any (msg:\"only stream\"; flow:only_stream; content:\"Please Let Me In!\"; sid:2;)",
      "alert tcp any any -> any any (msg:\"no stream\"; flow:no_stream; content:\"Please Let Me In!\"; sid:3;)",
      "alert tcp-pkt any any -> any any (msg:\"tcp-pkt\"; content:\"Please Let Me In!\"; sid:4;)",
      "alert tcp any any -> any any (msg:\"to client\"; flow:to_client; content:\"Please Let Me In!\"; sid:5;)",
      "alert tcp any any -> any any (msg:\"to server\"; flow:to_server; content:\"Please Let Me In!\"; sid:6;)",
      "alert tcp any any -> any any (msg:\"anchored\"; content:\"HELLO\"; depth:5; sid:7;)",
      "alert tcp any any -> any any (msg:\"chain\"; content:\"BEGIN\"; content:\"END\"; distance:0; within:40; sid:8;)");

  /** Alerts per sid, and their pcap_cnt, from one replay. */
  private static final class Alerts extends DiscardingEventSink {
    final Map<Long, Integer> bySid = new TreeMap<>();
    final List<Long> records = new ArrayList<>();

    @Override
    public void ruleAlert(Flow flow, Rule rule, boolean fromSrc, long tsNanos, long pcapCnt) {
      bySid.merge(rule.sid(), 1, Integer::sum);
      records.add(pcapCnt);
    }
  }

  /** One TCP conversation, frame by frame. */
  private static final class Conv {
    final List<byte[]> frames = new ArrayList<>();
    long cseq = CISN + 1;
    long sseq = SISN + 1;

    Conv() {
      frames.add(seg(true, Frames.SYN, CISN, 0, ""));
      frames.add(seg(false, Frames.SYN | Frames.ACK, SISN, CISN + 1, ""));
      frames.add(seg(true, Frames.ACK, CISN + 1, SISN + 1, ""));
    }

    /** The next in-order segment of a direction, returned (not yet added). */
    byte[] next(boolean fromClient, String data) {
      byte[] f;
      if (fromClient) {
        f = seg(true, Frames.ACK | Frames.PSH, cseq, sseq, data);
        cseq += data.length();
      } else {
        f = seg(false, Frames.ACK | Frames.PSH, sseq, cseq, data);
        sseq += data.length();
      }
      return f;
    }

    Conv send(boolean fromClient, String data) {
      frames.add(next(fromClient, data));
      return this;
    }

    static byte[] seg(boolean fromClient, int flags, long seq, long ack, String data) {
      return seg(fromClient, flags, seq, ack, data, 0);
    }

    /** {@code ipId} tells a retransmission from a mirror copy (same IP ID: a duplicate). */
    static byte[] seg(boolean fromClient, int flags, long seq, long ack, String data, int ipId) {
      Frames.Builder b = Frames.frame().ipv4(fromClient ? CLIENT : SERVER, fromClient ? SERVER : CLIENT)
          .ipId(ipId)
          .tcp(fromClient ? CPORT : SPORT, fromClient ? SPORT : CPORT).flags(flags).seq(seq).ack(ack);
      if (!data.isEmpty()) {
        b.payload(data.getBytes(StandardCharsets.ISO_8859_1));
      }
      return b.build();
    }
  }

  private static Alerts replay(List<byte[]> frames) throws Exception {
    RuleSet set = RuleLoader.loadText("stream.rules", RULES, RuleOptions.defaults());
    Alerts a = new Alerts();
    PacketProcessor pp = new PacketProcessor(SensorConfig.defaults().withRules(set), a);
    long n = 0;
    for (byte[] f : frames) {
      n++;
      pp.process(f, 0, f.length, f.length, LinkType.ETHERNET, T0 + n * MS, n);
    }
    pp.finish();
    return a;
  }

  @Test
  void contentSplitOverTwoSegmentsAlertsOnceOnTheStreamAndNotPerPacket() throws Exception {
    Conv c = new Conv().send(false, "xxPlease Let").send(false, " Me In!yy");
    Alerts a = replay(c.frames);
    assertEquals(Map.of(1L, 1, 2L, 1, 5L, 1), a.bySid);
    assertEquals(List.of(5L, 5L, 5L), a.records, "the alerts are on the packet completing the match");
  }

  @Test
  void contentSplitOverThreeSegmentsAlertsOnce() throws Exception {
    Conv c = new Conv().send(false, "Plea").send(false, "se Let M").send(false, "e In!");
    assertEquals(Map.of(1L, 1, 2L, 1, 5L, 1), replay(c.frames).bySid);
  }

  @Test
  void aMatchInsideOneSegmentAlertsOnceAndTheTailDoesNotRepeatIt() throws Exception {
    Conv c = new Conv().send(true, "Please Let Me In!").send(true, "more").send(true, "and more");
    Alerts a = replay(c.frames);
    // the packet rules (no_stream, tcp-pkt) see it in the packet, the stream rules on the stream
    assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1, 4L, 1, 6L, 1), a.bySid);
  }

  @Test
  void twoMatchesAlertTwice() throws Exception {
    Conv c = new Conv().send(true, "Please Let Me In!").send(true, "Please Let").send(true, " Me In!");
    assertEquals(2, replay(c.frames).bySid.get(1L));
  }

  @Test
  void outOfOrderSegmentsMatchWhenTheHoleFills() throws Exception {
    Conv c = new Conv();
    byte[] first = c.next(true, "Please L");
    byte[] second = c.next(true, "et Me ");
    byte[] third = c.next(true, "In!");
    c.frames.add(third);
    c.frames.add(second);
    c.frames.add(first);
    Alerts a = replay(c.frames);
    assertEquals(Map.of(1L, 1, 2L, 1, 6L, 1), a.bySid);
    assertEquals(6L, a.records.get(0), "inspected when the first segment fills the hole");
  }

  @Test
  void retransmittedSegmentsAreInspectedOnce() throws Exception {
    Conv c = new Conv();
    long s1 = c.cseq;
    byte[] first = c.next(true, "Please Let Me In!");
    long s2 = c.cseq;
    byte[] second = c.next(true, "Please Let");
    long s3 = c.cseq;
    byte[] third = c.next(true, " Me In!");
    int flags = Frames.ACK | Frames.PSH;
    c.frames.addAll(List.of(first, Conv.seg(true, flags, s1, SISN + 1, "Please Let Me In!", 7),
        second, Conv.seg(true, flags, s2, SISN + 1, "Please Let", 8),
        third, Conv.seg(true, flags, s3, SISN + 1, " Me In!", 9)));
    Alerts a = replay(c.frames);
    assertEquals(2, a.bySid.get(1L));
    assertEquals(2, a.bySid.get(2L));
    // packet rules keep per-packet semantics: the retransmitted copy is a packet too
    assertEquals(2, a.bySid.get(3L));
    assertEquals(2, a.bySid.get(4L));
  }

  @Test
  void bytesNeverSeenBreakAMatch() throws Exception {
    Conv c = new Conv().send(true, "Please Let");
    c.next(true, "XXXX"); // lost by the mirror
    c.send(true, " Me In!");
    // the server acknowledges all of it: the hole becomes a gap, the window starts afresh
    c.frames.add(Conv.seg(false, Frames.ACK, c.sseq, c.cseq, ""));
    Alerts a = replay(c.frames);
    assertEquals(Map.of(), a.bySid);
  }

  @Test
  void mirrorDuplicatesAlertOnce() throws Exception {
    Conv c = new Conv().send(false, "Please Let").send(false, " Me In!");
    List<byte[]> twice = new ArrayList<>();
    for (byte[] f : c.frames) {
      twice.add(f);
      twice.add(f.clone());
    }
    Alerts a = replay(twice);
    assertEquals(Map.of(1L, 1, 2L, 1, 5L, 1), a.bySid);
  }

  @Test
  void bothDirectionsAreInspectedEachOnItsOwn() throws Exception {
    // each direction holds half of the pattern: no match; then each direction completes its own
    Conv c = new Conv().send(true, "Please Let").send(false, " Me In!").send(true, " Me In!")
        .send(false, "..Please Let Me In!");
    Alerts a = replay(c.frames);
    assertEquals(2, a.bySid.get(1L));
    assertEquals(1, a.bySid.get(5L), "to_client: the server's stream");
    assertEquals(1, a.bySid.get(6L), "to_server: the client's stream");
  }

  @Test
  void depthCountsFromTheStartOfTheStream() throws Exception {
    Conv c = new Conv().send(true, "HELLO there").send(true, "HELLO again").send(false, "HEL")
        .send(false, "LO back");
    Alerts a = replay(c.frames);
    // the client's stream starts with HELLO (once), the server's stream too, across 2 segments
    assertEquals(2, a.bySid.get(7L));
  }

  @Test
  void aContentAnchoredAtTheStartIsNotEvaluatedOnceTheWindowIsPastIt() throws Exception {
    // HELLO (depth 5) later in the stream still passes the prefilter, but a window that starts
    // after byte 5 cannot hold it: the rule is not evaluated there (nor does it alert)
    String pad = "x".repeat(200);
    long[] evaluated = new long[2];
    for (int k = 0; k < 2; k++) {
      String later = k == 0 ? "HELLO again " : "HELXO again ";
      Conv c = new Conv().send(true, "HELLO there" + pad);
      for (int i = 0; i < 4; i++) {
        c.send(true, later + pad);
      }
      RuleSet set = RuleLoader.loadText("stream.rules", RULES, RuleOptions.defaults());
      Alerts a = new Alerts();
      PacketProcessor pp = new PacketProcessor(SensorConfig.defaults().withRules(set), a);
      long n = 0;
      for (byte[] f : c.frames) {
        n++;
        pp.process(f, 0, f.length, f.length, LinkType.ETHERNET, T0 + n * MS, n);
      }
      assertEquals(1, a.bySid.get(7L), later);
      @SuppressWarnings("unchecked")
      Map<String, Object> detect = (Map<String, Object>) pp.stats(0).get("detect");
      evaluated[k] = (Long) detect.get("rule_candidates_evaluated");
    }
    assertEquals(evaluated[1], evaluated[0], "the later HELLOs cost no evaluation");
  }

  @Test
  void chainedContentsSpanSegments() throws Exception {
    Conv c = new Conv().send(true, "xx BEG").send(true, "IN 0123456789").send(true, "0123456789 E")
        .send(true, "ND yy");
    assertEquals(1, replay(c.frames).bySid.get(8L));
  }

  @Test
  void statsCountTheStreamChunks() throws Exception {
    RuleSet set = RuleLoader.loadText("stream.rules", RULES, RuleOptions.defaults());
    PacketProcessor pp = new PacketProcessor(SensorConfig.defaults().withRules(set),
        new DiscardingEventSink());
    Conv c = new Conv().send(true, "a").send(true, "b").send(false, "c");
    long n = 0;
    for (byte[] f : c.frames) {
      n++;
      pp.process(f, 0, f.length, f.length, LinkType.ETHERNET, T0 + n * MS, n);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> detect = (Map<String, Object>) pp.stats(0).get("detect");
    assertEquals(3L, detect.get("rule_stream_chunks"));
    assertTrue(set.hasStreamRules());
  }
}

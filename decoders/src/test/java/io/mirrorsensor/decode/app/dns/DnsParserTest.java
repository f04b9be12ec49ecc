package io.mirrorsensor.decode.app.dns;

import static org.junit.jupiter.api.Assertions.*;

import io.mirrorsensor.decode.tcp.StreamSink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pairing, time-outs and TCP framing, over fixtures from {@link DnsMessageTest}. */
class DnsParserTest {
  private static final long MS = 1_000_000L;

  /** What a transaction looked like, copied out of the reused object. */
  record Seen(boolean query, int id, String rrname, boolean timedOut, int answers, long latency,
      boolean tcp) {}

  static final class Recorder implements DnsListener {
    final List<Seen> tx = new ArrayList<>();
    final List<DnsEvent> events = new ArrayList<>();

    @Override
    public void transaction(DnsTransaction t) {
      tx.add(new Seen(t.hasQuery(), t.id(), t.rrname(), t.timedOut(),
          t.response() == null ? -1 : t.response().sectionCount(DnsMessage.SECTION_ANSWER),
          t.latencyNanos(), t.overTcp()));
    }

    @Override
    public void event(DnsEvent e, long tsNanos) {
      events.add(e);
    }
  }

  private final Recorder rec = new Recorder();
  private final DnsParser parser = new DnsParser(DnsConfig.defaults(), rec);

  private void msg(byte[] b, long t) {
    parser.onMessage(b, 0, b.length, t, false);
  }

  @Test
  void pairsQueryAndResponseByIdAndQuestion() {
    msg(DnsMessageTest.query(0x1234, "WWW.example.com", 1), 0);
    msg(DnsMessageTest.query(0x1234, "other.example.com", 1), 1 * MS);
    msg(DnsMessageTest.cnameResponse(0x1234), 15 * MS);
    assertEquals(List.of(new Seen(true, 0x1234, "www.example.com", false, 2, 15 * MS, false)),
        rec.tx);
    assertEquals(1, parser.pending());
  }

  @Test
  void timesOutUnansweredQueriesByPacketTime() {
    msg(DnsMessageTest.query(1, "a.example", 1), 0);
    parser.expire(5_000 * MS);
    assertTrue(rec.tx.isEmpty());
    parser.expire(5_001 * MS);
    assertEquals(List.of(new Seen(true, 1, "a.example", true, -1, -1, false)), rec.tx);
    msg(DnsMessageTest.query(2, "b.example", 1), 6_000 * MS);
    parser.close();
    assertTrue(rec.tx.get(1).timedOut());
    assertEquals(0, parser.pending());
  }

  @Test
  void reportsUnsolicitedResponse() {
    msg(DnsMessageTest.cnameResponse(5), 0);
    assertEquals(List.of(new Seen(false, 5, "www.example.com", false, 2, -1, false)), rec.tx);
    assertEquals(List.of(DnsEvent.UNSOLICITED_RESPONSE), rec.events);
  }

  @Test
  void boundsThePendingTable() {
    DnsParser small = new DnsParser(new DnsConfig(8, 16, 2, 5_000 * MS), rec);
    for (int i = 0; i < 3; i++) {
      byte[] q = DnsMessageTest.query(i, "x", 1);
      small.onMessage(q, 0, q.length, i, false);
    }
    assertEquals(List.of(DnsEvent.PENDING_TABLE_FULL), rec.events);
    assertEquals(1, rec.tx.size());
    assertEquals(0, rec.tx.get(0).id());
    assertTrue(rec.tx.get(0).timedOut());
    assertEquals(2, small.pending());
  }

  @Test
  void malformedMessageIsAnEventNotATransaction() {
    msg(new byte[5], 0);
    assertEquals(List.of(DnsEvent.HEADER_TRUNCATED), rec.events);
    assertTrue(rec.tx.isEmpty());
  }

  private List<Seen> overTcp(byte[] toServer, byte[] toClient, int split) {
    Recorder r = new Recorder();
    DnsParser p = new DnsParser(DnsConfig.defaults(), r);
    StreamSink a = p.tcpSink();
    StreamSink b = p.tcpSink();
    feed(a, toServer, split, p);
    feed(b, toClient, split, p);
    p.close();
    assertTrue(r.events.contains(DnsEvent.UNSOLICITED_RESPONSE) == false, r.events::toString);
    return r.tx;
  }

  private static void feed(StreamSink s, byte[] stream, int split, DnsParser p) {
    for (int off = 0; off < stream.length; off += split) {
      p.time(off);
      int n = Math.min(split, stream.length - off);
      byte[] copy = java.util.Arrays.copyOfRange(stream, off, off + n); // a fresh packet buffer
      s.data(copy, 0, n, off);
    }
  }

  @Test
  void tcpSplitAtEverySizeGivesTheSameTransactions() {
    byte[] toServer = DnsBytes.tcp(DnsMessageTest.query(1, "www.example.com", 1),
        DnsMessageTest.query(2, "www.example.com", 1));
    byte[] toClient = DnsBytes.tcp(DnsMessageTest.cnameResponse(2),
        DnsMessageTest.cnameResponse(1));
    List<Seen> whole = overTcp(toServer, toClient, Integer.MAX_VALUE);
    assertEquals(2, whole.size());
    assertEquals(2, whole.get(0).id());
    assertTrue(whole.get(0).tcp());
    for (int split = 1; split <= toClient.length; split++) {
      List<Seen> got = overTcp(toServer, toClient, split);
      assertEquals(whole.size(), got.size(), "split " + split);
      for (int i = 0; i < got.size(); i++) {
        Seen w = whole.get(i);
        Seen g = got.get(i);
        assertEquals(new Seen(w.query(), w.id(), w.rrname(), w.timedOut(), w.answers(), 0, true),
            new Seen(g.query(), g.id(), g.rrname(), g.timedOut(), g.answers(), 0, g.tcp()),
            "split " + split);
      }
    }
  }

  @Test
  void tcpGapAndBadLengthStopTheSplitter() {
    StreamSink s = parser.tcpSink();
    s.gap(0, 10);
    byte[] q = DnsBytes.tcp(DnsMessageTest.query(1, "a", 1));
    s.data(q, 0, q.length, 10);
    assertEquals(0, parser.pending());
    assertEquals(List.of(DnsEvent.STREAM_GAP), rec.events);

    StreamSink t = parser.tcpSink();
    t.data(new byte[] {0, 5, 1, 2, 3, 4, 5}, 0, 7, 0);
    assertEquals(DnsEvent.TCP_LENGTH_INVALID, rec.events.get(1));
  }
}

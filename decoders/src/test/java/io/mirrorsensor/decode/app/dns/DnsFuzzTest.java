package io.mirrorsensor.decode.app.dns;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer targets for DNS. {@link #message}: one message through {@link DnsMessage#parse} and
 * every accessor, rdata inside the message. {@link #parser}: a series of messages through
 * {@link DnsParser#onMessage} (queries pending, responses pairing), and the same bytes as a TCP
 * stream through its splitter. Seeds: {@code DnsFuzzTestInputs/<method>/}.
 */
class DnsFuzzTest {
  static final DnsConfig CONFIG = DnsConfig.defaults();

  @FuzzTest(maxDuration = "60s")
  void message(byte[] data) {
    DnsMessage m = new DnsMessage(CONFIG);
    DnsStatus st = m.parse(data, 0, data.length);
    assertNotNull(st);
    assertSame(st, m.status());
    if (st == DnsStatus.OK) {
      check(m, 0, data.length);
    }
  }

  /** Input: records {@code [flags][len hi][len lo][message]}; flags bit 0: over TCP. */
  @FuzzTest(maxDuration = "60s")
  void parser(byte[] data) {
    DnsParser parser = new DnsParser(CONFIG, t -> {
      assertNotNull(t.rrname());
      if (t.response() != null) {
        DnsMessage r = t.response();
        check(r, 0, r.buffer().length);
      }
    });
    long ts = 0;
    int p = 0;
    while (p + 3 <= data.length) {
      boolean tcp = (data[p] & 1) != 0;
      int len = Math.min(((data[p + 1] & 0xFF) << 8) | (data[p + 2] & 0xFF), data.length - p - 3);
      ts += 1_000_000L;
      parser.onMessage(data, p + 3, len, ts, tcp);
      p += 3 + len;
    }
    // the whole input again as one TCP stream (2-byte length prefixes), in two segments
    var sink = parser.tcpSink();
    int half = data.length / 2;
    sink.data(data, 0, half, 0);
    sink.data(data, half, data.length - half, half);
    sink.end();
  }

  static void check(DnsMessage m, int base, int end) {
    m.id();
    m.opcode();
    m.rcode();
    if (m.hasQuestion()) {
      assertTrue(m.qnameLength() >= 0 && m.qnameLength() <= m.qname().length);
      DnsMessage.flatNameText(m.qname(), m.qnameLength());
      DnsMessage.typeText(m.qtype());
    }
    for (int r = 0; r < m.records(); r++) {
      int off = m.rdataOffset(r);
      int len = m.rdataLength(r);
      if (off >= 0) {
        assertTrue(len >= 0 && off >= base && off + len <= end, "rdata " + r + " inside message");
      }
      assertNotNull(m.nameText(r));
      m.rdataText(r);
      m.section(r);
      m.type(r);
    }
  }
}

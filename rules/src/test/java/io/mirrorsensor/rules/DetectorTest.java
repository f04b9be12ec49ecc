package io.mirrorsensor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.DecodedPacket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packets are built field by field (the decoder's output), payload from a string. */
class DetectorTest {
  static DecodedPacket tcp(String payload, int sport, int dport, int flags) {
    DecodedPacket p = new DecodedPacket();
    p.reset();
    byte[] pl = payload.getBytes(StandardCharsets.ISO_8859_1);
    p.buf = new byte[40 + pl.length];
    System.arraycopy(pl, 0, p.buf, 40, pl.length);
    p.ipVersion = 4;
    p.ipProto = 6;
    p.ttl = 64;
    p.l3Offset = 0;
    p.l4Offset = 20;
    p.payloadOffset = 40;
    p.payloadLength = pl.length;
    p.srcAddr[0] = 10;
    p.srcAddr[3] = 1;
    p.dstAddr[0] = 8;
    p.dstAddr[1] = 8;
    p.dstAddr[2] = 8;
    p.dstAddr[3] = 8;
    p.srcPort = sport;
    p.dstPort = dport;
    p.tcpFlags = flags;
    return p;
  }

  static class Flow implements FlowContext {
    boolean established = true;
    boolean toServer = true;
    final long[] bits;

    Flow(RuleSet s) {
      bits = new long[s.flowbitWords()];
    }

    @Override
    public boolean established() {
      return established;
    }

    @Override
    public boolean toServer() {
      return toServer;
    }

    @Override
    public long[] flowbits() {
      return bits;
    }

    @Override
    public void clientToServer(DecodedPacket out) {
      out.ipVersion = 4;
      out.ipProto = 6;
      java.util.Arrays.fill(out.srcAddr, (byte) 0);
      java.util.Arrays.fill(out.dstAddr, (byte) 0);
      out.srcAddr[0] = 10;
      out.srcAddr[3] = 1;
      out.dstAddr[0] = 8;
      out.dstAddr[1] = 8;
      out.dstAddr[2] = 8;
      out.dstAddr[3] = 8;
      out.srcPort = 1234;
      out.dstPort = 80;
    }
  }

  static List<Long> fire(RuleSet set, Detector d, DecodedPacket p, FlowContext f) {
    List<Long> sids = new ArrayList<>();
    d.inspect(p, f, (r, pk) -> sids.add(r.sid()));
    return sids;
  }

  @Test
  void headerRulesFoundByPortOrAddressVersionStillMatchTheirPackets() throws Exception {
    RuleSet set = RuleLoader.loadText("t", String.join("\n",
        "alert tcp any any -> any [3306,1433] (flags:S; sid:1;)",
        "alert tcp any any -> any 1000:1010 (flags:S; sid:2;)",
        "alert tcp any any -> any !80 (flags:S; sid:3;)",
        "alert tcp any any -> [2001:db8::1] any (flags:S; sid:4;)",
        "alert tcp any any <> any 3306 (flags:S; sid:5;)"), RuleOptions.defaults());
    Detector d = set.newDetector();
    assertEquals(List.of(1L, 3L, 5L), fire(set, d, tcp("", 40000, 3306, 0x02), null));
    assertEquals(List.of(2L, 3L), fire(set, d, tcp("", 40000, 1005, 0x02), null));
    assertEquals(List.of(), fire(set, d, tcp("", 40000, 80, 0x02), null));
    // <> : port 3306 as the source matches too
    assertEquals(List.of(3L, 5L), fire(set, d, tcp("", 3306, 40000, 0x02), null));
  }

  @Test
  void contentModifiersFollowSuricataWindows() throws Exception {
    RuleSet set = RuleLoader.loadText("t", String.join("\n",
        "alert tcp any any -> any any (content:\"AllWorkAndNoPlayMakesWill\"; content:\"DullBoy\"; distance:1; within:7; sid:1;)",
        "alert tcp any any -> any any (content:\"dullboy\"; nocase; depth:40; sid:2;)",
        "alert tcp any any -> any any (content:\"All\"; startswith; content:\"Boy\"; endswith; sid:3;)",
        "alert tcp any any -> any any (content:\"Will\"; content:!\"Dull\"; distance:0; sid:4;)",
        "alert tcp any any -> any any (content:\"Play\"; offset:20; sid:5;)",
        "alert tcp any any -> any any (content:\"a\"; content:\"k\"; distance:0; within:2; sid:6;)"), RuleOptions.defaults());
    Detector d = set.newDetector();
    List<Long> got = fire(set, d, tcp("AllWorkAndNoPlayMakesWill DullBoy", 1234, 80, 0x18), null);
    // sid 6 needs backtracking: the first 'a' (AndNo) is not followed by 'k' within 2, 'Make' is
    assertEquals(List.of(1L, 2L, 3L, 6L), got);
  }

  @Test
  void pcreIsdataatByteTestAndByteJump() throws Exception {
    RuleSet set = RuleLoader.loadText("t", String.join("\n",
        "alert tcp any any -> any any (content:\"LEN\"; pcre:\"/^=\\d+\\;/R\"; sid:1;)",
        "alert tcp any any -> any any (content:\"LEN=\"; byte_test:2,>,10,0,relative,string,dec; sid:2;)",
        "alert tcp any any -> any any (content:\"LEN=\"; byte_jump:2,0,relative,string,dec; content:\"X\"; within:1; sid:3;)",
        "alert tcp any any -> any any (content:\"LEN\"; isdataat:100,relative; sid:4;)",
        "alert tcp any any -> any any (pcre:\"/len=\\d\\d/i\"; sid:5;)"), RuleOptions.defaults());
    Detector d = set.newDetector();
    // LEN=12; then 12 bytes from after the digits, then X
    List<Long> got = fire(set, d, tcp("LEN=12;abcdefghijkX", 1, 2, 0x18), null);
    assertEquals(List.of(1L, 2L, 3L, 5L), got);
  }

  @Test
  void headerFlowFlagsAndFlowbits() throws Exception {
    RuleSet set = RuleLoader.loadText("t", String.join("\n",
        "alert tcp $HOME_NET any -> $EXTERNAL_NET 80 (flow:established,to_server; content:\"GET\"; flowbits:set,get; flowbits:noalert; sid:1;)",
        "alert tcp any any -> any any (flowbits:isset,get; content:\"200\"; sid:2;)",
        "alert tcp any any -> any [!80] (content:\"GET\"; sid:3;)",
        "alert tcp any any -> any any (flags:S; sid:4;)",
        "alert tcp any any <> 10.0.0.0/8 any (content:\"200\"; sid:5;)",
        "alert tcp any any -> any any (ttl:<10; sid:6;)",
        "alert tcp any any -> any any (dsize:3; content:\"GET\"; sid:7;)"), RuleOptions.defaults());
    Detector d = set.newDetector();
    Flow f = new Flow(set);
    assertEquals(List.of(7L), fire(set, d, tcp("GET", 1000, 80, 0x18), f));
    DecodedPacket reply = tcp("200 OK", 80, 1000, 0x18);
    byte[] tmp = reply.srcAddr.clone();
    System.arraycopy(reply.dstAddr, 0, reply.srcAddr, 0, 16);
    System.arraycopy(tmp, 0, reply.dstAddr, 0, 16);
    f.toServer = false;
    assertEquals(List.of(5L, 2L), fire(set, d, reply, f));
    assertEquals(List.of(4L), fire(set, d, tcp("", 1000, 80, 0x02), f));
  }

  @Test
  void thresholdLimitAndDetectionFilter() throws Exception {
    RuleSet set = RuleLoader.loadText("t", String.join("\n",
        "alert tcp any any -> any any (content:\"x\"; threshold:type limit, track by_src, count 2, seconds 60; sid:1;)",
        "alert tcp any any -> any any (content:\"x\"; threshold:type threshold, track by_dst, count 3, seconds 60; sid:2;)",
        "alert tcp any any -> any any (content:\"x\"; threshold:type both, track by_rule, count 2, seconds 60; sid:3;)",
        "alert tcp any any -> any any (content:\"x\"; detection_filter:track by_src, count 4, seconds 60; sid:4;)"), RuleOptions.defaults());
    Detector d = set.newDetector();
    int[] counts = new int[5];
    for (int i = 0; i < 6; i++) {
      DecodedPacket p = tcp("x", 1, 2, 0x18);
      p.tsNanos = i * 1_000_000_000L;
      d.inspect(p, null, (r, pk) -> counts[(int) r.sid()]++);
    }
    assertEquals(2, counts[1]);
    assertEquals(2, counts[2]);
    assertEquals(1, counts[3]);
    assertEquals(2, counts[4]);
    // a new window after 60 s
    DecodedPacket late = tcp("x", 1, 2, 0x18);
    late.tsNanos = 100_000_000_000L;
    d.inspect(late, null, (r, pk) -> counts[(int) r.sid()]++);
    assertEquals(3, counts[1]);
  }

  @Test
  void passStopsLaterRulesAndExplainNamesTheFailingKeyword() throws Exception {
    RuleSet set = RuleLoader.loadText("t", String.join("\n",
        "alert tcp any any -> any any (content:\"abc\"; content:\"zzz\"; distance:0; sid:1;)",
        "pass tcp any any -> any any (content:\"pass\"; sid:2;)",
        "alert tcp any any -> any any (content:\"pass\"; sid:3;)"), RuleOptions.defaults());
    Detector d = set.newDetector();
    assertEquals(List.of(), fire(set, d, tcp("pass me", 1, 2, 0x18), null));
    String why = d.explain(tcp("xxabcxx", 1, 2, 0x18), null, 1);
    assertEquals("prefilter passed; failed at keyword 2 'content' at buffer offset 5 of 7", why);
  }

  @Test
  void explainNamesAnAbsentBuffer() throws Exception {
    RuleSet set = RuleLoader.loadText("t",
        "alert tcp any any -> any any (isdataat:1; sid:4;)", RuleOptions.defaults());
    Detector d = set.newDetector();
    assertEquals(List.of(), fire(set, d, tcp("", 1, 2, 0x10), null));
    assertEquals("failed at pkt_data (the packet has no payload)",
        d.explain(tcp("", 1, 2, 0x10), null, 4).replaceFirst("^.*; ", ""));
  }

  @Test
  void multiPatternMatcherFindsEveryPatternCaseFolded() {
    MultiPatternMatcher m = new MultiPatternMatcher(List.of(
        "he".getBytes(), "she".getBytes(), "his".getBytes(), "hers".getBytes()));
    byte[] in = "uSHErs ahis".getBytes();
    List<Integer> hits = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    m.scan(in, 0, in.length, (id, end) -> {
      hits.add(id);
      ends.add(end);
    });
    assertEquals(List.of(1, 0, 3, 2), hits);
    assertEquals(List.of(4, 4, 6, 11), ends);
    assertTrue(m.states() > 0);
  }

  @Test
  void aScanContinuedFromItsStateFindsWhatOneScanFinds() {
    MultiPatternMatcher m = new MultiPatternMatcher(List.of(
        "he".getBytes(), "she".getBytes(), "his".getBytes(), "hers".getBytes()));
    byte[] in = "uSHErs ahis".getBytes();
    for (int cut = 0; cut <= in.length; cut++) {
      List<String> hits = new ArrayList<>();
      int st = m.scan(in, 0, cut, 0, (id, end) -> hits.add(id + "@" + end));
      m.scan(in, cut, in.length - cut, st, (id, end) -> hits.add(id + "@" + end));
      assertEquals(List.of("1@4", "0@4", "3@6", "2@11"), hits, "cut at " + cut);
    }
  }

  @Test
  void negatedEndswithMeansDoesNotEndWith() throws Exception {
    RuleSet set = RuleLoader.loadText("t", "alert tcp any any -> any any (content:\"GET\"; content:!\".exe\"; endswith; sid:1;)",
        RuleOptions.defaults());
    Detector d = set.newDetector();
    assertEquals(List.of(1L), fire(set, d, tcp("GET /a.txt", 1234, 80, 0x18), null));
    assertEquals(List.of(), fire(set, d, tcp("GET /a.exe", 1234, 80, 0x18), null));
  }

  @Test
  void headerOnlyRulesAreFoundByAddress() throws Exception {
    RuleSet set = RuleLoader.loadText("t", String.join("\n",
        "alert tcp [10.0.0.0/24,192.0.2.7] any -> $HOME_NET any (msg:\"rep src\"; sid:1;)",
        "alert ip any any -> [8.8.8.0/24,9.9.9.9] any (msg:\"rep dst\"; sid:2;)",
        "alert tcp [10.0.0.1,10.0.0.2] any -> any 80 (msg:\"overlap, port\"; sid:3;)",
        "alert tcp [10.0.0.1,10.0.0.2] any -> any 443 (msg:\"wrong port\"; sid:4;)",
        "alert tcp [172.16.0.0/12] any -> any any (msg:\"other src\"; sid:5;)"), RuleOptions.defaults());
    assertTrue(set.groups[Protocols.TCP].bySrc != null && set.groups[Protocols.TCP].byDst != null);
    assertEquals(0, set.groups[Protocols.TCP].always.length);
    Detector d = set.newDetector();
    // 10.0.0.1 -> 8.8.8.8:80
    List<Long> got = fire(set, d, tcp("x", 1234, 80, 0x18), null);
    got.sort(null);
    assertEquals(List.of(2L, 3L), got, "sid 1 needs the destination in HOME_NET");
    DecodedPacket p = tcp("x", 1234, 80, 0x18);
    p.dstAddr[0] = 10;
    p.dstAddr[1] = 1;
    got = fire(set, d, p, null);
    got.sort(null);
    assertEquals(List.of(1L, 3L), got);
  }

  @Test
  void aReputationListMixingIpv4AndIpv6IsIndexedForIpv4AndCheckedOnIpv6() throws Exception {
    RuleSet set = RuleLoader.loadText("t", String.join("\n",
        "alert tcp [10.0.0.1,192.0.2.7,2001:db8::1] any -> any any (msg:\"mixed rep\"; sid:1;)",
        "alert tcp any any -> [8.8.8.8,2001:db8::2] any (msg:\"mixed rep dst\"; sid:2;)"),
        RuleOptions.defaults());
    RuleSet.Group g = set.groups[Protocols.TCP];
    assertTrue(g.bySrc != null && g.byDst != null);
    assertEquals(0, g.always.length, "not checked on every IPv4 packet");
    assertEquals(2, g.alwaysV6.length, "IPv6 packets check them");
    Detector d = set.newDetector();
    // 10.0.0.1 -> 8.8.8.8
    List<Long> got = fire(set, d, tcp("x", 1234, 80, 0x18), null);
    got.sort(null);
    assertEquals(List.of(1L, 2L), got);
    DecodedPacket p = tcp("x", 1234, 80, 0x18);
    p.srcAddr[3] = 9;
    p.dstAddr[3] = 9;
    assertEquals(List.of(), fire(set, d, p, null), "neither address listed");
    DecodedPacket v6 = tcp("x", 1234, 80, 0x18);
    v6.ipVersion = 6;
    java.util.Arrays.fill(v6.srcAddr, (byte) 0);
    java.util.Arrays.fill(v6.dstAddr, (byte) 0);
    v6.srcAddr[0] = 0x20;
    v6.srcAddr[1] = 0x01;
    v6.srcAddr[2] = 0x0d;
    v6.srcAddr[3] = (byte) 0xb8;
    v6.srcAddr[15] = 1;
    System.arraycopy(v6.srcAddr, 0, v6.dstAddr, 0, 16);
    v6.dstAddr[15] = 3;
    assertEquals(List.of(1L), fire(set, d, v6, null), "2001:db8::1 is listed, ::3 is not");
  }

  @Test
  void rulesWithoutAFastPatternAreFoundBySourcePortWhenOnlyItIsAShortList() throws Exception {
    RuleSet set = RuleLoader.loadText("t", String.join("\n",
        "alert tcp any 3389 -> any any (msg:\"rdp syn/ack\"; flags:SA; sid:1;)",
        "alert tcp any [6784,1723] -> any any (msg:\"two ports\"; dsize:4; sid:2;)"),
        RuleOptions.defaults());
    RuleSet.Group g = set.groups[Protocols.TCP];
    assertEquals(0, g.always.length, "not checked on every packet");
    assertEquals(List.of(1723, 3389, 6784),
        java.util.Arrays.stream(g.bySrcPort).boxed().collect(java.util.stream.Collectors.toList()));
    Detector d = set.newDetector();
    assertEquals(List.of(1L), fire(set, d, tcp("", 3389, 50000, 0x12), null));
    assertEquals(List.of(), fire(set, d, tcp("", 3390, 50000, 0x12), null));
    assertEquals(List.of(2L), fire(set, d, tcp("abcd", 6784, 50000, 0x18), null));
    assertEquals(List.of(), fire(set, d, tcp("abcd", 50000, 6784, 0x18), null), "destination");
  }

  @Test
  void anIpRuleWhoseIpProtoRejectsAGroupIsNotCheckedOnItsPackets() throws Exception {
    RuleSet set = RuleLoader.loadText("t", String.join("\n",
        "alert ip any any -> any any (msg:\"6in4\"; ip_proto:41; sid:1;)",
        "alert ip any any -> any any (msg:\"not gre\"; ip_proto:!47; sid:2;)",
        "alert ip any any -> any any (msg:\"tcp\"; ip_proto:tcp; sid:3;)"), RuleOptions.defaults());
    Detector d = set.newDetector();
    // tcp packet: 1 is not even a candidate, 2 and 3 are checked and match
    assertEquals(List.of(2L, 3L), fire(set, d, tcp("", 40000, 80, 0x02), null));
    assertEquals(2, d.candidatesEvaluated());
    assertEquals(List.of(2L, 3L), java.util.Arrays.stream(set.groups[Protocols.TCP].always)
        .mapToObj(i -> set.rules[i].sid()).sorted().collect(java.util.stream.Collectors.toList()));
    // a protocol 41 packet (no transport header: the ip group) still meets rule 1
    DecodedPacket p41 = tcp("", 0, 0, 0);
    p41.ipProto = 41;
    p41.l4Offset = -1;
    p41.payloadOffset = 20;
    p41.payloadLength = 20;
    assertEquals(List.of(1L, 2L), fire(set, d, p41, null));
  }
}

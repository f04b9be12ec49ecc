package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays every capture in ../shared/corpus that has tshark ground truth and compares: the packet
 * count with capinfos, the number of TCP and UDP flows with tshark's conversation tables
 * ({@code -z conv,tcp -z conv,udp}), and for VXLAN captures the VNIs on our events with tshark's
 * {@code vxlan.vni}. Skipped, with a message, where ../shared is absent.
 *
 * <p>tshark's UDP table also lists the outer UDP 4789 tunnel datagrams of VXLAN captures as
 * conversations (one per outer source port); we write inner flows only, so those rows are left out
 * of the comparison. Every other difference is listed in {@link #KNOWN} with the frames that cause
 * it.
 */
class CorpusCrossCheckTest {
  /**
   * Where we count 4 more TCP flows than tshark's conv,tcp in the browsing capture (and in its
   * VXLAN-wrapped copy). tshark's conversation table merges every packet of an address/port pair,
   * whatever the time between them, and its tcp.stream did not split these either. We end a TCP
   * flow {@code flow.tcp_closed_timeout} (5 s, checked with a granularity of 5/16 s) after a RST or
   * FINs from both sides, as Suricata does, so later packets on the same tuple start a new flow.
   * Looked at frame by frame (tshark tcp.stream, first frame): stream 0 (59621 ->
   * 138.201.208.22:443, frame 10) and stream 1 (59622, frame 11) are each a SYN answered by RST,
   * then 13-19 s later a new handshake on the same port (a real second connection); stream 7
   * (59819 -> 93.184.221.240:80, frame 152) is a closed connection with one ACK+RST 77 s later;
   * stream 20 (60045, frame 391) ends with a RST and a FIN and its ACK arrive 37 s later. Stream
   * 35 (60064, frame 1380) has its late FIN 5.002 s after the RST: within the granularity, so it
   * stays one flow. We judge ours right: the second SYNs are new connections, and the strays are
   * better seen as their own (tiny) flows than folded into a long-closed one.
   */
  private static final String CLOSED_THEN_REUSED =
      "(4 tuples reused or hit by stray packets more than 5 s after close: see KNOWN)";

  /** capture file name -> {tcp delta, udp delta, explanation}: ours minus tshark's. */
  private static final Map<String, Object[]> KNOWN = Map.of(
      "sv-browsing-mixed-retrans.pcap", new Object[] {4, 0, CLOSED_THEN_REUSED},
      "derived-vxlan-aws-browsing-mixed.pcap", new Object[] {4, 0, CLOSED_THEN_REUSED});

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> flowsPerProtocolMatchTshark() throws IOException {
    Path corpus = Dirs.corpusOrSkip("tshark cross-checks of replay (CorpusCrossCheckTest)");
    List<Path> captures = new ArrayList<>();
    try (Stream<Path> s = Files.walk(corpus, 3)) {
      s.filter(p -> Files.isDirectory(Path.of(p + ".truth")))
          .filter(p -> Files.isRegularFile(p))
          .sorted()
          .forEach(captures::add);
    }
    assertTrue(captures.size() >= 21, "expected the corpus captures, found " + captures.size());
    return captures.stream().map(c -> DynamicTest.dynamicTest(
        corpus.relativize(c).toString(), () -> check(c)));
  }

  @SuppressWarnings("unchecked")
  private void check(Path capture) throws IOException {
    Path truth = Path.of(capture + ".truth");
    Path out = tmp.resolve(capture.getFileName().toString());
    ReplaySummary sum = ReplayRunner.replay(SensorConfig.defaults(), List.of(capture), out,
        new PrintStream(PrintStream.nullOutputStream()));

    Map<String, Object> summary = (Map<String, Object>) Json.parse(truth.resolve("summary.json"));
    long packets = Long.parseLong((String) Json.at(summary, "capinfos.packets"));
    assertEquals(packets, sum.packets(), "packets read (capinfos -c)");
    assertTrue(sum.damage().isEmpty(), "no damage expected: " + sum.damage());

    Set<Long> vnis = truthVnis(truth);
    Map<String, Object> conv = (Map<String, Object>) Json.parse(truth.resolve("conversations.json"));
    long tcpTruth = rows(conv, "tcp").size();

    Set<Long> tcpFlows = new HashSet<>();
    Set<Long> udpFlows = new HashSet<>();
    Set<Long> ourVnis = new TreeSet<>();
    for (Map<String, Object> e : Json.lines(out.resolve("eve.json"))) {
      if ("stats".equals(e.get("event_type"))) {
        // Every packet is accounted for once: to a flow, held as a fragment, or counted as
        // having no flow key.
        long received = (Long) Json.at(e, "stats.capture.received");
        Object held = Json.at(e, "stats.decoder.fragments_held");
        assertEquals(received, (Long) Json.at(e, "stats.flow.packets")
            + (Long) Json.at(e, "stats.decoder.no_flow_key") + (held == null ? 0 : (Long) held),
            "stats: received = flow.packets + no_flow_key + fragments_held");
        assertEquals(packets, received, "stats: capture.received");
      }
      if (!"flow".equals(e.get("event_type"))) {
        continue;
      }
      long id = (Long) e.get("flow_id");
      if ("TCP".equals(e.get("proto"))) {
        tcpFlows.add(id);
      } else if ("UDP".equals(e.get("proto"))) {
        udpFlows.add(id);
      }
      Object vni = Json.at(e, "vxlan.vni");
      if (vni != null) {
        ourVnis.add((Long) vni);
      }
    }
    // Outer tunnel rows: tshark lists the VXLAN datagrams themselves as UDP conversations.
    boolean tunnelled = !ourVnis.isEmpty() || !vnis.isEmpty();
    long udpTruth = rows(conv, "udp").stream()
        .filter(r -> !tunnelled || !(((String) r.get("a")).endsWith(":4789")
            || ((String) r.get("b")).endsWith(":4789")))
        .count();
    Object[] known = KNOWN.getOrDefault(capture.getFileName().toString(), new Object[] {0, 0, ""});
    String why = (String) known[2];
    assertEquals(tcpTruth + (Integer) known[0], tcpFlows.size(),
        "TCP flows vs tshark conv,tcp " + why);
    assertEquals(udpTruth + (Integer) known[1], udpFlows.size(),
        "UDP flows vs tshark conv,udp (outer 4789 rows left out) " + why);
    if (!vnis.isEmpty()) {
      // tshark names a VNI only in the records it writes (TCP, DNS, HTTP, TLS); a capture whose
      // inner traffic is none of those (suricata-verify vxlan-decoder-01) has none to compare.
      assertEquals(new TreeSet<>(vnis), ourVnis, "VNIs on flow events vs tshark vxlan.vni");
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(Map<String, Object> conv, String table) {
    Object t = conv.get(table);
    return t == null ? List.of() : (List<Map<String, Object>>) t;
  }

  /** Every VNI tshark reported in any truth file of the capture. */
  private static Set<Long> truthVnis(Path truth) throws IOException {
    Set<Long> out = new TreeSet<>();
    try (Stream<Path> files = Files.list(truth)) {
      files.filter(f -> f.toString().endsWith(".jsonl")).forEach(f -> {
        try {
          for (Map<String, Object> r : Json.lines(f)) {
            Object v = r.get("vni");
            if (v instanceof Long) {
              out.add((Long) v);
            } else if (v instanceof String && !((String) v).isEmpty()) {
              out.add(Long.parseLong(((String) v).split(",")[0]));
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return out;
  }
}

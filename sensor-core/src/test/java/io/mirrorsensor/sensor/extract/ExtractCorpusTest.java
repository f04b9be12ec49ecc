package io.mirrorsensor.sensor.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.DecodeStatus;
import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.PacketDecoder;
import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.ReplayRunner;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's "done when" on a real capture: replaying the corpus's VXLAN-mirrored browsing
 * capture with a rule gives alerts whose pcap extracts hold exactly the triggering flow (every
 * packet in the file decodes to the alert's community_id), as many packets as the closing
 * extract event says, and open in tshark where it is installed.
 */
class ExtractCorpusTest {
  @TempDir Path tmp;

  @Test
  void ruleAlertsOnTheMirroredBrowsingCaptureComeWithTheirFlowsPackets() throws Exception {
    Path corpus = Dirs.corpusOrSkip("extract check on the corpus (ExtractCorpusTest)");
    Path capture = corpus.resolve("pcaps/derived-vxlan-aws-browsing-mixed.pcap");
    // The image downloads of the browsing session (tshark: GET .../wp-content/uploads/...).
    String rules = "alert tcp any any -> any 80 (msg:\"wordpress upload fetched\";"
        + " flow:established,to_server; content:\"GET \"; depth:4;"
        + " content:\"/wp-content/uploads/\"; sid:9000001; rev:1;)";
    SensorConfig cfg = SensorConfig.defaults()
        .withRules(RuleLoader.loadText("corpus.rules", rules, RuleOptions.defaults()));
    ReplayRunner.replay(cfg, List.of(capture), tmp, new PrintStream(PrintStream.nullOutputStream()));
    List<Map<String, Object>> eve = Json.lines(tmp.resolve("eve.json"));
    List<Map<String, Object>> alerts = eve.stream()
        .filter(e -> "alert".equals(e.get("event_type"))
            && Long.valueOf(9000001).equals(Json.at(e, "alert.signature_id")))
        .collect(Collectors.toList());
    assertTrue(alerts.size() >= 3, "wp-content GETs in the browsing capture: " + alerts.size());
    Map<Object, Map<String, Object>> extracts = eve.stream()
        .filter(e -> "extract".equals(e.get("event_type")))
        .collect(Collectors.toMap(e -> Json.at(e, "extract.pcap"), e -> e, (a, b) -> a));
    for (Map<String, Object> a : alerts) {
      String rel = (String) a.get("pcap");
      assertNotNull(rel, "alert has a pcap: " + a);
      Path file = tmp.resolve(rel);
      Map<String, Object> closing = extracts.get(rel);
      assertNotNull(closing, "a closing extract event for " + rel);
      long packets = 0;
      PacketDecoder decoder = new PacketDecoder(cfg.decoderConfig());
      DecodedPacket p = new DecodedPacket();
      try (CaptureReader r = CaptureReader.open(file)) {
        CaptureRecord rec = new CaptureRecord();
        while (r.next(rec)) {
          packets++;
          DecodeStatus st = decoder.decode(rec.buf, rec.offset, rec.capLen, rec.origLen,
              rec.linkType, rec.tsNanos, p);
          assertTrue(p.hasFlowKey(), rel + " packet " + packets + ": " + st);
          assertEquals(a.get("community_id"), FlowKey.of(p, 0).communityId(),
              rel + " packet " + packets + " belongs to the alert's flow");
        }
        assertEquals(null, r.damage());
      }
      assertEquals(Json.at(closing, "extract.packets"), packets, "packets in " + rel);
      assertTrue(packets >= 4, "handshake and request at least: " + packets);
      tsharkReads(file, packets);
    }
  }

  private static void tsharkReads(Path file, long packets) throws Exception {
    boolean onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "tshark")));
    if (!onPath) {
      System.out.println("ExtractCorpusTest: tshark not on PATH, skipping tshark -r " + file);
      return;
    }
    Process pr = new ProcessBuilder("tshark", "-r", file.toString(), "-T", "fields", "-e",
        "frame.number").start();
    String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    pr.getErrorStream().readAllBytes();
    assertEquals(0, pr.waitFor(), "tshark -r " + file);
    assertEquals(packets, out.lines().filter(l -> !l.isBlank()).count(), "tshark's count");
  }
}

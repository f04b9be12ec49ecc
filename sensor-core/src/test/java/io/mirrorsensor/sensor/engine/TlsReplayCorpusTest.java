package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.app.TlsCorpusCrossCheckTest;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's "done when": replaying the corpus TLS captures writes tls events whose SNI, ALPN, JA3
 * (hash and string) equal tshark's, and whose JA4 equals an independent computation from tshark's
 * fields (JA4.md over the JA3 lists; its first two parts, since tshark 4.0 does not give the
 * signature algorithms the third part needs).
 */
class TlsReplayCorpusTest {
  @TempDir Path tmp;

  @Test
  void tlsEventsOfTheCorpusTlsCapturesMatchTshark() throws Exception {
    Path corpus = Dirs.corpusOrSkip("TLS replay check (TlsReplayCorpusTest)");
    int checked = 0;
    for (String name : List.of("sv-tls13-ipv6-sni.pcap", "sv-browsing-mixed-retrans.pcap",
        "derived-vxlan-aws-browsing-mixed.pcap")) {
      Path capture = corpus.resolve("pcaps").resolve(name);
      Path out = tmp.resolve(name);
      ReplayRunner.replay(SensorConfig.defaults(), List.of(capture), out,
          new PrintStream(PrintStream.nullOutputStream()));
      // tshark's ClientHellos by client port (one per TCP stream in these captures).
      Map<Long, Map<String, Object>> truth = new HashMap<>();
      for (Map<String, Object> r : Json.lines(Path.of(capture + ".truth").resolve("tls.jsonl"))) {
        if ("tcp".equals(r.get("proto"))) {
          truth.put((Long) r.get("sport"), r);
        }
      }
      for (Map<String, Object> e : Json.lines(out.resolve("eve.json"))) {
        if (!"tls".equals(e.get("event_type"))) {
          continue;
        }
        Map<String, Object> t = truth.get((Long) e.get("src_port"));
        assertNotNull(t, name + ": a tshark ClientHello for client port " + e.get("src_port"));
        String where = name + " frame " + t.get("frame");
        assertEquals(t.get("sni"), Json.at(e, "tls.sni"), where + " sni");
        assertEquals(t.get("ja3"), Json.at(e, "tls.ja3.hash"), where + " ja3");
        assertEquals(t.get("ja3_full"), Json.at(e, "tls.ja3.string"), where + " ja3 string");
        @SuppressWarnings("unchecked")
        List<String> alpn = (List<String>) t.get("alpn");
        Object ours = Json.at(e, "tls.client_alpns");
        assertEquals(alpn == null || alpn.isEmpty() ? null : alpn, ours, where + " alpn");
        @SuppressWarnings("unchecked")
        List<String> versions = (List<String>) t.get("supported_versions");
        int[] v = versions == null ? new int[0]
            : versions.stream().mapToInt(x -> Integer.decode(x)).toArray();
        String expected = TlsCorpusCrossCheckTest.ja4FromTshark(
            Integer.decode((String) t.get("legacy_version")), v,
            alpn == null ? List.of() : alpn, (String) t.get("ja3_full"), new int[0]);
        String ja4 = (String) Json.at(e, "tls.ja4");
        String[] a = ja4.split("_");
        String[] b = expected.split("_");
        assertEquals(b[0] + "_" + b[1], a[0] + "_" + a[1], where + " ja4 (parts a and b)");
        checked++;
      }
    }
    assertTrue(checked >= 80, "tls events checked: " + checked);
  }
}

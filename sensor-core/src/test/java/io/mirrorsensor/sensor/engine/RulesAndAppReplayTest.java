package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP, DNS and rules through the real replay path on samples/vxlan.pcap, where the HTTP
 * conversation is mirrored from both ends (every packet twice, VNIs 101 and 102): each request,
 * lookup and alert must come out once, not once per copy.
 */
public class RulesAndAppReplayTest {
  public static final String RULES = String.join("\n",
      "alert tcp any any -> any any (msg:\"index page requested\"; flow:established,to_server;"
          + " content:\"GET /index.html\"; sid:1000001; rev:2; classtype:policy-violation;"
          + " metadata:created_at 2024_01_15, deployment Internal;)",
      "alert udp any any -> any 53 (msg:\"example.com lookup\"; content:\"|07|example|03|com\";"
          + " nocase; sid:1000002; rev:1;)",
      "alert tcp any any -> any any (msg:\"never: wrong direction\"; flow:to_client;"
          + " content:\"GET /index.html\"; sid:1000004; rev:1;)");

  @TempDir Path tmp;

  private List<Map<String, Object>> replay(SensorConfig cfg) throws Exception {
    ReplayRunner.replay(cfg, List.of(Dirs.root().resolve("samples/vxlan.pcap")), tmp,
        new PrintStream(PrintStream.nullOutputStream()));
    return Json.lines(tmp.resolve("eve.json"));
  }

  private static List<Map<String, Object>> ofType(List<Map<String, Object>> eve, String type) {
    return eve.stream().filter(e -> type.equals(e.get("event_type"))).collect(Collectors.toList());
  }

  @Test
  void httpAndDnsTransactionsAreWrittenOnceEachDespiteMirrorCopies() throws Exception {
    List<Map<String, Object>> eve = replay(SensorConfig.defaults());
    List<Map<String, Object>> http = ofType(eve, "http");
    assertEquals(2, http.size(), "one request per HTTP flow (the IPv4 one arrives twice)");
    Map<String, Object> index = http.stream()
        .filter(e -> "/index.html".equals(Json.at(e, "http.url"))).findFirst().orElseThrow();
    assertEquals("app.internal.example", Json.at(index, "http.hostname"));
    assertEquals("GET", Json.at(index, "http.http_method"));
    assertEquals(200L, Json.at(index, "http.status"));
    assertEquals("10.0.1.10", index.get("src_ip"));
    List<Map<String, Object>> dns = ofType(eve, "dns");
    assertEquals(List.of("query", "answer"),
        dns.stream().map(e -> Json.at(e, "dns.type")).collect(Collectors.toList()));
    assertEquals("www.example.com", Json.at(dns.get(1), "dns.rrname"));
    assertEquals("NOERROR", Json.at(dns.get(1), "dns.rcode"));
    Map<Object, Object> appProto = ofType(eve, "flow").stream()
        .filter(e -> e.get("app_proto") != null)
        .collect(Collectors.toMap(e -> e.get("dest_port"), e -> e.get("app_proto")));
    assertEquals(Map.of(80L, "http", 8080L, "http", 53L, "dns"), appProto);
  }

  @Test
  void rulesAlertOncePerMatchingPacketWithSuricataFields() throws Exception {
    RuleSet set = RuleLoader.loadText("test.rules", RULES, RuleOptions.defaults());
    List<Map<String, Object>> eve = replay(SensorConfig.defaults().withRules(set));
    List<Map<String, Object>> alerts = ofType(eve, "alert");
    assertEquals(List.of(1000001L, 1000002L), alerts.stream()
        .map(e -> (Long) Json.at(e, "alert.signature_id")).sorted().collect(Collectors.toList()),
        "the mirrored GET alerts once; the to_client rule never");
    Map<String, Object> get = alerts.stream()
        .filter(e -> Long.valueOf(1000001).equals(Json.at(e, "alert.signature_id")))
        .findFirst().orElseThrow();
    assertEquals(7L, get.get("pcap_cnt"), "the first copy of the request (frame 7)");
    assertEquals("to_server", get.get("direction"));
    assertEquals("10.0.1.10", get.get("src_ip"));
    assertEquals(1L, Json.at(get, "alert.gid"));
    assertEquals(2L, Json.at(get, "alert.rev"));
    assertEquals("index page requested", Json.at(get, "alert.signature"));
    assertEquals("Potential Corporate Privacy Violation", Json.at(get, "alert.category"));
    assertEquals(List.of("Internal"), Json.at(get, "alert.metadata.deployment"));
    assertEquals(List.of(101L, 102L), Json.at(get, "vxlan.vnis"));
    Map<String, Object> flow = ofType(eve, "flow").stream()
        .filter(e -> get.get("flow_id").equals(e.get("flow_id"))).findFirst().orElseThrow();
    assertEquals(Boolean.TRUE, Json.at(flow, "flow.alerted"));
    Map<String, Object> stats = ofType(eve, "stats").get(0);
    assertEquals(2L, Json.at(stats, "stats.detect.rule_alerts"));
    assertTrue((Long) Json.at(stats, "stats.detect.rule_candidates_evaluated") >= 2);
  }

  @Test
  void appLayerRuleAlertsCarryTheirTransaction() throws Exception {
    RuleSet set = RuleLoader.loadText("app.rules", String.join("\n",
        "alert http any any -> any any (msg:\"index via http.uri\"; http.uri;"
            + " content:\"/index.html\"; sid:1000003; rev:1;)",
        "alert dns any any -> any any (msg:\"example.com via dns.query\"; dns.query;"
            + " content:\"example.com\"; sid:1000005; rev:1;)",
        "alert http any any -> any any (msg:\"index answered 200\"; http.uri;"
            + " content:\"/index.html\"; http.stat_code; content:\"200\"; sid:1000006; rev:1;)"),
        RuleOptions.defaults());
    List<Map<String, Object>> alerts = ofType(replay(SensorConfig.defaults().withRules(set)),
        "alert");
    assertEquals(3, alerts.size(), "each once, although the HTTP flow was mirrored twice");
    Map<String, Object> http = alerts.stream()
        .filter(e -> Long.valueOf(1000003).equals(Json.at(e, "alert.signature_id")))
        .findFirst().orElseThrow();
    assertEquals("http", http.get("app_proto"));
    assertEquals("/index.html", Json.at(http, "http.url"));
    assertEquals("app.internal.example", Json.at(http, "http.hostname"));
    // a request-side rule alerts when the request ends: the response is not there yet
    assertNull(Json.at(http, "http.status"), "raised before the response");
    Map<String, Object> answered = alerts.stream()
        .filter(e -> Long.valueOf(1000006).equals(Json.at(e, "alert.signature_id")))
        .findFirst().orElseThrow();
    assertEquals(200L, Json.at(answered, "http.status"));
    assertTrue(((String) answered.get("timestamp")).compareTo((String) http.get("timestamp")) > 0,
        "the response-side alert comes later: " + answered.get("timestamp") + " / "
            + http.get("timestamp"));
    Map<String, Object> dns = alerts.stream()
        .filter(e -> Long.valueOf(1000005).equals(Json.at(e, "alert.signature_id")))
        .findFirst().orElseThrow();
    assertEquals("dns", dns.get("app_proto"));
    assertEquals("www.example.com", Json.at(dns, "dns.rrname"));
    assertEquals("A", Json.at(dns, "dns.rrtype"));
  }
}

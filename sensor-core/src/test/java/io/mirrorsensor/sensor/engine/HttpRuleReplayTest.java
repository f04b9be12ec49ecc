package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.flow.Flow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * HTTP rules through the real packet path on suricata-verify captures: body buffers honour the
 * configured body limits, and http rules without http keywords inspect the packets of flows the
 * app layer identified as HTTP (by content, also on port 53).
 */
class HttpRuleReplayTest {
  static Path corpus(String test) {
    Path p = Path.of(System.getProperty("mirrorsensor.shared", "../../shared"), "corpus",
        "suricata-verify", test, "input.pcap");
    Assumptions.assumeTrue(Files.exists(p), "suricata-verify corpus absent");
    return p;
  }

  static Map<Long, Integer> replay(String rules, Path pcap, String... kv) throws Exception {
    Properties props = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      props.setProperty(kv[i], kv[i + 1]);
    }
    RuleSet set = RuleLoader.loadText("t.rules", rules, RuleOptions.defaults());
    assertEquals(0, set.report().skipped() + set.report().failed(), set.report().summary());
    Map<Long, Integer> counts = new TreeMap<>();
    DiscardingEventSink sink = new DiscardingEventSink() {
      @Override
      public void ruleAlert(Flow flow, Rule rule, boolean packetFromKeySrc, long tsNanos,
          long pcapCnt) {
        counts.merge(rule.sid(), 1, Integer::sum);
      }
    };
    SensorConfig config = ConfigLoader.fromProperties(props, "test").withRules(set);
    RuleReplay.run(config, pcap, sink, null, new long[0]);
    return counts;
  }

  @Test
  void fileDataSeesTheResponseBodyUpToTheConfiguredLimit() throws Exception {
    Path pcap = corpus("http-evader__http-evader-039");
    String rules = "alert http any any -> any any (file_data; content:\"EICAR-STANDARD\"; sid:1;)\n"
        + "alert http any any -> any any (file_data; content:\"X5O!P\"; depth:5; sid:2;)\n";
    assertEquals(Map.of(1L, 1, 2L, 1), replay(rules, pcap));
    // the EICAR string starts the body: 10 bytes keep sid 2's match, not sid 1's
    assertEquals(Map.of(2L, 1), replay(rules, pcap, "http.response_body_limit", "10"));
    assertEquals(Map.of(), replay(rules, pcap, "http.response_body_limit", "0"));
  }

  @Test
  void httpRuleWithoutHttpKeywordsFiresOnPacketsOfHttpFlows() throws Exception {
    // one HTTP request from port 53, picked up midstream: HTTP by content, not DNS by port
    Path pcap = corpus("uricontent__detect-uricontent-05");
    String rules = "alert http any any -> any any (content:\"images.gif\"; sid:1;)\n"
        + "alert dns any any -> any any (dns.query; content:\"images\"; sid:2;)\n"
        + "alert http any any -> any any (http.uri; content:\"images.gif\"; sid:3;)\n";
    assertEquals(Map.of(1L, 1, 3L, 1), replay(rules, pcap));
    // on a TLS flow the same kind of rule stays quiet where a tcp rule and a tls rule fire
    Path tls = corpus("tls-duplicate-hello");
    Map<Long, Integer> got = replay("alert http any any -> any any (content:\"|16 03|\"; sid:4;)\n"
        + "alert tcp any any -> any any (content:\"|16 03|\"; sid:5;)\n"
        + "alert tls any any -> any any (content:\"|16 03|\"; sid:6;)\n", tls);
    assertEquals(null, got.get(4L));
    assertEquals(true, got.getOrDefault(5L, 0) > 0, got.toString());
    assertEquals(got.get(5L), got.get(6L), got.toString());
  }
}

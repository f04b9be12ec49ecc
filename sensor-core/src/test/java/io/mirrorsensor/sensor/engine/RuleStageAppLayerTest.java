package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.testing.Dirs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * App-layer rules through {@link RuleStage}'s transaction hooks on samples/vxlan.pcap (an HTTP
 * conversation mirrored from both ends, and a DNS lookup): each matching transaction alerts once,
 * and the alert knows its transaction.
 */
class RuleStageAppLayerTest {
  @Test
  void httpAndDnsRulesFireOncePerTransactionThroughTheStage() throws Exception {
    RuleSet set = RuleLoader.loadText("t.rules", String.join("\n",
        "alert http any any -> any any (msg:\"index\"; flow:established,to_server; http.method; content:\"GET\"; http.uri; content:\"/index.html\"; endswith; sid:1;)",
        "alert http any any -> any any (msg:\"host\"; http.host; content:\"app.internal.example\"; sid:2;)",
        "alert http any any -> any any (msg:\"ok\"; http.stat_code; content:\"200\"; sid:3;)",
        "alert dns any any -> any any (msg:\"lookup\"; dns.query; content:\"www.example.com\"; startswith; endswith; sid:4;)",
        "alert http any any -> any any (msg:\"never\"; http.uri; content:\"/nothing-here\"; sid:5;)",
        "alert dns any any -> any any (msg:\"never: dns rule on a to_client header\"; flow:to_client; dns.query; content:\"example\"; sid:6;)",
        "alert tcp any any -> any any (msg:\"packet rule still fires\"; content:\"GET /index.html\"; sid:7;)"),
        RuleOptions.defaults());
    assertEquals(0, set.report().skipped(), set.report().summary());
    AppRuleReplay r = AppRuleReplay.replay(set, Dirs.root().resolve("samples/vxlan.pcap"));
    assertEquals(Map.of(1L, 1, 2L, 1, 3L, 2, 4L, 1, 7L, 1), r.counts(), "3: both HTTP flows answer 200");
    assertEquals(List.of("HttpTransaction", "HttpTransaction", "HttpTransaction", "HttpTransaction", "DnsTransaction"),
        r.alertTransactions().stream().sorted((a, b) -> b.compareTo(a)).toList());
    assertEquals(3, r.transactions(), "two HTTP transactions and one DNS");
    assertEquals(5, r.appAlerts());
  }
}

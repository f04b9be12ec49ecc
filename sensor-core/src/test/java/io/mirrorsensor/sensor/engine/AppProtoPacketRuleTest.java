package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.testing.Dirs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * dns and tls rules without a keyword of their protocol (ET's {@code alert tls ...
 * (flow:from_server; content:"|0d|honeygain.com"; ...)}) inspect the packets of flows the app
 * layer recognised as that protocol, as in Suricata, through the real packet path.
 */
class AppProtoPacketRuleTest {
  @Test
  void tlsRulesSeeOnlyThePacketsOfTlsFlows() throws Exception {
    Path pcap = Dirs.corpusOrSkip("suricata-verify").resolve("suricata-verify/tls__tls-glupteba/input.pcap");
    RuleSet set = RuleLoader.loadText("t.rules", String.join("\n",
        // frame 6, the server's Certificate: in a tls flow
        "alert tls any any -> any any (flow:from_server,established; content:\"server15.xn--j1ahhq\"; sid:1;)",
        // frame 4, the SSLv2-format ClientHello: the flow is recognised by this very packet
        "alert tls any any -> any any (flow:to_server; content:\"|80 80 01|\"; depth:3; sid:2;)",
        // the flow is not dns
        "alert dns any any -> any any (content:\"server15\"; sid:3;)",
        "alert tcp any any -> any any (content:\"server15.xn--j1ahhq\"; sid:4;)",
        // frames 6 and 8 hold |16 03|; pure ACKs and the handshake packets have no payload
        "alert tls any any -> any any (content:\"|16 03|\"; sid:5;)"),
        RuleOptions.defaults());
    assertEquals(5, set.report().loaded(), set.report().summary());
    AppRuleReplay r = AppRuleReplay.replay(set, pcap);
    assertEquals(Map.of(1L, 1, 2L, 1, 4L, 1, 5L, 2), r.counts());
  }

  @Test
  void dnsRulesSeeThePacketsOfDnsFlows() throws Exception {
    RuleSet set = RuleLoader.loadText("t.rules", String.join("\n",
        // the lookup's query and its answer both carry the name
        "alert dns any any -> any any (content:\"|07|example|03|com|00|\"; sid:1;)",
        "alert dns any any -> any any (content:\"GET /index.html\"; sid:2;)",
        "alert tls any any -> any any (content:\"|07|example|03|com|00|\"; sid:3;)"),
        RuleOptions.defaults());
    assertEquals(3, set.report().loaded(), set.report().summary());
    AppRuleReplay r = AppRuleReplay.replay(set, Dirs.root().resolve("samples/vxlan.pcap"));
    assertEquals(Map.of(1L, 2), r.counts());
  }
}

package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.flow.Flow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays a capture through the real packet path ({@link RuleReplay}, as {@code rules test}) with
 * rules, as an {@link EventSink} that counts
 * alerts per sid (packet and transaction alerts alike), the transactions the parsers handed over,
 * and for each app-layer alert the kind of transaction its rule inspects.
 */
final class AppRuleReplay extends DiscardingEventSink {
  private final Map<Long, Integer> counts = new TreeMap<>();
  private final List<String> alertTransactions = new ArrayList<>();
  private long transactions;
  private long appAlerts;

  private AppRuleReplay() {}

  static AppRuleReplay replay(RuleSet set, Path pcap) throws IOException {
    AppRuleReplay r = new AppRuleReplay();
    RuleReplay.run(set, pcap, r, null, new long[0]);
    return r;
  }

  Map<Long, Integer> counts() {
    return counts;
  }

  /** For each app alert, the simple class name of the transaction it came from. */
  List<String> alertTransactions() {
    return alertTransactions;
  }

  /** HTTP, DNS and TLS transactions the parsers handed over. */
  long transactions() {
    return transactions;
  }

  /** Alerts of app-layer (http, dns, tls) rules. */
  long appAlerts() {
    return appAlerts;
  }

  @Override
  public void ruleAlert(Flow flow, Rule rule, boolean packetFromKeySrc, long tsNanos,
      long pcapCnt) {
    counts.merge(rule.sid(), 1, Integer::sum);
    String tx = switch (rule.protocol()) {
      case "http" -> "HttpTransaction";
      case "dns" -> "DnsTransaction";
      case "tls" -> "TlsTransaction";
      default -> null;
    };
    if (tx != null) {
      appAlerts++;
      alertTransactions.add(tx);
    }
  }

  @Override
  public void http(Flow flow, HttpTransaction t) {
    transactions++;
  }

  @Override
  public void dns(Flow flow, DnsTransaction t) {
    transactions++;
  }

  @Override
  public void tls(Flow flow, TlsTransaction t) {
    transactions++;
  }
}

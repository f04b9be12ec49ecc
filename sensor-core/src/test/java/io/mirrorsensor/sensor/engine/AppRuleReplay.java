package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.flow.Flow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays a capture through the real packet path (decoder, flow table, stream reassembly, app
 * parsers, and the app layer's calls into the worker's {@link RuleStage}) with rules. Counts
 * alerts per sid (packet and transaction alerts alike), the transactions the parsers handed over,
 * and for each app-layer alert the kind of transaction its rule inspects.
 */
public final class AppRuleReplay extends DiscardingEventSink {
  private final Map<Long, Integer> counts = new TreeMap<>();
  private final List<String> alertTransactions = new ArrayList<>();
  private long transactions;
  private long appAlerts;

  private AppRuleReplay() {}

  /** Alerts per sid of {@code set} over {@code pcap}. */
  public static Map<Long, Integer> run(RuleSet set, Path pcap) throws IOException {
    return replay(set, pcap).counts;
  }

  static AppRuleReplay replay(RuleSet set, Path pcap) throws IOException {
    AppRuleReplay r = new AppRuleReplay();
    PacketProcessor pp = new PacketProcessor(SensorConfig.defaults().withRules(set), r);
    try (CaptureReader reader = CaptureReader.open(pcap)) {
      CaptureRecord rec = new CaptureRecord();
      while (reader.next(rec)) {
        pp.process(rec.buf, rec.offset, rec.capLen, rec.origLen, rec.linkType, rec.tsNanos,
            rec.number);
      }
    }
    pp.finish();
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

package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.Anomaly;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import io.mirrorsensor.decode.tcp.TcpFinding;
import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.flow.EndReason;
import io.mirrorsensor.sensor.flow.Flow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays a capture through the real packet path (decoder, flow table, stream reassembly, app
 * parsers) with rules, and hands every HTTP, DNS and TLS transaction to a {@link RuleStage}'s
 * {@code on*} hooks the way the app layer will once the integrator wires them in: the event sink
 * gets each transaction and calls the hook. Counts alerts per sid (packet and transaction alerts
 * alike) and records which transaction each app alert came from.
 */
public final class AppRuleReplay implements EventSink {
  private final Map<Long, Integer> counts = new TreeMap<>();
  private final List<String> alertTransactions = new ArrayList<>();
  private final RuleStage appStage;
  private long now;

  private AppRuleReplay(RuleSet set) {
    this.appStage = new RuleStage(set, this);
  }

  /** Alerts per sid of {@code set} over {@code pcap}. */
  public static Map<Long, Integer> run(RuleSet set, Path pcap) throws IOException {
    return replay(set, pcap).counts;
  }

  static AppRuleReplay replay(RuleSet set, Path pcap) throws IOException {
    AppRuleReplay r = new AppRuleReplay(set);
    PacketProcessor pp = new PacketProcessor(SensorConfig.defaults().withRules(set), r);
    try (CaptureReader reader = CaptureReader.open(pcap)) {
      CaptureRecord rec = new CaptureRecord();
      while (reader.next(rec)) {
        r.now = rec.tsNanos;
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

  RuleStage appStage() {
    return appStage;
  }

  @Override
  public void ruleAlert(Flow flow, Rule rule, boolean packetFromKeySrc, long tsNanos,
      long pcapCnt) {
    counts.merge(rule.sid(), 1, Integer::sum);
    Object tx = appStage.alertTransaction();
    if (tx != null) {
      alertTransactions.add(tx.getClass().getSimpleName());
    }
  }

  @Override
  public void http(Flow flow, HttpTransaction t) {
    appStage.onHttp(flow, t, now);
  }

  @Override
  public void dns(Flow flow, DnsTransaction t) {
    appStage.onDns(flow, t, now);
  }

  @Override
  public void tls(Flow flow, TlsTransaction t) {
    appStage.onTls(flow, t, now);
  }

  @Override
  public void anomaly(Anomaly a, long tsNanos, long pcapCnt, FlowKey key, int vni) {}

  @Override
  public void flowEnded(Flow flow, EndReason reason) {}

  @Override
  public void finding(Flow flow, TcpFinding finding, long tsNanos) {}
}

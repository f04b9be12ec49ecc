package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.Anomaly;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.sensor.flow.Flow;
import io.mirrorsensor.sensor.flow.FlowSink;

/**
 * Where one {@link PacketProcessor} sends what it finds: ended flows and anomalies. {@link Outputs}
 * writes them to the files directly (one thread); a pipeline worker's sink encodes them into
 * memory and hands the bytes to the output thread. Called only by the processor's owning thread.
 */
public interface EventSink extends FlowSink {
  /** An anomaly event; see {@link io.mirrorsensor.sensor.output.EveWriter#anomaly}. */
  void anomaly(Anomaly a, long tsNanos, long pcapCnt, FlowKey key, int vni);

  /** A rule alert; see {@link io.mirrorsensor.sensor.output.EveWriter#ruleAlert}. */
  void ruleAlert(Flow flow, Rule rule, boolean packetFromKeySrc, long tsNanos, long pcapCnt);

  /**
   * A rule alert raised by an app-layer transaction {@code tx} (an HttpTransaction,
   * DnsTransaction or TlsTransaction, valid only during the call), which the alert event carries
   * as Suricata does. By default the transaction is left out.
   */
  default void ruleAlert(Flow flow, Rule rule, boolean packetFromKeySrc, long tsNanos,
      long pcapCnt, Object tx) {
    ruleAlert(flow, rule, packetFromKeySrc, tsNanos, pcapCnt);
  }

  /** A DNS transaction, valid only during the call; see EveWriter#dns. */
  void dns(Flow flow, DnsTransaction t);

  /** An HTTP transaction; see EveWriter#http. */
  void http(Flow flow, HttpTransaction t);

  /** A TLS handshake, once per flow when it is complete; see EveWriter#tls. */
  void tls(Flow flow, io.mirrorsensor.decode.app.tls.TlsTransaction t);

  /**
   * A built-in app-layer finding (docs/FINDINGS.md sids 6-15); see EveWriter#appAlert. {@code
   * pcapCnt}: the record number of the packet that raised it, 0 when none did (live, or raised
   * when the flow ended). Abstract, as {@link #finding}: a sink that forgot it would lose alerts.
   */
  void appFinding(Flow flow, io.mirrorsensor.decode.app.AppFinding f, long tsNanos, long pcapCnt,
      String detail);

  /** An app-layer anomaly ({@code type: applayer}), already rate-limited; see EveWriter#appAnomaly. */
  void appAnomaly(Flow flow, String layer, String event, long tsNanos, long pcapCnt);
}

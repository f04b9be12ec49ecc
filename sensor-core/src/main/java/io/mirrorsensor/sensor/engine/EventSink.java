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

  /** A DNS transaction, valid only during the call; see EveWriter#dns. */
  void dns(Flow flow, DnsTransaction t);

  /** An HTTP transaction; see EveWriter#http. */
  void http(Flow flow, HttpTransaction t);

  /** A TLS handshake, once per flow when it is complete; see EveWriter#tls. */
  void tls(Flow flow, io.mirrorsensor.decode.app.tls.TlsTransaction t);
}

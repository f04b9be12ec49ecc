package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.Anomaly;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.app.AppFinding;
import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import io.mirrorsensor.decode.tcp.TcpFinding;
import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.sensor.flow.EndReason;
import io.mirrorsensor.sensor.flow.Flow;

/**
 * An {@link EventSink} that drops everything, for tests and benchmarks that count only what they
 * override. The sinks that write output implement {@link EventSink} directly, so none of them can
 * forget a kind of event.
 */
public class DiscardingEventSink implements EventSink {
  @Override
  public void anomaly(Anomaly a, long tsNanos, long pcapCnt, FlowKey key, int vni) {}

  @Override
  public void ruleAlert(Flow flow, Rule rule, boolean fromSrc, long tsNanos, long pcapCnt) {}

  @Override
  public void dns(Flow flow, DnsTransaction t) {}

  @Override
  public void http(Flow flow, HttpTransaction t) {}

  @Override
  public void tls(Flow flow, TlsTransaction t) {}

  @Override
  public void flowEnded(Flow flow, EndReason reason) {}

  @Override
  public void finding(Flow flow, TcpFinding finding, long tsNanos) {}

  @Override
  public void appFinding(Flow flow, AppFinding f, long tsNanos, long pcapCnt, String detail) {}

  @Override
  public void appAnomaly(Flow flow, String layer, String event, long tsNanos, long pcapCnt) {}
}

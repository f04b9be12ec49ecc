package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * Receives alerts from {@link Detector#inspect} (and the transaction inspections), on the detector's thread, during the call. The
 * packet and its buffer are valid only during the callback; {@link Rule} is immutable and may be
 * kept. Every string an alert needs (msg, category, metadata) is on the rule, made at load time.
 */
@FunctionalInterface
public interface AlertSink {
  void alert(Rule rule, DecodedPacket packet);

  /**
   * An alert of an app-layer rule ({@link Rule#appLayer()}) on one transaction, during {@link
   * Detector#inspectHttp}, {@link Detector#inspectDns} or {@link Detector#inspectTls}.
   *
   * @param endpoints the flow's addresses and ports in the rule's direction (source = client for
   *     to_server rules, server for to_client ones) and the time given to the inspect call; no
   *     payload. Valid during the call only.
   * @param transaction the {@link io.mirrorsensor.decode.app.http.HttpTransaction}, {@link
   *     io.mirrorsensor.decode.app.dns.DnsTransaction} or {@link
   *     io.mirrorsensor.decode.app.tls.TlsTransaction} that matched, valid during the call only
   *     (the parsers reuse them). By default the alert goes to {@link #alert}.
   */
  default void transactionAlert(Rule rule, DecodedPacket endpoints, Object transaction) {
    alert(rule, endpoints);
  }
}

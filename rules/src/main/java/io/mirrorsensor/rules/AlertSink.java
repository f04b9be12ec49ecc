package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * Receives alerts from {@link Detector#inspect}, on the detector's thread, during the call. The
 * packet and its buffer are valid only during the callback; {@link Rule} is immutable and may be
 * kept. Every string an alert needs (msg, category, metadata) is on the rule, made at load time.
 */
@FunctionalInterface
public interface AlertSink {
  void alert(Rule rule, DecodedPacket packet);
}

package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.sensor.flow.Flow;

/**
 * What {@code mirrorsensor rules test} watches of a {@link PacketProcessor}'s rule check ({@link
 * PacketProcessor#trace}): every alert with where it was raised, and explanations for chosen sids.
 * Called on the processor's thread, during the check; arguments are valid during the call only.
 * Not for the sensor's hot path (explanations allocate).
 */
public interface RuleTrace {
  /**
   * An alert of {@code rule}, besides the one the {@link EventSink} gets.
   *
   * @param endpoints the packet, or the flow's endpoints in the rule's direction (transaction and
   *     stream alerts)
   * @param pcapCnt the record number of the packet being handled when it was raised
   * @param tx the HttpTransaction, DnsTransaction or TlsTransaction inspected, or null
   * @param stream true when the rule matched on the reassembled TCP stream
   */
  void alert(Flow flow, Rule rule, DecodedPacket endpoints, long pcapCnt, Object tx,
      boolean stream);

  /**
   * Why an explained sid matched or not on one candidate: a packet ({@code tx} null, {@code
   * stream} false), a transaction {@code tx}, or a window of the reassembled stream.
   */
  void explain(Flow flow, long sid, long pcapCnt, Object tx, boolean stream, String why);
}

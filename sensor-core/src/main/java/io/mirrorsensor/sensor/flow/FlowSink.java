package io.mirrorsensor.sensor.flow;

/** Receives flow records from a {@link FlowTable}, on the table's thread. */
public interface FlowSink {
  /**
   * Called once per record. {@code flow} is only valid during the call (the table may reuse or
   * reset it afterwards): copy what must outlive it.
   */
  void flowEnded(Flow flow, EndReason reason);
}

package io.mirrorsensor.sensor.flow;

import io.mirrorsensor.decode.tcp.TcpFinding;

/** Receives flow records from a {@link FlowTable}, on the table's thread. */
public interface FlowSink {
  /**
   * Called once per record. {@code flow} is only valid during the call (the table may reuse or
   * reset it afterwards): copy what must outlive it.
   */
  void flowEnded(Flow flow, EndReason reason);

  /**
   * Called when a built-in detector raises {@code finding} on {@code flow} at packet time {@code
   * tsNanos} (the packet that triggered it); at most once per finding and flow. {@code flow} is
   * only valid during the call. Abstract on purpose: a sink that forgot alerts would lose them
   * silently (the pipeline's worker sink once did).
   */
  void finding(Flow flow, TcpFinding finding, long tsNanos);
}

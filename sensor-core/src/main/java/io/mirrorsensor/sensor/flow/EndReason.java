package io.mirrorsensor.sensor.flow;

/** Why a flow record was written (EVE {@code flow.reason}). */
public enum EndReason {
  /** Idle longer than its timeout (packet time). */
  TIMEOUT("timeout"),
  /** Ended early to stay within {@code flow.max_flows}. */
  FORCED("forced"),
  /** The input ended or the sensor is stopping. */
  SHUTDOWN("shutdown"),
  /**
   * Older than {@code flow.active_timeout}: this record covers the flow so far, and the flow goes
   * on with fresh counters under the same flow_id (VPC Flow Logs' aggregation interval).
   */
  ACTIVE("active");

  private final String id;

  EndReason(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}

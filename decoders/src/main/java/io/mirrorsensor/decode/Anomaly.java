package io.mirrorsensor.decode;

/**
 * Named decode anomalies with stable ids ({@code layer.snake_case}); ids are part of the output
 * schema (EVE {@code anomaly.event}) and never change once released.
 */
public enum Anomaly {
  PACKET_TRUNCATED("packet.truncated"),
  ETHERNET_TRUNCATED("ethernet.truncated"),
  VXLAN_I_FLAG_CLEAR("vxlan.i_flag_clear"),
  IPV4_HLEN_TOO_SMALL("ipv4.hlen_too_small"),
  TCP_HLEN_EXCEEDS_PACKET("tcp.hlen_exceeds_packet");

  private final String id;

  Anomaly(String id) {
    this.id = id;
  }

  /** The stable dotted id, e.g. {@code ipv4.hlen_too_small}. */
  public String id() {
    return id;
  }

  /** Layer part of the id ({@code ipv4}). */
  public String layer() {
    return id.substring(0, id.indexOf('.'));
  }
}

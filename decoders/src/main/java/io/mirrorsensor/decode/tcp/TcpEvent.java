package io.mirrorsensor.decode.tcp;

/**
 * Per-packet stream events of the TCP tracker that mean what Suricata's stream events of the same
 * name mean (rules' {@code stream-event}); {@link TcpConnection#packetEvents()} has those of the
 * packet it handled last.
 */
public enum TcpEvent {
  /**
   * Suricata's {@code stream.reassembly_seq_gap}: the receiver acknowledged bytes of the sender that
   * were never seen, so reassembly must skip them. Raised on the acknowledging packet, unless it
   * is a RST (Suricata does not take a RST's acknowledgement); a hole that is never acknowledged
   * raises nothing.
   */
  REASSEMBLY_SEQ_GAP("stream.reassembly_seq_gap"),
  /**
   * Suricata's {@code stream.suspected_rst_inject}: an endpoint sent a RST the tracker accepted
   * (its sequence number is the sender's next one, Suricata's check for its default OS policy) and
   * then a packet that is not a RST, so the RST was likely injected by a third party. Raised once
   * per RST, on that later packet.
   */
  SUSPECTED_RST_INJECT("stream.suspected_rst_inject");

  private final String id;

  TcpEvent(String id) {
    this.id = id;
  }

  /** Suricata's name, e.g. {@code stream.reassembly_seq_gap}. */
  public String id() {
    return id;
  }

  /** This event's bit in {@link TcpConnection#packetEvents()}. */
  public int bit() {
    return 1 << ordinal();
  }
}

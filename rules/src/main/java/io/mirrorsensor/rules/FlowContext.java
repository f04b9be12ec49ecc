package io.mirrorsensor.rules;

/**
 * What a {@link Detector} needs to know about the flow a packet belongs to, implemented by the flow
 * table's per-flow record (one object per flow; allocation per new flow is fine, per packet not).
 *
 * <p>Call order: the flow table updates the flow with the packet (handshake state, direction)
 * <em>before</em> {@link Detector#inspect}; the detector then reads {@link #established()} and
 * {@link #toServer()} and reads and writes {@link #flowbits()}. Pass {@code null} to {@code
 * inspect} for packets that belong to no flow (then flow:established / to_server never match and
 * flowbits live only for the packet).
 */
public interface FlowContext {
  /**
   * True once the flow is established: TCP after the three-way handshake (SYN, SYN/ACK, ACK), UDP
   * and others once a packet was seen in each direction (Suricata's definition).
   */
  boolean established();

  /** True when this packet travels from the flow's client (the side that opened it) to its server. */
  boolean toServer();

  /**
   * The flow's flowbit words, at least {@link RuleSet#flowbitWords()} longs, all zero when the flow
   * is new. The detector reads and writes them; nobody else needs to.
   */
  long[] flowbits();
}

package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * What a {@link Detector} needs to know about the flow a packet belongs to, implemented by the flow
 * table's per-flow record (one object per flow; allocation per new flow is fine, per packet not).
 *
 * <p>Call order: the flow table updates the flow with the packet (handshake state, direction)
 * <em>before</em> {@link Detector#inspect}; the detector then reads {@link #established()} and
 * {@link #toServer()} and reads and writes {@link #flowbits()}. Pass {@code null} to {@code
 * inspect} for packets that belong to no flow (then flow:established / to_server never match and
 * flowbits live only for the packet). Transaction inspection ({@link Detector#inspectHttp} ...)
 * always needs the flow.
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

  /**
   * Writes the flow's endpoints into {@code out} with the client as source: {@code ipVersion},
   * {@code ipProto}, {@code srcAddr}/{@code srcPort} (client), {@code dstAddr}/{@code dstPort}
   * (server). Transaction inspection has no packet; rule headers and thresholds read these. Must
   * not allocate.
   */
  void clientToServer(DecodedPacket out);

  /**
   * The app protocol the app layer identified on this flow ({@code "http"}, {@code "dns"},
   * {@code "tls"}), or null while unknown: from the packet that completed the first HTTP request
   * line, TLS hello or DNS message on. Rules of an app protocol without its keywords inspect only packets of
   * its flows.
   */
  default String appProto() {
    return null;
  }

  /**
   * TCP sequence space used so far by the client's (true) or server's side, counting SYN and FIN
   * (Suricata's stream_size: next_seq - isn), or -1 when unknown (no TCP tracking, midstream).
   */
  default long streamSize(boolean client) {
    return -1;
  }

  /**
   * True when the app parsers raised event {@code id} ({@code HttpEvent.id()}, {@code
   * DnsEvent.id()}, {@code TlsEvent.id()}: "dns.compression_loop") while the packet being
   * inspected was handled (app-layer-event). Must not allocate.
   */
  default boolean appEvent(String id) {
    return false;
  }

  /**
   * The {@code TcpEvent} bits ({@code TcpEvent.bit()}) the TCP tracker raised while it handled the
   * packet being inspected (stream-event), 0 when none or without TCP tracking. Must not allocate.
   */
  default int streamEvents() {
    return 0;
  }

  /**
   * The flow's flowint slots, at least {@link RuleSet#flowintSlots()} longs, all zero when the flow
   * is new (see {@code FlowintKeyword} for the layout), or null when there is no per-flow storage
   * (then flowint conditions never match and its updates are dropped, as Suricata without a flow).
   */
  default long[] flowints() {
    return null;
  }
}

package io.mirrorsensor.rules;

import io.mirrorsensor.decode.Anomaly;
import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.tcp.TcpEvent;
import java.util.Map;
import java.util.Set;

/**
 * {@code decode-event:<name>;}, {@code app-layer-event:<proto.name>;} and {@code
 * stream-event:<name>;} (detect-engine-event.c, detect-app-layer-event.c): the packet raised the
 * named event. Suricata's names are mapped to the anomalies this sensor's decoders and parsers
 * report where they mean the same thing ({@link #DECODE}, {@link #APP}); a rule naming an event
 * that has no counterpart here is skipped (counted as {@code <keyword> (unmapped)}), never loaded
 * to silently not match. The three keywords differ only in their table, so each is an instance.
 *
 * <p>decode-event reads the packet's own anomalies. app-layer-event reads the events the app
 * parsers raised while this packet was handled ({@link FlowContext#appEvent}), so a rule fires on
 * the packet that carried the bad bytes; in an app-layer rule, those of the packet that completed
 * the transaction. It does not make the rule an app-layer rule: {@code alert dns}/{@code alert
 * tls} rules with only it inspect the packets of dns/tls flows. An HTTP event whose Suricata
 * name says request or response matches only on a packet in that direction, as Suricata keeps
 * them per direction.
 *
 * <p>stream-event reads the events the TCP tracker raised for this packet ({@link
 * FlowContext#streamEvents()}); {@link #STREAM} lists the ones it raises as Suricata defines them.
 */
final class EventKeyword implements Keyword {
  /** Suricata decoder event to the decoder anomalies it covers. */
  static final Map<String, Set<Anomaly>> DECODE = Map.ofEntries(
      Map.entry("ethernet.pkt_too_small", Set.of(Anomaly.ETHERNET_TRUNCATED)),
      Map.entry("vlan.too_many_layers", Set.of(Anomaly.VLAN_TOO_MANY_TAGS)),
      Map.entry("ipv4.pkt_too_small", Set.of(Anomaly.IPV4_TRUNCATED)),
      Map.entry("ipv4.trunc_pkt", Set.of(Anomaly.IPV4_TRUNCATED)),
      Map.entry("ipv4.hlen_too_small", Set.of(Anomaly.IPV4_HLEN_TOO_SMALL)),
      Map.entry("ipv4.iplen_smaller_than_hlen", Set.of(Anomaly.IPV4_TOTAL_LEN_TOO_SMALL)),
      Map.entry("ipv4.opt_invalid_len", Set.of(Anomaly.IPV4_OPT_INVALID_LEN)),
      Map.entry("ipv4.wrong_ip_version", Set.of(Anomaly.IPV4_VERSION_INVALID)),
      Map.entry("ipv4.frag_overlap", Set.of(Anomaly.IPV4_FRAG_OVERLAP)),
      Map.entry("ipv4.frag_pkt_too_large", Set.of(Anomaly.FRAGMENT_DATAGRAM_TOO_LARGE)),
      Map.entry("ipv6.pkt_too_small", Set.of(Anomaly.IPV6_TRUNCATED)),
      Map.entry("ipv6.trunc_pkt", Set.of(Anomaly.IPV6_TRUNCATED)),
      Map.entry("ipv6.wrong_ip_version", Set.of(Anomaly.IPV6_VERSION_INVALID)),
      Map.entry("ipv6.rh_type_0", Set.of(Anomaly.IPV6_RH0)),
      Map.entry("ipv6.frag_overlap", Set.of(Anomaly.IPV6_FRAG_OVERLAP)),
      Map.entry("ipv6.frag_pkt_too_large", Set.of(Anomaly.FRAGMENT_DATAGRAM_TOO_LARGE)),
      Map.entry("tcp.pkt_too_small", Set.of(Anomaly.TCP_TRUNCATED)),
      Map.entry("tcp.hlen_too_small", Set.of(Anomaly.TCP_HLEN_TOO_SMALL)),
      Map.entry("tcp.invalid_optlen", Set.of(Anomaly.TCP_HLEN_EXCEEDS_PACKET)),
      Map.entry("tcp.opt_invalid_len", Set.of(Anomaly.TCP_OPT_INVALID_LEN)),
      Map.entry("udp.pkt_too_small", Set.of(Anomaly.UDP_TRUNCATED)),
      Map.entry("udp.hlen_invalid", Set.of(Anomaly.UDP_LEN_INVALID)),
      Map.entry("icmpv4.pkt_too_small", Set.of(Anomaly.ICMP_TRUNCATED)),
      Map.entry("icmpv6.pkt_too_small", Set.of(Anomaly.ICMPV6_TRUNCATED)),
      Map.entry("sctp.pkt_too_small", Set.of(Anomaly.SCTP_TRUNCATED)),
      Map.entry("decoder.too_many_layers", Set.of(Anomaly.VXLAN_TOO_DEEP, Anomaly.GENEVE_TOO_DEEP)));

  /** Suricata app-layer event to the parser event ids ({@code HttpEvent.id()} ...) it covers. */
  static final Map<String, Set<String>> APP = Map.ofEntries(
      Map.entry("http.invalid_request_chunk_len", Set.of("http.invalid_chunk_size")),
      Map.entry("http.invalid_response_chunk_len", Set.of("http.invalid_chunk_size")),
      Map.entry("http.invalid_content_length_field_in_request", Set.of("http.invalid_content_length")),
      Map.entry("http.invalid_content_length_field_in_response", Set.of("http.invalid_content_length")),
      Map.entry("http.invalid_transfer_encoding_value_in_request", Set.of("http.transfer_encoding_invalid")),
      Map.entry("http.invalid_transfer_encoding_value_in_response", Set.of("http.transfer_encoding_invalid")),
      Map.entry("http.request_header_invalid", Set.of("http.invalid_header")),
      Map.entry("http.response_header_invalid", Set.of("http.invalid_header")),
      Map.entry("http.request_field_too_long", Set.of("http.line_too_long")),
      Map.entry("http.response_field_too_long", Set.of("http.line_too_long")),
      Map.entry("http.request_line_invalid", Set.of("http.invalid_request_line")),
      Map.entry("http.response_invalid_status", Set.of("http.invalid_status_line")),
      Map.entry("http.unable_to_match_response_to_request", Set.of("http.unsolicited_response")),
      Map.entry("http.too_many_headers", Set.of("http.too_many_headers")),
      Map.entry("http.request_chunk_extension", Set.of("http.chunk_extension")),
      Map.entry("http.response_chunk_extension", Set.of("http.chunk_extension")),
      Map.entry("http.request_header_host_invalid", Set.of("http.host_invalid")),
      Map.entry("http.duplicate_content_length_field_in_request", Set.of("http.content_length_conflict")),
      Map.entry("http.duplicate_content_length_field_in_response", Set.of("http.content_length_conflict")),
      Map.entry("dns.malformed_data", Set.of("dns.header_truncated", "dns.truncated",
          "dns.pointer_out_of_range", "dns.label_type_invalid", "dns.rdata_invalid",
          "dns.tcp_length_invalid")),
      Map.entry("dns.infinite_loop", Set.of("dns.compression_loop")),
      Map.entry("dns.name_too_long", Set.of("dns.name_too_long")),
      Map.entry("dns.unsolicited_response", Set.of("dns.unsolicited_response")),
      Map.entry("dns.flooded", Set.of("dns.pending_table_full")),
      Map.entry("tls.invalid_record_type", Set.of("tls.invalid_record_type")),
      Map.entry("tls.invalid_record_version", Set.of("tls.invalid_record_version")),
      Map.entry("tls.record_overflow", Set.of("tls.record_too_long")),
      Map.entry("tls.invalid_handshake_message", Set.of("tls.invalid_handshake")),
      Map.entry("tls.invalid_certificate", Set.of("tls.invalid_certificate")),
      Map.entry("tls.invalid_sni_type", Set.of("tls.invalid_sni")),
      Map.entry("tls.invalid_sni_length", Set.of("tls.invalid_sni")),
      Map.entry("tls.too_many_records_in_packet", Set.of("tls.too_many_records")));

  /**
   * Suricata stream event (stream-tcp.c, stream-tcp-reassemble.c; named with or without its
   * {@code stream.} prefix) to the {@link TcpEvent} the TCP tracker raises for the same thing.
   */
  static final Map<String, TcpEvent> STREAM = Map.ofEntries(
      Map.entry("reassembly_seq_gap", TcpEvent.REASSEMBLY_SEQ_GAP),
      Map.entry("suspected_rst_inject", TcpEvent.SUSPECTED_RST_INJECT));

  private final String name;

  EventKeyword(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.required(value, pos, name).strip();
    if (name.equals("app-layer-event") && !v.contains(".")) {
      // applayer_* protocol-detection events, or a name without its protocol
      throw unmapped(v, pos);
    }
    if (name.equals("decode-event")) {
      Set<Anomaly> a = DECODE.get(v);
      if (a == null) {
        throw unmapped(v, pos);
      }
      b.checks.add(new DecodeCheck(pos, a.toArray(new Anomaly[0])));
    } else if (name.equals("app-layer-event")) {
      Set<String> ids = APP.get(v);
      if (ids == null) {
        throw unmapped(v, pos);
      }
      b.checks.add(new AppCheck(pos, ids.toArray(new String[0]), direction(v)));
    } else {
      TcpEvent e = STREAM.get(v.startsWith("stream.") ? v.substring(7) : v);
      if (e == null) {
        throw unmapped(v, pos);
      }
      b.checks.add(new StreamCheck(pos, e));
    }
  }

  /**
   * The direction an HTTP event of Suricata's is raised in, when its name says it and the parser's
   * event does not: 1 requests (to server), -1 responses, 0 either.
   */
  static int direction(String v) {
    if (!v.startsWith("http.") || v.equals("http.unable_to_match_response_to_request")) {
      return 0;
    }
    String n = v.substring(5);
    if (n.startsWith("request_") || n.endsWith("_in_request") || n.startsWith("invalid_request_")) {
      return 1;
    }
    if (n.startsWith("response_") || n.endsWith("_in_response") || n.startsWith("invalid_response_")) {
      return -1;
    }
    return 0;
  }

  private RuleSyntaxException unmapped(String v, int pos) {
    return RuleSyntaxException.skip(pos, name, "event '" + v + "' has no counterpart among this sensor's " + (name.equals("decode-event") ? "decoder anomalies" : name.equals("app-layer-event") ? "parser events" : "TCP tracker events") + " (docs/RULES.md lists the mapped ones)", name + " (unmapped)");
  }

  /** The packet has one of the anomalies. */
  static final class DecodeCheck extends PacketCheck {
    final Anomaly[] anomalies;

    DecodeCheck(int pos, Anomaly[] anomalies) {
      super("decode-event", pos);
      this.anomalies = anomalies;
    }

    @Override
    boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
      for (int i = 0; i < p.anomalyCount && i < p.anomalies.length; i++) {
        for (Anomaly a : anomalies) {
          if (p.anomalies[i] == a) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** Handling this packet raised one of the parser events. */
  static final class AppCheck extends PacketCheck {
    final String[] ids;
    /** 1: only a packet to the server raises it (a request event), -1 to the client, 0 both. */
    final int direction;

    AppCheck(int pos, String[] ids, int direction) {
      super("app-layer-event", pos);
      this.ids = ids;
      this.direction = direction;
    }

    @Override
    boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
      if (flow == null || (direction != 0 && flow.toServer() != (direction > 0))) {
        return false;
      }
      for (String id : ids) {
        if (flow.appEvent(id)) {
          return true;
        }
      }
      return false;
    }

    /** Also valid on a transaction: the events of the packet that completed it. */
    @Override
    boolean needsPacket() {
      return false;
    }
  }

  /** The TCP tracker raised the stream event while handling this packet. */
  static final class StreamCheck extends PacketCheck {
    final TcpEvent event;

    StreamCheck(int pos, TcpEvent event) {
      super("stream-event", pos);
      this.event = event;
    }

    @Override
    boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
      return flow != null && (flow.streamEvents() & event.bit()) != 0;
    }
  }
}

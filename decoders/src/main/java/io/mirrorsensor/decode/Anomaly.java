package io.mirrorsensor.decode;

/**
 * Named decode anomalies with stable ids ({@code layer.snake_case}); ids are part of the output
 * schema (EVE {@code anomaly.event}) and never change once released.
 *
 * <p>Two kinds of "short" exist and are kept apart on purpose:
 *
 * <ul>
 *   <li>{@link #PACKET_TRUNCATED}: a header was cut by the <em>capture</em> (snaplen, or an AWS
 *       mirror session's packet length): the bytes existed on the wire. Status {@code TRUNCATED}.
 *   <li>{@code <layer>.truncated}: the header does not fit even in the enclosing packet's wire
 *       length (a runt frame, an IPv4 header longer than the frame): the packet is malformed.
 *       Status {@code MALFORMED}.
 * </ul>
 *
 * A payload shorter than its wire length is normal truncation and no anomaly at all.
 *
 * <p>Anomalies marked <em>fatal</em> stop decoding at their layer ({@link DecodeStatus#MALFORMED});
 * the others are noted and decoding goes on.
 */
public enum Anomaly {
  // ---- kept from the first contract: ids and names never change ----
  /** A header was cut short by the captured length (fatal for the layers below, TRUNCATED). */
  PACKET_TRUNCATED("packet.truncated"),
  /** Ethernet header (or a VLAN tag) longer than the frame on the wire (fatal). */
  ETHERNET_TRUNCATED("ethernet.truncated"),
  /** VXLAN flags without the I bit (RFC 7348 section 5: MUST be set) (fatal: not decapsulated). */
  VXLAN_I_FLAG_CLEAR("vxlan.i_flag_clear"),
  /** IPv4 IHL below 5 words (fatal). */
  IPV4_HLEN_TOO_SMALL("ipv4.hlen_too_small"),
  /** TCP data offset points past the end of the IP packet (fatal). */
  TCP_HLEN_EXCEEDS_PACKET("tcp.hlen_exceeds_packet"),

  // ---- packet / link ----
  /** Raw-IP link type whose first nibble is neither 4 nor 6 (fatal). */
  PACKET_IP_VERSION_INVALID("packet.ip_version_invalid"),
  /** Linux SLL/SLL2 or BSD loopback header longer than the frame (fatal). */
  LINK_TRUNCATED("link.truncated"),
  /** More stacked 802.1Q/802.1ad tags than {@link DecoderConfig#maxVlanTags()} (fatal). */
  VLAN_TOO_MANY_TAGS("vlan.too_many_tags"),

  // ---- VXLAN ----
  /** Non-zero reserved bits in the VXLAN header; decoded anyway (Suricata redmine #7753). */
  VXLAN_RESERVED_BITS_SET("vxlan.reserved_bits_set"),
  /** VXLAN nested deeper than {@link DecoderConfig#maxTunnelDepth()} (fatal: left encapsulated). */
  VXLAN_TOO_DEEP("vxlan.too_deep"),
  /** VXLAN header longer than its UDP datagram (fatal). */
  VXLAN_TRUNCATED("vxlan.truncated"),

  // ---- GENEVE (RFC 8926; AWS Gateway Load Balancer) ----
  /** GENEVE base header or its options longer than the UDP datagram (fatal). */
  GENEVE_TRUNCATED("geneve.truncated"),
  /** GENEVE version other than 0 (RFC 8926 section 3.4: such packets are dropped) (fatal). */
  GENEVE_VERSION_UNSUPPORTED("geneve.version_unsupported"),
  /** An option header or its data runs past Opt Len; the rest of the options is skipped. */
  GENEVE_OPT_LEN_INVALID("geneve.opt_len_invalid"),
  /** A critical option (type high bit) we do not know; decoded anyway (RFC 8926 section 3.5). */
  GENEVE_CRITICAL_OPTION_UNKNOWN("geneve.critical_option_unknown"),
  /** An AWS GWLB option (class 0x0108, type 1-3) with the wrong length; its value is ignored. */
  GENEVE_AWS_OPTION_INVALID("geneve.aws_option_invalid"),
  /** Protocol type other than IPv4, IPv6 or Ethernet (0x6558) (UNSUPPORTED). */
  GENEVE_PROTOCOL_UNSUPPORTED("geneve.protocol_unsupported"),
  /** GENEVE nested deeper than {@link DecoderConfig#maxTunnelDepth()} (fatal). */
  GENEVE_TOO_DEEP("geneve.too_deep"),

  // ---- IPv4 ----
  /** IPv4 header (20 bytes, or IHL) longer than the frame (fatal). */
  IPV4_TRUNCATED("ipv4.truncated"),
  /** Ethertype 0x0800 but version nibble is not 4 (fatal). */
  IPV4_VERSION_INVALID("ipv4.version_invalid"),
  /** IPv4 total length smaller than the header length (fatal). */
  IPV4_TOTAL_LEN_TOO_SMALL("ipv4.total_len_too_small"),
  /** An IPv4 option with length below 2 or past the header end; options parsing stops. */
  IPV4_OPT_INVALID_LEN("ipv4.opt_invalid_len"),
  /** The reserved ("evil") flag bit is set (RFC 791, RFC 3514). */
  IPV4_RESERVED_FLAG_SET("ipv4.reserved_flag_set"),
  /** Header checksum wrong (only when validation is on and the packet is not truncated). */
  IPV4_CHECKSUM_INVALID("ipv4.checksum_invalid"),
  /** A fragment overlaps bytes already held; the first bytes received win. */
  IPV4_FRAG_OVERLAP("ipv4.frag_overlap"),
  /** Fragment offset + length beyond 65535, or contradicting a known datagram end. */
  IPV4_FRAG_INVALID("ipv4.frag_invalid"),

  // ---- IPv6 ----
  /** IPv6 fixed header longer than the frame (fatal). */
  IPV6_TRUNCATED("ipv6.truncated"),
  /** Ethertype 0x86DD but version nibble is not 6 (fatal). */
  IPV6_VERSION_INVALID("ipv6.version_invalid"),
  /** More extension headers than {@link DecoderConfig#maxIpv6ExtHeaders()} (fatal). */
  IPV6_EXT_CHAIN_TOO_LONG("ipv6.ext_chain_too_long"),
  /** An extension header runs past the IPv6 payload length (fatal). */
  IPV6_EXT_LEN_INVALID("ipv6.ext_len_invalid"),
  /** Hop-by-hop options header not directly after the fixed header (RFC 8200 section 4.3). */
  IPV6_HOP_BY_HOP_NOT_FIRST("ipv6.hop_by_hop_not_first"),
  /** Routing header type 0, deprecated by RFC 5095. */
  IPV6_RH0("ipv6.rh0"),
  /** A fragment overlaps bytes already held; first wins (RFC 5722 says drop: we keep, counted). */
  IPV6_FRAG_OVERLAP("ipv6.frag_overlap"),
  /** Fragment offset + length beyond 65535, or contradicting a known datagram end. */
  IPV6_FRAG_INVALID("ipv6.frag_invalid"),

  // ---- fragment reassembly bounds ----
  /** The reassembly table was full: the oldest datagram in progress was evicted. */
  FRAGMENT_TABLE_FULL("fragment.table_full"),
  /** A datagram grew past {@link DecoderConfig#maxFragmentDatagramBytes()}: it was dropped. */
  FRAGMENT_DATAGRAM_TOO_LARGE("fragment.datagram_too_large"),
  /** Reassembly memory ({@link DecoderConfig#maxFragmentTotalBytes()}) exhausted. */
  FRAGMENT_MEMORY_EXHAUSTED("fragment.memory_exhausted"),
  /** More holes in one datagram than {@link DecoderConfig#maxFragmentsPerDatagram()}. */
  FRAGMENT_TOO_MANY("fragment.too_many"),

  // ---- TCP ----
  /** TCP base header (20 bytes) longer than the IP payload (fatal). */
  TCP_TRUNCATED("tcp.truncated"),
  /** TCP data offset below 5 words (fatal). */
  TCP_HLEN_TOO_SMALL("tcp.hlen_too_small"),
  /** A TCP option with a bad length (past the header, below 2, or wrong for its kind). */
  TCP_OPT_INVALID_LEN("tcp.opt_invalid_len"),
  /** Window scale shift above 14 (RFC 7323 section 2.3). */
  TCP_OPT_WSCALE_INVALID("tcp.opt_wscale_invalid"),
  TCP_CHECKSUM_INVALID("tcp.checksum_invalid"),

  // ---- UDP ----
  /** UDP header longer than the IP payload (fatal). */
  UDP_TRUNCATED("udp.truncated"),
  /** UDP length below 8 or above the IP payload length; the IP length is used instead. */
  UDP_LEN_INVALID("udp.len_invalid"),
  UDP_CHECKSUM_INVALID("udp.checksum_invalid"),

  // ---- SCTP (ports only, for flow keys) ----
  SCTP_TRUNCATED("sctp.truncated"),

  // ---- ICMP ----
  /** ICMP header (8 bytes) longer than the IP payload (fatal). */
  ICMP_TRUNCATED("icmp.truncated"),
  ICMP_CHECKSUM_INVALID("icmp.checksum_invalid"),
  /** ICMPv6 header (8 bytes) longer than the IP payload (fatal). */
  ICMPV6_TRUNCATED("icmpv6.truncated"),
  ICMPV6_CHECKSUM_INVALID("icmpv6.checksum_invalid");

  private static final Anomaly[] VALUES = values();

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

  /** The anomaly with this stable id, or null. */
  public static Anomaly byId(String id) {
    for (Anomaly a : VALUES) {
      if (a.id.equals(id)) {
        return a;
      }
    }
    return null;
  }

  /** Number of anomaly ids (array size for per-anomaly counters). */
  static int count() {
    return VALUES.length;
  }
}

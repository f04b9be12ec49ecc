package io.mirrorsensor.decode;

/**
 * Per-layer counters of a {@link PacketDecoder}, read through {@link DecodeCounters#get}. Ids are
 * metric names ({@code decoder.<id>}) and stable once released.
 */
public enum DecodeCounter {
  /** Frames handed to {@code decode}. */
  PACKETS("packets"),
  /** Frames whose capture was shorter than the wire (capLen < origLen or IP length says so). */
  TRUNCATED("truncated"),
  /** Frames whose status was MALFORMED. */
  MALFORMED("malformed"),
  /** Frames whose status was UNSUPPORTED (unknown link type, ethertype, loopback family). */
  UNSUPPORTED("unsupported"),
  ETHERNET("ethernet"),
  /** 802.1Q / 802.1ad tags (each tag counts). */
  VLAN("vlan"),
  /** Linux cooked headers (SLL and SLL2). */
  SLL("sll"),
  /** BSD loopback headers (NULL and LOOP). */
  LOOPBACK("loopback"),
  IPV4("ipv4"),
  IPV6("ipv6"),
  TCP("tcp"),
  UDP("udp"),
  SCTP("sctp"),
  ICMP("icmp"),
  ICMPV6("icmpv6"),
  /** VXLAN headers removed. */
  VXLAN("vxlan"),
  /** GENEVE headers removed (AWS Gateway Load Balancer). */
  GENEVE("geneve"),
  /** IP fragments seen (IPv4 or IPv6, any depth). */
  FRAGMENTS("fragments"),
  /** Fragments taken into the reassembly table. */
  FRAGMENTS_HELD("fragments_held"),
  /** Fragments not held because of a bound or because they were truncated or invalid. */
  FRAGMENTS_NOT_HELD("fragments_not_held"),
  /** Datagrams completed by reassembly. */
  FRAGMENTS_REASSEMBLED("fragments_reassembled"),
  /** Datagrams dropped because their timeout (packet time) passed before completion. */
  FRAGMENTS_TIMED_OUT("fragments_timed_out"),
  /** Datagrams dropped to make room (table or memory bound). */
  FRAGMENTS_EVICTED("fragments_evicted"),
  CHECKSUM_INVALID_IPV4("checksum_invalid_ipv4"),
  CHECKSUM_INVALID_TCP("checksum_invalid_tcp"),
  CHECKSUM_INVALID_UDP("checksum_invalid_udp"),
  CHECKSUM_INVALID_ICMP("checksum_invalid_icmp"),
  CHECKSUM_INVALID_ICMPV6("checksum_invalid_icmpv6");

  private final String id;

  DecodeCounter(String id) {
    this.id = id;
  }

  /** Stable snake_case id. */
  public String id() {
    return id;
  }
}

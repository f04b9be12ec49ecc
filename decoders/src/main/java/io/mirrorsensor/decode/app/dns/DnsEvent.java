package io.mirrorsensor.decode.app.dns;

/**
 * Named DNS anomalies with stable ids ({@code dns.snake_case}, EVE {@code anomaly.event} with
 * {@code type: applayer}). Fatal ones end the parse of the message ({@link DnsStatus#MALFORMED});
 * the others are noted and parsing goes on.
 */
public enum DnsEvent {
  /** Fewer than 12 bytes: no header (fatal). */
  HEADER_TRUNCATED("dns.header_truncated"),
  /** A name, record or rdata runs past the end of the message (fatal). */
  TRUNCATED("dns.truncated"),
  /** More compression pointers in one name than {@link DnsConfig#maxPointerHops()} (fatal). */
  COMPRESSION_LOOP("dns.compression_loop"),
  /** A compression pointer to an offset outside the message (fatal). */
  POINTER_OUT_OF_RANGE("dns.pointer_out_of_range"),
  /** A name longer than 255 bytes in wire form (RFC 1035 section 2.3.4) (fatal). */
  NAME_TOO_LONG("dns.name_too_long"),
  /** A label type 0x40 or 0x80 (RFC 6891 section 5: extended label types are obsolete) (fatal). */
  LABEL_TYPE_INVALID("dns.label_type_invalid"),
  /** More records than {@link DnsConfig#maxRecords()}: the rest are counted, not parsed. */
  TOO_MANY_RECORDS("dns.too_many_records"),
  /** Rdata whose length does not fit its type (A not 4 bytes, SOA short, bad SVCB params). */
  RDATA_INVALID("dns.rdata_invalid"),
  /** Bytes left after the last record counted in the header. */
  TRAILING_BYTES("dns.trailing_bytes"),
  /** A TCP length prefix of 0 or below 12. */
  TCP_LENGTH_INVALID("dns.tcp_length_invalid"),
  /** More unanswered queries in one flow than {@link DnsConfig#maxPending()}: oldest timed out. */
  PENDING_TABLE_FULL("dns.pending_table_full"),
  /** A response whose id and question match no pending query. */
  UNSOLICITED_RESPONSE("dns.unsolicited_response"),
  /** The stream had a gap: the TCP splitter lost its framing and stopped. */
  STREAM_GAP("dns.stream_gap");

  private final String id;

  DnsEvent(String id) {
    this.id = id;
  }

  /** The stable dotted id, e.g. {@code dns.compression_loop}. */
  public String id() {
    return id;
  }
}

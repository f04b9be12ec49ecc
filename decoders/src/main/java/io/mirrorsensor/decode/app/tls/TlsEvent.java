package io.mirrorsensor.decode.app.tls;

/**
 * Named TLS anomalies with stable ids ({@code tls.snake_case}, EVE {@code anomaly.event} with
 * {@code type: applayer}). None throws; each says what the parser did instead.
 */
public enum TlsEvent {
  /** A record type other than 20-24 (RFC 8446 section 5.1): the direction stops. */
  INVALID_RECORD_TYPE("tls.invalid_record_type"),
  /** A record version whose major byte is not 3: the direction stops. */
  INVALID_RECORD_VERSION("tls.invalid_record_version"),
  /** A record longer than 2^14 + 2048 bytes (RFC 5246 section 6.2.3): the direction stops. */
  RECORD_TOO_LONG("tls.record_too_long"),
  /** A handshake record of length 0 (RFC 8446 section 5.1 forbids it): skipped. */
  EMPTY_RECORD("tls.empty_record"),
  /** A handshake message whose fields overrun it: the message is dropped. */
  INVALID_HANDSHAKE("tls.invalid_handshake"),
  /** A handshake message longer than {@link TlsConfig#maxHandshakeBytes()}: dropped. */
  HANDSHAKE_TOO_LONG("tls.handshake_too_long"),
  /** More extensions than {@link TlsConfig#maxExtensions()}: the rest are not indexed. */
  TOO_MANY_EXTENSIONS("tls.too_many_extensions"),
  /** An SNI extension whose list or name overruns it, or no host_name entry. */
  INVALID_SNI("tls.invalid_sni"),
  /** An extension type present twice in one hello (RFC 8446 section 4.2): first one used. */
  DUPLICATE_EXTENSION("tls.duplicate_extension"),
  /** More ClientHellos than a HelloRetryRequest explains. */
  MULTIPLE_CLIENT_HELLO("tls.multiple_client_hello"),
  /** The first certificate is longer than {@link TlsConfig#maxCertificateBytes()}: not parsed. */
  CERTIFICATE_TOO_LONG("tls.certificate_too_long"),
  /** The JDK's X.509 parser rejected the first certificate. */
  INVALID_CERTIFICATE("tls.invalid_certificate"),
  /** More records than {@link TlsConfig#maxRecords()} before encryption: the direction stops. */
  TOO_MANY_RECORDS("tls.too_many_records"),
  /** The stream interface announced lost bytes before encryption: the direction stops. */
  STREAM_GAP("tls.stream_gap");

  private final String id;

  TlsEvent(String id) {
    this.id = id;
  }

  /** The stable dotted id, e.g. {@code tls.invalid_record_type}. */
  public String id() {
    return id;
  }
}

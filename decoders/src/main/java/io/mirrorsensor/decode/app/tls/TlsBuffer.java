package io.mirrorsensor.decode.app.tls;

/**
 * Rule buffers of a TLS transaction, by Suricata's sticky-buffer names; read with {@link
 * TlsTransaction#bytes}, {@link TlsTransaction#offset} and {@link TlsTransaction#length}. {@code
 * tls.sni} is a range in the copied ClientHello; the others are made (once, then cached) from the
 * certificate or the fingerprints when first asked for.
 */
public enum TlsBuffer {
  /** {@code tls.sni}: the first host_name of the server_name extension, raw. */
  SNI("tls.sni"),
  /** {@code tls.cert_subject}: the server certificate's subject, Suricata's text form. */
  CERT_SUBJECT("tls.cert_subject"),
  /** {@code tls.cert_issuer}: its issuer. */
  CERT_ISSUER("tls.cert_issuer"),
  /** {@code tls.cert_serial}: its serial, colon-separated upper-case hex bytes. */
  CERT_SERIAL("tls.cert_serial"),
  /** {@code tls.version}: the negotiated version as text ({@code TLS 1.3}). */
  VERSION("tls.version"),
  /** {@code ja3.hash}: MD5 of the JA3 string, lower-case hex. */
  JA3_HASH("ja3.hash"),
  /** {@code ja3.string}. */
  JA3_STRING("ja3.string"),
  /** {@code ja3s.hash}. */
  JA3S_HASH("ja3s.hash"),
  /** {@code ja3s.string}. */
  JA3S_STRING("ja3s.string"),
  /** {@code ja4.hash}: the JA4 fingerprint. */
  JA4_HASH("ja4.hash"),
  /** The ClientHello's 32 random bytes (Suricata's {@code tls.random} to the server). */
  CLIENT_RANDOM("tls.random"),
  /** The ServerHello's 32 random bytes ({@code tls.random} to the client). */
  SERVER_RANDOM("tls.random");

  private final String ruleName;

  TlsBuffer(String ruleName) {
    this.ruleName = ruleName;
  }

  /** The rule keyword naming this buffer. */
  public String ruleName() {
    return ruleName;
  }
}

package io.mirrorsensor.decode.app.tls;

/**
 * Bounds of the TLS parser, each with a named {@link TlsEvent} when hit.
 *
 * @param maxHandshakeBytes bytes of one handshake message kept ({@link
 *     TlsEvent#HANDSHAKE_TOO_LONG}; a Certificate message longer than this still yields its first
 *     certificate when that fits)
 * @param maxCertificateBytes DER bytes of the first certificate handed to the JDK's X.509 parser
 *     ({@link TlsEvent#CERTIFICATE_TOO_LONG})
 * @param maxExtensions extensions indexed per hello ({@link TlsEvent#TOO_MANY_EXTENSIONS})
 * @param maxRecords records parsed per direction before it gives up ({@link
 *     TlsEvent#TOO_MANY_RECORDS}): a plaintext handshake needs a handful
 */
public record TlsConfig(int maxHandshakeBytes, int maxCertificateBytes, int maxExtensions,
    int maxRecords) {
  public static TlsConfig defaults() {
    return new TlsConfig(64 * 1024, 32 * 1024, 64, 256);
  }
}

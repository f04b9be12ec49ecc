/**
 * TLS handshake metadata (issue 9): the record layer over a reassembled TCP stream (SSLv3 to TLS
 * 1.3, RFC 6101, 5246, 8446), the ClientHello, ServerHello and (TLS 1.2 and earlier) the server's
 * first certificate, JA3/JA3S and JA4 fingerprints, and the rule buffers of {@link
 * io.mirrorsensor.decode.app.tls.TlsTransaction}. Parsing of a direction stops where it turns
 * encrypted (ChangeCipherSpec, application data, or a TLS 1.3 ServerHello).
 *
 * <p>Streams arrive through {@link io.mirrorsensor.decode.tcp.StreamSink}; time is the packet
 * time handed in by the caller. Must not start threads, do I/O, log or read the wall clock. Must
 * not import anything from {@code io.mirrorsensor.rules} or {@code io.mirrorsensor.sensor}.
 */
package io.mirrorsensor.decode.app.tls;

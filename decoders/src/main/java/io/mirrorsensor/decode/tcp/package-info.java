/**
 * TCP tracking per connection: handshake RTTs, sequence analysis in the manner of tshark's
 * {@code tcp.analysis.*} (retransmissions, out-of-order, lost segments, duplicate ACKs, zero
 * windows, keep-alives), Zeek's {@code conn_state} and {@code history}, an estimate of mirror loss
 * ({@code missed_bytes}) and the built-in connectivity findings ({@link
 * io.mirrorsensor.decode.tcp.TcpFinding}).
 *
 * <p>Public API: {@link io.mirrorsensor.decode.tcp.TcpConnection} (one per TCP flow, fed every
 * non-duplicate packet in capture order), {@link io.mirrorsensor.decode.tcp.TcpAnalysis} (the
 * per-packet flags it returns), {@link io.mirrorsensor.decode.tcp.TcpFinding}, {@link
 * io.mirrorsensor.decode.tcp.TcpConfig}.
 *
 * <p>Must not start threads, do I/O, log, read the wall clock or allocate per packet (a connection
 * allocates its state once). Must not import anything from {@code io.mirrorsensor.rules} or
 * {@code io.mirrorsensor.sensor}.
 */
package io.mirrorsensor.decode.tcp;

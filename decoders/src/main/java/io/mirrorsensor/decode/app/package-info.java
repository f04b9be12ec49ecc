/**
 * Application-layer parsers (issue 6): {@code dns} (messages over UDP and TCP, query/response
 * transactions) and {@code http} (HTTP/1.x splitter, parser and transactions). Each follows the
 * same roles as Suricata's app-layer: a splitter finds message boundaries in a stream, a parser
 * builds transactions, transactions expose rule buffers as byte ranges, named anomalies
 * ({@code DnsEvent}, {@code HttpEvent}) replace exceptions for bad traffic.
 *
 * <p>Streams arrive through {@link io.mirrorsensor.decode.tcp.StreamSink}; time is always the
 * packet time handed in by the caller. Must not start threads, do I/O, log or read the wall clock.
 * Must not import anything from {@code io.mirrorsensor.rules} or {@code io.mirrorsensor.sensor}.
 */
package io.mirrorsensor.decode.app;

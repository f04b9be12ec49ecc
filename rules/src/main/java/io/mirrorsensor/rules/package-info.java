/**
 * The rule language: parse, compile (multi-pattern prefilter) and evaluate Suricata-style rules
 * against packets, stream chunks and transactions. Must not know about sockets, files or Netty, nor
 * import {@code io.mirrorsensor.sensor}.
 */
package io.mirrorsensor.rules;

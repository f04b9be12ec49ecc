/**
 * Bytes to meaning: link, network and transport layer decoders, VXLAN decapsulation, IP fragment
 * reassembly, flow keys and Community ID.
 *
 * <p>Must not start threads, do I/O, log, read the wall clock, or allocate per packet. Malformed
 * input becomes a named {@link io.mirrorsensor.decode.Anomaly}, never an exception. Must not import
 * anything from {@code io.mirrorsensor.rules} or {@code io.mirrorsensor.sensor}.
 */
package io.mirrorsensor.decode;

/**
 * Bytes to meaning: link, network and transport layer decoders, VXLAN decapsulation, IP fragment
 * reassembly, flow keys, Community ID and mirror-duplicate signatures.
 *
 * <p>Public API: {@link io.mirrorsensor.decode.PacketDecoder} (one per worker) fills a reused
 * {@link io.mirrorsensor.decode.DecodedPacket}; {@link io.mirrorsensor.decode.FlowKey},
 * {@link io.mirrorsensor.decode.CommunityId}, {@link io.mirrorsensor.decode.MirrorSignature},
 * {@link io.mirrorsensor.decode.IpText}, {@link io.mirrorsensor.decode.DecodeCounters}. The
 * {@code XxxView} (static accessors at absolute indexes, RFC diagram in the javadoc) and
 * {@code XxxDecoder} (stateless: cursor in, next layer out) classes are package-private.
 *
 * <p>Must not start threads, do I/O, log, read the wall clock, or allocate per packet. Malformed
 * input becomes a named {@link io.mirrorsensor.decode.Anomaly}, never an exception. Must not import
 * anything from {@code io.mirrorsensor.rules} or {@code io.mirrorsensor.sensor}.
 */
package io.mirrorsensor.decode;

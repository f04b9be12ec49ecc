/**
 * Deterministic capture generators: {@link io.mirrorsensor.bench.gen.Frames} builds real frames
 * with correct checksums (and AWS-Traffic-Mirroring-style VXLAN), {@link
 * io.mirrorsensor.bench.gen.Conversations} turns them into whole TCP / DNS / ICMP exchanges,
 * {@link io.mirrorsensor.bench.gen.SampleGenerator} writes the committed {@code samples/} and
 * {@link io.mirrorsensor.bench.gen.TrafficGenerator} the large captures of the end-to-end
 * benchmark. No wall clock, no unseeded randomness: the same arguments give the same bytes.
 *
 * <p>Uses only {@code io.mirrorsensor.sensor.capture} (writers) and {@code
 * io.mirrorsensor.decode.LinkType}; must not be needed by anything at run time.
 */
package io.mirrorsensor.bench.gen;

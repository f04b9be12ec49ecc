/**
 * Deterministic capture generators: {@link io.mirrorsensor.bench.gen.SampleGenerator} writes the
 * committed {@code samples/} and {@link io.mirrorsensor.bench.gen.TrafficGenerator} the large
 * captures of the end-to-end benchmark, both from the frame builders in
 * {@code io.mirrorsensor.sensor.gen}. No wall clock, no unseeded randomness: the same arguments give
 * the same bytes. Must not be needed by anything at run time.
 */
package io.mirrorsensor.bench.gen;

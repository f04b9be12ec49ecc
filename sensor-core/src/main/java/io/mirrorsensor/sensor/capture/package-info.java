/**
 * Capture files in and out: classic pcap (micro- and nanosecond, both byte orders) and pcapng
 * readers behind {@link io.mirrorsensor.sensor.capture.CaptureReader}, and the {@link
 * io.mirrorsensor.sensor.capture.PcapWriter} / {@link io.mirrorsensor.sensor.capture.PcapngWriter}
 * used for extracts and generated captures.
 *
 * <p>Readers stream the file through one reusable heap buffer and hand out records that point into
 * it: nothing is allocated per record. A damaged file is not an exception: reading stops at the
 * first bad record or block and {@link io.mirrorsensor.sensor.capture.CaptureReader#damage()} says
 * where and why.
 *
 * <p>Must not import protocol decoding ({@code io.mirrorsensor.decode}) beyond its {@code LinkType}
 * constants: this package moves bytes, it does not interpret frames.
 */
package io.mirrorsensor.sensor.capture;

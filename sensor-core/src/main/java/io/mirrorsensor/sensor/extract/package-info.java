/**
 * Pcap extracts of flows with findings (issue 8). Worker side: {@link
 * io.mirrorsensor.sensor.extract.Extractor} starts an extract on a flow's first finding, copies
 * the flow's buffered packets ({@link io.mirrorsensor.sensor.flow.FlowPackets}) and its following
 * packets into an {@link io.mirrorsensor.sensor.extract.ExtractFeed}, which travels to the output
 * thread with the worker's chunks. Output side: {@link io.mirrorsensor.sensor.extract.ExtractWriter}
 * writes the files (classic pcap, nanosecond timestamps, mode 0600) under {@code extracts/}
 * within a disk budget, and the closing {@code extract} EVE event. {@link
 * io.mirrorsensor.sensor.extract.Carver} cuts flows out of a capture offline ({@code mirrorsensor
 * extract}).
 */
package io.mirrorsensor.sensor.extract;

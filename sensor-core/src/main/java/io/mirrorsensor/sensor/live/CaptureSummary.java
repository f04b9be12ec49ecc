package io.mirrorsensor.sensor.live;

import io.mirrorsensor.sensor.engine.SummaryLines;
import java.util.List;
import java.util.Map;

/**
 * What a {@code capture} run did, for the summary printed at the end and for tests.
 *
 * <p>Two equations: on the sensor's side {@code captured == processed + ringFull} exactly
 * ({@link #countersAddUp()}); on libpcap's side {@code received == kernelDropped + captured +
 * notDelivered()}, where {@link #notDelivered()} is 0 on an ordinary interface once the stop has
 * read what libpcap still held, and on a loopback interface is the sent copy of every packet (the
 * kernel shows a loopback packet to the capture socket twice, sent and received, counts both, and
 * libpcap delivers only the received one).
 *
 * @param received packets the kernel passed to libpcap's socket through the filter (pcap_stats
 *     {@code ps_recv}), -1 when pcap_stats failed
 * @param kernelDropped packets the kernel dropped for lack of buffer room ({@code ps_drop})
 * @param interfaceDropped packets the interface or its driver dropped ({@code ps_ifdrop})
 * @param captured frames libpcap delivered to the sensor
 * @param capturedBytes bytes of those frames as captured (at most the snap length each)
 * @param processed frames the workers processed
 * @param ringFull frames dropped because their worker's ring was full (the capture never waits)
 * @param drainedAtStop frames read after the stop began (already in libpcap's buffer; included in
 *     {@code captured})
 * @param error why the capture loop ended early (libpcap reported an error), or null
 */
public record CaptureSummary(
    String interfaceName,
    String filter,
    boolean loopback,
    long received,
    long kernelDropped,
    long interfaceDropped,
    long captured,
    long capturedBytes,
    long processed,
    long ringFull,
    long drainedAtStop,
    long flows,
    long flowRecords,
    long mirrorDuplicates,
    Map<String, Long> eventsByType,
    Map<Integer, long[]> perVni,
    long workerExceptions,
    long outputDroppedEvents,
    long writeErrors,
    long elapsedNanos,
    List<String> outputFiles,
    String error) {

  /** The sensor's side: every frame libpcap delivered was processed or dropped and counted. */
  public boolean countersAddUp() {
    return captured == processed + ringFull;
  }

  /**
   * Packets libpcap counted as received but did not deliver: {@code received - kernelDropped -
   * captured} (-1 when pcap_stats failed).
   */
  public long notDelivered() {
    return received < 0 ? -1 : received - kernelDropped - captured;
  }

  /** Human summary, several lines, no trailing newline. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("captured on %s for %.1f s%s%n", interfaceName, elapsedNanos / 1e9,
        filter == null || filter.isBlank() ? "" : " (filter: " + filter + ")"));
    if (received < 0) {
      sb.append(String.format("  libpcap   statistics unavailable (pcap_stats failed)%n"));
    } else {
      sb.append(String.format("  libpcap   %,d received, %,d dropped by the kernel, %,d by the"
          + " interface (pcap_stats)%n", received, kernelDropped, interfaceDropped));
    }
    sb.append(String.format("  captured  %,d frames, %,d bytes", captured, capturedBytes));
    if (drainedAtStop > 0) {
      sb.append(String.format(" (%,d read from libpcap's buffer at stop)", drainedAtStop));
    }
    sb.append(String.format("%n"));
    sb.append(String.format("  processed %,d%n", processed));
    sb.append(String.format("  dropped   %,d: ring_full=%,d%n", ringFull, ringFull));
    sb.append(String.format("  counters  %s (captured = processed + dropped)%n",
        countersAddUp() ? "add up" : "DO NOT ADD UP"));
    long nd = notDelivered();
    if (nd == 0) {
      sb.append(String.format("  libpcap   received = captured + dropped by the kernel%n"));
    } else if (nd > 0 && loopback) {
      sb.append(String.format("  loopback  %,d of libpcap's received are the sent copies of"
          + " loopback packets (the kernel counts each twice, libpcap delivers one)%n", nd));
    } else if (nd > 0) {
      sb.append(String.format("  NOT DELIVERED: %,d received by libpcap but not read (arrived"
          + " during the stop)%n", nd));
    }
    SummaryLines.flowsAndEvents(sb, flows, flowRecords, mirrorDuplicates, eventsByType, perVni);
    if (error != null) {
      sb.append(String.format("  CAPTURE ERROR: %s (the capture stopped there)%n", error));
    }
    SummaryLines.problemsAndOutput(sb, workerExceptions, outputDroppedEvents, writeErrors,
        outputFiles);
    return sb.toString();
  }
}

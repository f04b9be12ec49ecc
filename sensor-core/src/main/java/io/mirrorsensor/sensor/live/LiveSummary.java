package io.mirrorsensor.sensor.live;

import io.mirrorsensor.sensor.engine.SummaryLines;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a live run did, for the summary printed at the end and for tests. The counters add up:
 * {@code received == processed + sum(dropped)} ({@link #countersAddUp()}).
 *
 * @param received datagrams the listener received
 * @param receivedByEncapsulation datagrams received per encapsulation: {@code vxlan}, and
 *     {@code geneve} when GENEVE sockets were bound
 * @param processed packets the workers processed
 * @param dropped datagrams dropped by the listener, by reason
 * @param kernelDrops datagrams the kernel dropped (socket buffer full), -1 when unknown
 * @param drainedAtStop datagrams read after the stop began: already queued in the kernel, read
 *     before the sockets were closed (included in {@code received})
 * @param unreadBytesAtClose bytes still queued in the kernel when the sockets were closed (a
 *     sender that did not stop within the drain timeout): discarded by the kernel, which counts
 *     them nowhere; 0 normally, -1 when unknown
 * @param latency receive-to-processed time, ns
 */
public record LiveSummary(
    long received,
    Map<String, Long> receivedByEncapsulation,
    long receivedBytes,
    long processed,
    Map<String, Object> dropped,
    long kernelDrops,
    long drainedAtStop,
    long unreadBytesAtClose,
    long flows,
    long flowRecords,
    long mirrorDuplicates,
    Map<String, Long> eventsByType,
    Map<Integer, long[]> perVni,
    long workerExceptions,
    long outputDroppedEvents,
    long writeErrors,
    Histogram latency,
    long elapsedNanos,
    List<String> outputFiles) {

  public long droppedTotal() {
    return dropped.values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
  }

  public long dropped(String reason) {
    Object v = dropped.get(reason);
    return v == null ? 0 : ((Number) v).longValue();
  }

  public boolean countersAddUp() {
    return received == processed + droppedTotal();
  }

  /** Human summary, several lines, no trailing newline. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    double secs = elapsedNanos / 1e9;
    sb.append(String.format("listened %.1f s%n", secs));
    sb.append(String.format("  received  %,d datagrams, %,d bytes", received, receivedBytes));
    if (receivedByEncapsulation.size() > 1) {
      sb.append(":");
      receivedByEncapsulation.forEach((k, v) -> sb.append(String.format(" %s=%,d", k, v)));
    }
    sb.append(String.format("%n"));
    sb.append(String.format("  processed %,d%n", processed));
    sb.append(String.format("  dropped   %,d:", droppedTotal()));
    dropped.forEach((k, v) -> sb.append(String.format(" %s=%,d", k, v)));
    sb.append(String.format("%n"));
    sb.append(String.format("  counters  %s (received = processed + dropped)%n",
        countersAddUp() ? "add up" : "DO NOT ADD UP"));
    sb.append(kernelDrops < 0 ? String.format("  kernel    drops unknown (no /proc/net/udp)%n")
        : String.format("  kernel    %,d dropped by the socket buffer%n", kernelDrops));
    if (drainedAtStop > 0) {
      sb.append(String.format("  drained   %,d datagrams queued in the kernel at stop, read before"
          + " closing%n", drainedAtStop));
    }
    if (unreadBytesAtClose > 0) {
      sb.append(String.format("  UNREAD AT CLOSE: %,d bytes of datagrams still queued in the"
          + " kernel (a sender still sending), discarded%n", unreadBytesAtClose));
    }
    SummaryLines.flowsAndEvents(sb, flows, flowRecords, mirrorDuplicates, eventsByType, perVni);
    if (latency.getTotalCount() > 0) {
      sb.append(String.format("  latency   receive to processed p50 %.3f ms, p99 %.3f ms,"
          + " p99.9 %.3f ms%n", latency.getValueAtPercentile(50) / 1e6,
          latency.getValueAtPercentile(99) / 1e6, latency.getValueAtPercentile(99.9) / 1e6));
    }
    SummaryLines.problemsAndOutput(sb, workerExceptions, outputDroppedEvents, writeErrors,
        outputFiles);
    return sb.toString();
  }
}

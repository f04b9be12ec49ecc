package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.sensor.capture.CaptureDamage;
import java.util.List;
import java.util.Map;

/**
 * What one replay did, for the end-of-run summary and for tests.
 *
 * @param stopped true when the run was interrupted (SIGTERM / Ctrl-C) before the inputs ended
 */
public record ReplaySummary(
    List<String> files,
    long packets,
    long bytes,
    long fileBytes,
    long flows,
    long flowRecords,
    long mirrorDuplicates,
    long flowsEvicted,
    Map<String, Long> eventsByType,
    Map<String, Long> anomaliesById,
    Map<Integer, long[]> perVni,
    long noFlowKey,
    long writeErrors,
    List<CaptureDamage> damage,
    long elapsedNanos,
    boolean stopped) {

  public double seconds() {
    return elapsedNanos / 1e9;
  }

  /** Capture bytes read per second. */
  public double fileBytesPerSecond() {
    return elapsedNanos == 0 ? 0 : fileBytes / seconds();
  }

  public double packetsPerSecond() {
    return elapsedNanos == 0 ? 0 : packets / seconds();
  }

  /** Human summary, several lines, no trailing newline. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("replayed %d file%s in %.2f s%s%n", files.size(),
        files.size() == 1 ? "" : "s", seconds(), stopped ? " (stopped early)" : ""));
    sb.append(String.format("  packets   %,d (%,.0f packets/s)%n", packets, packetsPerSecond()));
    sb.append(String.format("  bytes     %,d of frames, %,d of capture file (%.1f MB/s, %.2f Gbit/s)%n",
        bytes, fileBytes, fileBytesPerSecond() / 1e6, fileBytesPerSecond() * 8 / 1e9));
    sb.append(String.format("  flows     %,d (records written %,d, evicted %,d, mirror duplicates %,d)%n",
        flows, flowRecords, flowsEvicted, mirrorDuplicates));
    SummaryLines.eventsAndVnis(sb, eventsByType, perVni);
    if (!anomaliesById.isEmpty()) {
      sb.append("  anomalies");
      anomaliesById.forEach((k, v) -> sb.append(String.format(" %s=%,d", k, v)));
      sb.append(String.format("%n"));
    }
    if (noFlowKey > 0) {
      sb.append(String.format("  no flow   %,d packets without an IP 5-tuple (non-IP, fragments, malformed)%n",
          noFlowKey));
    }
    if (writeErrors > 0) {
      sb.append(String.format("  OUTPUT WRITE ERRORS: %,d%n", writeErrors));
    }
    for (CaptureDamage d : damage) {
      sb.append(String.format("  DAMAGED   %s at byte %,d (record %,d): %s%n", d.file(), d.offset(),
          d.recordNumber(), d.reason()));
    }
    return sb.toString().stripTrailing();
  }
}

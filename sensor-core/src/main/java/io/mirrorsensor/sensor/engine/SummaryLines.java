package io.mirrorsensor.sensor.engine;

import java.util.List;
import java.util.Map;

/** The lines the replay, listen and capture summaries print alike. */
public final class SummaryLines {
  private SummaryLines() {}

  /** The live {@code flows} line, then {@link #eventsAndVnis}. */
  public static void flowsAndEvents(StringBuilder sb, long flows, long flowRecords,
      long mirrorDuplicates, Map<String, Long> eventsByType, Map<Integer, long[]> perVni) {
    sb.append(String.format("  flows     %,d (records written %,d, mirror duplicates %,d)%n",
        flows, flowRecords, mirrorDuplicates));
    eventsAndVnis(sb, eventsByType, perVni);
  }

  /** The {@code events} line and, when VNIs were seen, the {@code vni} line. */
  public static void eventsAndVnis(StringBuilder sb, Map<String, Long> eventsByType,
      Map<Integer, long[]> perVni) {
    sb.append("  events   ");
    if (eventsByType.isEmpty()) {
      sb.append(" none");
    }
    eventsByType.forEach((k, v) -> sb.append(String.format(" %s=%,d", k, v)));
    sb.append(String.format("%n"));
    if (!perVni.isEmpty()) {
      sb.append("  vni      ");
      perVni.forEach((k, v) -> sb.append(String.format(" %d: %,d packets", k, v[0])));
      sb.append(String.format("%n"));
    }
  }

  /** The warnings about workers and output (only when there is something to say), then the files. */
  public static void problemsAndOutput(StringBuilder sb, long workerExceptions,
      long outputDroppedEvents, long writeErrors, List<String> outputFiles) {
    if (workerExceptions > 0) {
      sb.append(String.format("  WORKER EXCEPTIONS: %,d (counted, workers went on)%n",
          workerExceptions));
    }
    if (outputDroppedEvents > 0) {
      sb.append(String.format("  OUTPUT BEHIND: %,d events dropped%n", outputDroppedEvents));
    }
    if (writeErrors > 0) {
      sb.append(String.format("  OUTPUT WRITE ERRORS: %,d%n", writeErrors));
    }
    sb.append("  output    ").append(String.join(", ", outputFiles));
  }
}

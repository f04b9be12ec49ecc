package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.sensor.capture.CaptureDamage;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.pipeline.Pipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays capture files through the {@link Pipeline} (the one live capture uses), in order, as one
 * continuous capture (flows may span files). Offline replay never drops: the reader waits for room
 * in the rings, the workers wait for the output thread.
 *
 * <p>{@link #stop()} may be called from any thread (a signal handler): the run stops reading,
 * ends every flow and flushes the outputs.
 */
public final class ReplayRunner {
  /** Receives progress now and then (from the replay thread). */
  public interface Progress {
    void update(int fileIndex, int fileCount, Path file, long position, long size, long packets,
        long elapsedNanos);

    void done();
  }

  private static final int CHECK_EVERY = 4096;
  private static final long PROGRESS_EVERY_NANOS = 200_000_000L;

  private final SensorConfig config;
  private final List<Path> files;
  private final Outputs outputs;
  private final Progress progress;
  /** Written by any thread (signal), read by the replay thread. */
  private volatile boolean stopRequested;

  public ReplayRunner(SensorConfig config, List<Path> files, Outputs outputs, Progress progress) {
    this.config = config;
    this.files = List.copyOf(files);
    this.outputs = outputs;
    this.progress = progress;
  }

  public void stop() {
    stopRequested = true;
  }

  /**
   * Runs the replay to the end (or to {@link #stop()}), ends all flows and closes the outputs.
   *
   * @throws IOException when a file cannot be opened or read (not for damage inside a file, which
   *     is reported in the summary and ends that file)
   */
  public ReplaySummary run() throws IOException {
    long start = System.nanoTime();
    // The same pipeline as live capture, with back-pressure instead of drops (issue 4).
    Pipeline pipe = Pipeline.start(config, outputs, Pipeline.Mode.REPLAY, System.err);
    List<CaptureDamage> damage = new ArrayList<>();
    List<String> names = new ArrayList<>();
    long fileBytes = 0;
    CaptureRecord rec = new CaptureRecord();
    long lastProgress = start;
    Pipeline.Totals totals;
    try {
      for (int i = 0; i < files.size() && !stopRequested; i++) {
        Path file = files.get(i);
        names.add(file.toString());
        try (CaptureReader reader = CaptureReader.open(file)) {
          int n = 0;
          while (reader.next(rec)) {
            pipe.publish(rec.buf, rec.offset, rec.capLen, rec.origLen, rec.linkType, rec.tsNanos,
                rec.number);
            if (++n == CHECK_EVERY) {
              n = 0;
              if (stopRequested) {
                break;
              }
              long t = System.nanoTime();
              if (progress != null && t - lastProgress >= PROGRESS_EVERY_NANOS) {
                lastProgress = t;
                progress.update(i, files.size(), file, reader.position(), reader.size(),
                    pipe.published(), t - start);
              }
            }
          }
          fileBytes += reader.position();
          if (reader.damage() != null) {
            damage.add(reader.damage());
          }
        }
      }
    } finally {
      // Every worker is moved to the last packet time (flows idle by then time out, as in one
      // table), then counted, then ends its flows. The stats event carries the counters from before
      // the shutdown records: flow.active is then the number of flows the input left open.
      totals = pipe.finish(pipe.maxTimestamp());
      Map<String, Object> stats = totals.stats;
      Object out = stats.get("output");
      if (out instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) out;
        o.put("write_errors", outputs.writeErrors());
      }
      outputs.stats(totals.lastTs, (System.nanoTime() - start) / 1e9, stats);
      outputs.close();
      if (progress != null) {
        progress.done();
      }
    }
    long elapsed = System.nanoTime() - start;
    Map<String, Long> events = new TreeMap<>(totals.eventsByType);
    outputs.eventsByType().forEach((k, v) -> events.merge(k, v, Long::sum));
    return new ReplaySummary(
        names,
        totals.get("capture.received"),
        totals.get("capture.bytes"),
        fileBytes,
        totals.get("flow.created"),
        totals.recordsByReason.values().stream().mapToLong(Long::longValue).sum(),
        totals.get("flow.mirror_duplicates"),
        totals.get("flow.evicted"),
        events,
        totals.anomaliesById(),
        totals.perVni,
        totals.get("decoder.no_flow_key"),
        outputs.writeErrors(),
        damage,
        elapsed,
        stopRequested);
  }

  /** Convenience for tests and tools: replays {@code files} into {@code outDir}. */
  public static ReplaySummary replay(SensorConfig config, List<Path> files, Path outDir,
      PrintStream log) throws IOException {
    Outputs out = Outputs.open(outDir, config, log);
    return new ReplayRunner(config, files, out, null).run();
  }
}

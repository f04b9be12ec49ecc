package io.mirrorsensor.sensor.ops;

import io.mirrorsensor.sensor.config.OpsConfig;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.live.LiveRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The latest two snapshots of the live counters, as plain values, and the health verdict drawn
 * from them. Written by the live runner's ticker ({@link #accept}), read by the HTTP threads.
 */
public final class OpsState implements Consumer<LiveRunner.Snapshot> {
  /** Snapshots older than this many snapshot periods make the sensor unhealthy. */
  static final int STALE_PERIODS = 3;

  /** One snapshot in plain values; {@code nanos} is {@link System#nanoTime} when it arrived. */
  record View(Map<String, Object> stats, double uptimeSeconds, long wallMillis, long nanos,
      long[] ringFill, boolean workersAnswered) {
    long received() {
      return StatsTree.num(stats, "capture.received", 0);
    }

    /** Datagrams lost before analysis: listener drops by reason plus kernel drops. */
    long dropped() {
      return StatsTree.sum(stats, "capture.dropped") + Math.max(0, kernelDrops());
    }

    long kernelDrops() {
      return StatsTree.num(stats, "capture.kernel_drops", -1);
    }
  }

  /** The verdict of {@code /health}. */
  public record Health(boolean healthy, List<String> reasons, double dropRatio,
      double snapshotAgeSeconds, long receivedLastInterval) {}

  private final OpsConfig ops;
  private final SensorConfig sensor;
  private final long periodNanos;
  private final LongSupplier clock;
  private volatile View latest;
  private volatile View previous;
  private volatile boolean stopping;

  public OpsState(OpsConfig ops, SensorConfig sensor) {
    this(ops, sensor, System::nanoTime);
  }

  OpsState(OpsConfig ops, SensorConfig sensor, LongSupplier clock) {
    this.ops = ops;
    this.sensor = sensor;
    this.clock = clock;
    // The runner snapshots at least every ops.snapshot_interval (1 s tick), and also at every
    // stats event; freshness is judged against the longer of the two guarantees.
    this.periodNanos = Math.max(1_000_000_000L, ops.snapshotIntervalNanos());
  }

  /** How often the runner is asked to snapshot. */
  public long periodNanos() {
    return periodNanos;
  }

  @Override
  public synchronized void accept(LiveRunner.Snapshot s) {
    View v = new View(StatsTree.plain(s.stats()), s.uptimeSeconds(), s.wallMillis(),
        clock.getAsLong(), s.ringFill().clone(), s.workersAnswered());
    previous = latest;
    latest = v;
  }

  /** From now on {@code /health} fails ("stopping"), so a load balancer drains the sensor. */
  public void stopping() {
    stopping = true;
  }

  View latest() {
    return latest;
  }

  View previous() {
    return previous;
  }

  SensorConfig sensor() {
    return sensor;
  }

  OpsConfig ops() {
    return ops;
  }

  /**
   * Healthy when: the sensor is not stopping; a snapshot arrived within
   * {@value #STALE_PERIODS} snapshot periods (the ticker and the snapshot path are alive); every
   * worker answered the last snapshot in time (no worker is stuck); no output write failed during
   * the last interval; and the share of datagrams dropped during the last interval (listener
   * drops plus kernel drops, over the datagrams that reached the host) is at most
   * {@code ops.health.max_drop_ratio}.
   */
  public Health health() {
    List<String> reasons = new ArrayList<>();
    View cur = latest;
    View prev = previous;
    if (stopping) {
      reasons.add("stopping");
    }
    if (cur == null) {
      reasons.add("starting: no counters yet");
      return new Health(false, reasons, 0, -1, 0);
    }
    double age = (clock.getAsLong() - cur.nanos()) / 1e9;
    double limit = STALE_PERIODS * periodNanos / 1e9;
    if (age > limit) {
      reasons.add(String.format(java.util.Locale.ROOT,
          "stale: last counters %.1f s ago (limit %.0f s): the ticker or a worker is stuck", age,
          limit));
    }
    if (!cur.workersAnswered()) {
      reasons.add("a worker did not answer the last snapshot within 2 s: stuck or overloaded");
    }
    long received = cur.received() - (prev == null ? 0 : prev.received());
    long dropped = cur.dropped() - (prev == null ? 0 : prev.dropped());
    long kernel = Math.max(0, cur.kernelDrops()) - (prev == null ? 0
        : Math.max(0, prev.kernelDrops()));
    long arrived = received + Math.max(0, kernel);
    double ratio = arrived <= 0 ? 0 : (double) dropped / arrived;
    if (ratio > ops.maxDropRatio()) {
      reasons.add(String.format(java.util.Locale.ROOT,
          "dropping: %d of %d datagrams (%.4f) in the last interval, above"
              + " ops.health.max_drop_ratio %s", dropped, arrived, ratio, ops.maxDropRatio()));
    }
    long writeErrors = StatsTree.num(cur.stats(), "output.write_errors", 0)
        - (prev == null ? 0 : StatsTree.num(prev.stats(), "output.write_errors", 0));
    if (writeErrors > 0) {
      reasons.add(writeErrors + " output write errors in the last interval (disk full?)");
    }
    return new Health(reasons.isEmpty(), reasons, ratio, age, received);
  }

  /** The session name of a VNI key of the stats map, or "" when unnamed ("none", "other"). */
  String session(String vniKey) {
    try {
      SensorConfig.VniInfo info = sensor.vniInfo(Integer.parseInt(vniKey));
      return info == null || info.session() == null ? "" : info.session();
    } catch (NumberFormatException e) {
      return "";
    }
  }
}

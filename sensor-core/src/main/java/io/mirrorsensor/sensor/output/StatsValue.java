package io.mirrorsensor.sensor.output;

import java.util.Map;

/**
 * A value in a {@code stats} counter map that is not a plain number: workers' values are merged
 * with {@link #add} (a histogram, a ratio of sums) and only turned into numbers when the event is
 * written ({@link #render}). Plain counters stay {@link Long}s, summed across workers.
 */
public interface StatsValue {
  /** An independent copy (the pipeline merges into copies, never into a worker's snapshot). */
  StatsValue copy();

  /** Adds {@code other} (of the same class) into this one. */
  void add(StatsValue other);

  /** The fields written for this value: {@link Long}, {@link java.math.BigDecimal} or maps. */
  Map<String, Object> render();
}

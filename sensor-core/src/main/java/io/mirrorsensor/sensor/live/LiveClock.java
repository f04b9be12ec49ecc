package io.mirrorsensor.sensor.live;

/**
 * Receive time for live packets: wall-clock epoch nanoseconds taken once at start, advanced by the
 * monotonic {@link System#nanoTime()}, so that time never goes back within a run (an NTP step
 * would otherwise move flows' timeouts) and every receive loop reads the same clock.
 */
final class LiveClock {
  private final long baseEpochNanos;
  private final long baseMonotonic;

  LiveClock() {
    java.time.Instant now = java.time.Instant.now();
    this.baseMonotonic = System.nanoTime();
    this.baseEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  long nowNanos() {
    return epochOf(System.nanoTime());
  }

  /** The epoch time of a {@link System#nanoTime()} reading (no clock read of its own). */
  long epochOf(long monotonicNanos) {
    return baseEpochNanos + (monotonicNanos - baseMonotonic);
  }
}

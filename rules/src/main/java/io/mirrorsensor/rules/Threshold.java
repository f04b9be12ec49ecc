package io.mirrorsensor.rules;

/**
 * A rule's {@code threshold} or {@code detection_filter} (Suricata detect-threshold.c). The window
 * of {@link #seconds} starts at the first match for a tracked key and restarts when it has passed.
 *
 * <ul>
 *   <li>limit: alert on the first {@code count} matches of each window;
 *   <li>threshold: alert on every {@code count}-th match of a window;
 *   <li>both: alert once per window, on the {@code count}-th match;
 *   <li>detection_filter: alert on every match after the first {@code count} of a window.
 * </ul>
 */
final class Threshold {
  enum Type {
    LIMIT,
    THRESHOLD,
    BOTH,
    DETECTION_FILTER
  }

  enum Track {
    BY_SRC,
    BY_DST,
    BY_RULE,
    BY_BOTH
  }

  final Type type;
  final Track track;
  final int count;
  final long seconds;

  Threshold(Type type, Track track, int count, long seconds) {
    this.type = type;
    this.track = track;
    this.count = count;
    this.seconds = seconds;
  }

  /** Whether the match that brought the window's counter to {@code n} (1-based) alerts. */
  boolean alerts(long n) {
    switch (type) {
      case LIMIT:
        return n <= count;
      case THRESHOLD:
        return n % count == 0;
      case BOTH:
        return n == count;
      default:
        return n > count;
    }
  }
}

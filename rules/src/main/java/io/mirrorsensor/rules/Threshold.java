package io.mirrorsensor.rules;

/**
 * A rule's {@code threshold} or {@code detection_filter} (Suricata detect-threshold.c). The window
 * of {@link #seconds} starts at the first match for a tracked key and restarts when it has passed.
 *
 * <ul>
 *   <li>limit: alert on the first {@code count} matches of each window;
 *   <li>threshold: alert on every {@code count}-th match of a window;
 *   <li>both: alert once per window, on the {@code count}-th match;
 *   <li>detection_filter: alert on every match after the first {@code count} of a window;
 *   <li>backoff (track by_flow only, no window): alert on the {@code count}-th match of the flow,
 *       then on the count*multiplier-th, count*multiplier^2-th ... The flow's match counter is a
 *       hidden flowint slot ({@link #flowSlot}).
 * </ul>
 */
final class Threshold {
  enum Type {
    LIMIT,
    THRESHOLD,
    BOTH,
    DETECTION_FILTER,
    BACKOFF
  }

  enum Track {
    BY_SRC,
    BY_DST,
    BY_RULE,
    BY_BOTH,
    BY_FLOW
  }

  final Type type;
  final Track track;
  final int count;
  final long seconds;
  /** backoff: the factor between alerting match numbers. */
  final int multiplier;
  /** backoff: the flowint slot holding the flow's match counter, -1 otherwise. */
  final int flowSlot;

  Threshold(Type type, Track track, int count, long seconds) {
    this(type, track, count, seconds, 0, -1);
  }

  Threshold(Type type, Track track, int count, long seconds, int multiplier, int flowSlot) {
    this.type = type;
    this.track = track;
    this.count = count;
    this.seconds = seconds;
    this.multiplier = multiplier;
    this.flowSlot = flowSlot;
  }

  /** This backoff threshold counting in flowint slot {@code slot}. */
  Threshold withFlowSlot(int slot) {
    return new Threshold(type, track, count, seconds, multiplier, slot);
  }

  /** backoff: whether the flow's {@code n}-th match (1-based) is count * multiplier^k. */
  boolean backoffAlerts(long n) {
    long next = count;
    while (next < n) {
      next *= multiplier;
    }
    return next == n;
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

package io.mirrorsensor.decode;

/**
 * Counters of one decoder: owned and written by its worker thread only, plain {@code long}s with
 * no fences. To publish them, the owning thread copies them with {@link #addTo} into an object the
 * reader owns (or the reader accepts stale values).
 */
public final class DecodeCounters {
  private static final DecodeCounter[] COUNTERS = DecodeCounter.values();

  private final long[] anomalies = new long[Anomaly.count()];
  private final long[] counters = new long[COUNTERS.length];

  /** Counts one occurrence of {@code a}. */
  public void count(Anomaly a) {
    anomalies[a.ordinal()]++;
  }

  /** Times {@code a} was seen. */
  public long anomaly(Anomaly a) {
    return anomalies[a.ordinal()];
  }

  /** Sum over every anomaly. */
  public long totalAnomalies() {
    long sum = 0;
    for (long n : anomalies) {
      sum += n;
    }
    return sum;
  }

  /** Current value of counter {@code c}. */
  public long get(DecodeCounter c) {
    return counters[c.ordinal()];
  }

  void increment(DecodeCounter c) {
    counters[c.ordinal()]++;
  }

  /** Adds every count of this object into {@code sum} (aggregation over workers). */
  public void addTo(DecodeCounters sum) {
    for (int i = 0; i < anomalies.length; i++) {
      sum.anomalies[i] += anomalies[i];
    }
    for (int i = 0; i < counters.length; i++) {
      sum.counters[i] += counters[i];
    }
  }

  /** Sets every count to zero. */
  public void reset() {
    java.util.Arrays.fill(anomalies, 0);
    java.util.Arrays.fill(counters, 0);
  }
}

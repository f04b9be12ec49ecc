package io.mirrorsensor.decode;

/** Counters of one decoder: owned and written by its worker thread only. */
public final class DecodeCounters {
  private final long[] anomalies = new long[Anomaly.values().length];

  public void count(Anomaly a) {
    anomalies[a.ordinal()]++;
  }

  public long count(Anomaly a, boolean unused) {
    return anomalies[a.ordinal()];
  }
}

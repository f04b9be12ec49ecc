package io.mirrorsensor.sensor.output;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution for the {@code stats} event and {@code /metrics}: an HdrHistogram of
 * microseconds (1 us to 60 s, clamped; 3 significant digits) with the exact sum and maximum, so
 * that a Prometheus summary gets its {@code _sum} and {@code _count}. Recording allocates nothing.
 * Written by one thread; the snapshot taken for a stats event is a {@link #copy}, and workers'
 * copies merge with {@link #add}.
 */
public final class LatencyHistogram implements StatsValue {
  /** Largest value recorded, microseconds (larger ones are clamped to it). */
  public static final long MAX_MICROS = 60_000_000L;

  private final Histogram micros;
  private long sumMicros;
  private long maxMicros;

  public LatencyHistogram() {
    this(new Histogram(1, MAX_MICROS, 3));
  }

  private LatencyHistogram(Histogram h) {
    this.micros = h;
  }

  /** Records one latency in nanoseconds (negative values are ignored: no such latency). */
  public void recordNanos(long nanos) {
    if (nanos < 0) {
      return;
    }
    long us = Math.max(1, Math.min(MAX_MICROS, nanos / 1000));
    micros.recordValue(us);
    sumMicros += us;
    if (us > maxMicros) {
      maxMicros = us;
    }
  }

  public long count() {
    return micros.getTotalCount();
  }

  /** Sum of the recorded values, microseconds (each clamped to 1 us .. 60 s as recorded). */
  public long sumMicros() {
    return sumMicros;
  }

  /**
   * The value at {@code percentile} (0..100), microseconds: the upper end of its bucket, capped
   * at the exact maximum (so that percentiles never exceed {@code max}).
   */
  public long percentileMicros(double percentile) {
    return Math.min(micros.getValueAtPercentile(percentile), maxMicros);
  }

  public long maxMicros() {
    return maxMicros;
  }

  @Override
  public LatencyHistogram copy() {
    LatencyHistogram c = new LatencyHistogram(micros.copy());
    c.sumMicros = sumMicros;
    c.maxMicros = maxMicros;
    return c;
  }

  @Override
  public void add(StatsValue other) {
    LatencyHistogram o = (LatencyHistogram) other;
    micros.add(o.micros);
    sumMicros += o.sumMicros;
    maxMicros = Math.max(maxMicros, o.maxMicros);
  }

  /**
   * {@code count}, and when it is not 0: {@code sum}, {@code p50}, {@code p90}, {@code p99},
   * {@code p99_9}, {@code max}, in milliseconds with microsecond precision (percentiles as
   * HdrHistogram gives them: the upper end of their bucket, within 0.1% above the true value,
   * capped at the maximum; sum and max exact).
   */
  @Override
  public Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    long n = micros.getTotalCount();
    m.put("count", n);
    if (n > 0) {
      m.put("sum", BigDecimal.valueOf(sumMicros, 3));
      m.put("p50", BigDecimal.valueOf(percentileMicros(50), 3));
      m.put("p90", BigDecimal.valueOf(percentileMicros(90), 3));
      m.put("p99", BigDecimal.valueOf(percentileMicros(99), 3));
      m.put("p99_9", BigDecimal.valueOf(percentileMicros(99.9), 3));
      m.put("max", BigDecimal.valueOf(maxMicros, 3));
    }
    return m;
  }
}

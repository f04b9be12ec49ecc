package io.mirrorsensor.sensor.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sum, count and maximum are exact across merges; percentiles are HdrHistogram's. */
class LatencyHistogramTest {
  @Test
  void sumCountMaxAndPercentilesMerge() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    for (int i = 1; i <= 100; i++) {
      a.recordNanos(i * 1_000_000L); // 1 .. 100 ms
    }
    b.recordNanos(250_123_456L); // 250.123 ms
    b.recordNanos(400); // below 1 us: counted as 1 us
    b.recordNanos(-1); // no latency: not counted
    LatencyHistogram merged = a.copy();
    merged.add(b);
    assertEquals(100, a.count(), "the copy is independent");
    Map<String, Object> r = merged.render();
    assertEquals(102L, r.get("count"));
    // 5050 ms + 250.123 ms + 0.001 ms
    assertEquals(new BigDecimal("5300.124"), r.get("sum"));
    assertEquals(new BigDecimal("250.123"), r.get("max"));
    assertEquals(50.0, ((BigDecimal) r.get("p50")).doubleValue(), 50 * 0.001); // the 51st
    // 102 values, the 1 us one first: the 92nd is 91 ms.
    assertEquals(91.0, ((BigDecimal) r.get("p90")).doubleValue(), 91 * 0.001);
    assertEquals(100.0, ((BigDecimal) r.get("p99")).doubleValue(), 100 * 0.001);
    assertEquals(250.123, ((BigDecimal) r.get("p99_9")).doubleValue(), 250.123 * 0.001);
    assertEquals(Map.of("count", 0L), new LatencyHistogram().render());
  }
}

package io.mirrorsensor.sensor.flow;

import io.mirrorsensor.sensor.output.StatsValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * TCP health of one mirror session (VNI) in one flow-table shard: SYN -> SYN-ACK times in an
 * HdrHistogram, and the mirror-loss estimate's two sums, payload bytes seen and bytes the receivers
 * acknowledged that the sensor never saw (the flows' {@code missed_bytes}; architecture: "the
 * sensor estimates that loss from TCP per VNI"). A flow counts under the VNI it was first seen
 * under ({@code vxlan.vni}). Recording allocates nothing. Written by the shard's thread; the
 * snapshot taken for a stats event is a {@link #copy}.
 */
public final class VniTcpStats implements StatsValue {
  /** SYN RTTs are recorded in microseconds, 1 us to 60 s (clamped), 3 significant digits. */
  static final long MAX_RTT_MICROS = 60_000_000L;

  private final Histogram synRttMicros;
  /** Exact largest RTT in microseconds (the histogram's max is its bucket's upper end). */
  private long maxMicros;
  /** Sum of the RTTs recorded, microseconds (a Prometheus summary's {@code _sum}). */
  private long sumMicros;
  long bytesSeen;
  long missedBytes;

  VniTcpStats() {
    this(new Histogram(1, MAX_RTT_MICROS, 3));
  }

  private VniTcpStats(Histogram h) {
    this.synRttMicros = h;
  }

  void recordSynRtt(long nanos) {
    long us = Math.max(1, Math.min(MAX_RTT_MICROS, nanos / 1000));
    synRttMicros.recordValue(us);
    sumMicros += us;
    maxMicros = Math.max(maxMicros, us);
  }

  public long synRttCount() {
    return synRttMicros.getTotalCount();
  }

  public long bytesSeen() {
    return bytesSeen;
  }

  public long missedBytes() {
    return missedBytes;
  }

  @Override
  public VniTcpStats copy() {
    VniTcpStats c = new VniTcpStats(synRttMicros.copy());
    c.maxMicros = maxMicros;
    c.sumMicros = sumMicros;
    c.bytesSeen = bytesSeen;
    c.missedBytes = missedBytes;
    return c;
  }

  @Override
  public void add(StatsValue other) {
    VniTcpStats o = (VniTcpStats) other;
    synRttMicros.add(o.synRttMicros);
    maxMicros = Math.max(maxMicros, o.maxMicros);
    sumMicros += o.sumMicros;
    bytesSeen += o.bytesSeen;
    missedBytes += o.missedBytes;
  }

  /**
   * {@code syn_rtt_ms} {p50, p90, p99, p99_9, max (ms, microsecond precision), count, sum (ms)}
   * when any handshake was
   * seen (percentiles as HdrHistogram gives them: the upper end of their bucket, within 0.1% above
   * the true value; max exact), {@code bytes_seen}, {@code missed_bytes}, and {@code loss_estimate} = missed / (missed +
   * seen), 6 decimals.
   */
  @Override
  public Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    Histogram h = synRttMicros;
    if (h.getTotalCount() > 0) {
      Map<String, Object> rtt = new LinkedHashMap<>();
      rtt.put("p50", BigDecimal.valueOf(h.getValueAtPercentile(50), 3));
      rtt.put("p90", BigDecimal.valueOf(h.getValueAtPercentile(90), 3));
      rtt.put("p99", BigDecimal.valueOf(h.getValueAtPercentile(99), 3));
      rtt.put("p99_9", BigDecimal.valueOf(h.getValueAtPercentile(99.9), 3));
      rtt.put("max", BigDecimal.valueOf(maxMicros, 3));
      rtt.put("count", h.getTotalCount());
      rtt.put("sum", BigDecimal.valueOf(sumMicros, 3));
      m.put("syn_rtt_ms", rtt);
    }
    m.put("bytes_seen", bytesSeen);
    m.put("missed_bytes", missedBytes);
    long all = bytesSeen + missedBytes;
    m.put("loss_estimate", all == 0 ? BigDecimal.ZERO
        : BigDecimal.valueOf(missedBytes).divide(BigDecimal.valueOf(all), 6, RoundingMode.HALF_UP));
    return m;
  }
}

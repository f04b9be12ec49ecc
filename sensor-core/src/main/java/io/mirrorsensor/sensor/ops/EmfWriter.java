package io.mirrorsensor.sensor.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mirrorsensor.decode.tcp.TcpFinding;
import io.mirrorsensor.sensor.config.OpsConfig;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.live.LiveRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * CloudWatch Embedded Metric Format lines, written at every EVE stats event (live.stats_interval)
 * for the CloudWatch agent to pick up. Per interval: one document for the whole sensor
 * (dimension {@code Sensor}) and one per VNI (dimensions from {@code ops.emf.dimensions}:
 * {@code VNI}, {@code Session} or both). Counts are what happened during the interval (the
 * difference to the previous stats event), so CloudWatch's Sum statistic adds up across
 * intervals and across sensors.
 */
public final class EmfWriter implements Consumer<LiveRunner.Snapshot>, AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String SYN_UNANSWERED = TcpFinding.GID + ":"
      + TcpFinding.SYN_UNANSWERED.sid();

  private final OpsConfig ops;
  private final SensorConfig sensor;
  private final OutputStream out;
  private final boolean closeOut;
  private final String sensorName;
  private final PrintStream log;
  private Map<String, Object> previous;
  private long errors;

  /**
   * @param out where the lines go (not closed unless {@code closeOut})
   * @param sensorName value of the {@code Sensor} dimension
   */
  public EmfWriter(OpsConfig ops, SensorConfig sensor, OutputStream out, boolean closeOut,
      String sensorName, PrintStream log) {
    this.ops = ops;
    this.sensor = sensor;
    this.out = out;
    this.closeOut = closeOut;
    this.sensorName = sensorName;
    this.log = log;
  }

  @Override
  public synchronized void accept(LiveRunner.Snapshot s) {
    if (!s.statsEvent()) {
      return;
    }
    Map<String, Object> cur = StatsTree.plain(s.stats());
    try {
      out.write(documents(cur, previous == null ? Map.of() : previous, s.wallMillis()));
      out.flush();
    } catch (IOException e) {
      if (errors++ == 0) {
        log.println("mirrorsensor: cannot write EMF lines (going on, counted once): " + e);
      }
    }
    previous = cur;
  }

  /** One line per document: the sensor's, then one per VNI; counts are cur - prev. */
  byte[] documents(Map<String, Object> cur, Map<String, Object> prev, long wallMillis)
      throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(2048);
    Map<String, Object[]> m = new LinkedHashMap<>(); // name -> {unit, value}
    m.put("Received", new Object[] {"Count", delta(cur, prev, "capture.received")});
    m.put("ReceivedBytes", new Object[] {"Bytes", delta(cur, prev, "capture.bytes")});
    m.put("Processed", new Object[] {"Count", delta(cur, prev, "capture.processed")});
    long dropped = StatsTree.sum(cur, "capture.dropped") - StatsTree.sum(prev, "capture.dropped");
    long kernel = Math.max(0, StatsTree.num(cur, "capture.kernel_drops", 0))
        - Math.max(0, StatsTree.num(prev, "capture.kernel_drops", 0));
    m.put("Dropped", new Object[] {"Count", dropped + Math.max(0, kernel)});
    m.put("DroppedRingFull", new Object[] {"Count", delta(cur, prev, "capture.dropped.ring_full")});
    m.put("KernelDrops", new Object[] {"Count", Math.max(0, kernel)});
    m.put("FlowsActive", new Object[] {"Count", StatsTree.num(cur, "flow.active", 0)});
    m.put("MirrorDuplicates", new Object[] {"Count", delta(cur, prev, "flow.mirror_duplicates")});
    m.put("Alerts", new Object[] {"Count", delta(cur, prev, "detect.alerts")});
    m.put("SynUnanswered", new Object[] {"Count", StatsTree.num(StatsTree.map(cur,
        "detect.by_sid"), SYN_UNANSWERED, 0) - StatsTree.num(StatsTree.map(prev,
        "detect.by_sid"), SYN_UNANSWERED, 0)});
    m.put("Events", new Object[] {"Count", StatsTree.sum(cur, "events")
        - StatsTree.sum(prev, "events")});
    m.put("HttpTransactions", new Object[] {"Count", delta(cur, prev, "app.http_transactions")});
    m.put("DnsTransactions", new Object[] {"Count", delta(cur, prev, "app.dns_transactions")});
    m.put("WorkerExceptions", new Object[] {"Count", delta(cur, prev, "worker.exceptions")});
    m.put("OutputDroppedEvents", new Object[] {"Count", delta(cur, prev, "output.dropped_events")});
    m.put("OutputWriteErrors", new Object[] {"Count", delta(cur, prev, "output.write_errors")});
    Map<String, String> dims = new LinkedHashMap<>();
    dims.put("Sensor", sensorName);
    document(buf, wallMillis, dims, m);

    Map<String, Object> vnis = StatsTree.map(cur, "vni");
    for (Map.Entry<String, Object> e : vnis.entrySet()) {
      String vni = e.getKey();
      Map<String, Object[]> metrics = new LinkedHashMap<>();
      metrics.put("Packets", new Object[] {"Count", delta(cur, prev, "vni." + vni + ".packets")});
      metrics.put("Bytes", new Object[] {"Bytes", delta(cur, prev, "vni." + vni + ".bytes")});
      if (StatsTree.at(cur, "capture.per_vni." + vni) != null) {
        metrics.put("ListenerDropped", new Object[] {"Count",
            delta(cur, prev, "capture.per_vni." + vni + ".dropped")});
      }
      if (StatsTree.at(cur, "tcp.per_vni." + vni) != null) {
        metrics.put("TcpMissedBytes", new Object[] {"Bytes",
            delta(cur, prev, "tcp.per_vni." + vni + ".missed_bytes")});
      }
      Map<String, String> d = new LinkedHashMap<>();
      for (String dim : ops.emfDimensions()) {
        if (dim.equals("vni")) {
          d.put("VNI", vni);
        } else {
          d.put("Session", session(vni));
        }
      }
      if (!d.isEmpty()) {
        document(buf, wallMillis, d, metrics);
      }
    }
    return buf.toByteArray();
  }

  private String session(String vni) {
    SensorConfig.VniInfo info = sensor.vniInfo(Integer.parseInt(vni));
    return info == null || info.session() == null || info.session().isEmpty() ? "vni-" + vni
        : info.session();
  }

  private static long delta(Map<String, Object> cur, Map<String, Object> prev, String path) {
    return StatsTree.num(cur, path, 0) - StatsTree.num(prev, path, 0);
  }

  /**
   * One EMF document: {@code _aws} {Timestamp, CloudWatchMetrics [{Namespace, Dimensions [[..]],
   * Metrics [{Name, Unit}]}]} and, as top-level members, every dimension and metric it names.
   */
  private void document(ByteArrayOutputStream buf, long wallMillis, Map<String, String> dims,
      Map<String, Object[]> metrics) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(buf)) {
      g.writeStartObject();
      g.writeObjectFieldStart("_aws");
      g.writeNumberField("Timestamp", wallMillis);
      g.writeArrayFieldStart("CloudWatchMetrics");
      g.writeStartObject();
      g.writeStringField("Namespace", ops.emfNamespace());
      g.writeArrayFieldStart("Dimensions");
      g.writeStartArray();
      for (String d : dims.keySet()) {
        g.writeString(d);
      }
      g.writeEndArray();
      g.writeEndArray();
      g.writeArrayFieldStart("Metrics");
      for (Map.Entry<String, Object[]> e : metrics.entrySet()) {
        g.writeStartObject();
        g.writeStringField("Name", e.getKey());
        g.writeStringField("Unit", (String) e.getValue()[0]);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
      for (Map.Entry<String, String> d : dims.entrySet()) {
        g.writeStringField(d.getKey(), d.getValue());
      }
      for (Map.Entry<String, Object[]> e : metrics.entrySet()) {
        g.writeNumberField(e.getKey(), ((Number) e.getValue()[1]).longValue());
      }
      g.writeEndObject();
    }
    buf.write('\n');
  }

  @Override
  public synchronized void close() throws IOException {
    if (closeOut) {
      out.close();
    } else {
      out.flush();
    }
  }
}

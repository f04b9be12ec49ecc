package io.mirrorsensor.sensor.live;

import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.output.EveWriter;
import io.mirrorsensor.sensor.pipeline.PacketEvent;
import io.mirrorsensor.sensor.pipeline.Pipeline;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapStat;

/**
 * A capture on an interface: one thread reads frames from libpcap ({@link InterfaceCapture}) and
 * publishes each into the same {@link Pipeline} as {@code listen} (live mode: a full ring drops
 * and counts, the capture thread never waits), a ticker moves the workers' packet time forward
 * once a second and writes a {@code stats} event every {@code live.stats_interval}.
 *
 * <p>Each frame keeps the handle's link type, libpcap's capture timestamp as packet time, and
 * its captured and original lengths. {@link #stop} breaks libpcap's loop, reads what libpcap still
 * holds (up to 2 s), takes pcap_stats, drains the rings, ends every flow, writes the final stats
 * event, flushes and closes the outputs and the handle.
 */
public final class CaptureRunner {
  private static final long TICK_NANOS = 1_000_000_000L;
  private static final long SNAPSHOT_TIMEOUT_NANOS = 2_000_000_000L;
  private static final long DRAIN_TIMEOUT_NANOS = 2_000_000_000L;
  private static final long JOIN_MILLIS = 5_000;

  private final SensorConfig config;
  private final InterfaceCapture capture;
  private final PcapHandle handle;
  private final Outputs outputs;
  private final PrintStream log;
  private final LiveClock clock = new LiveClock();
  private Pipeline pipe;
  private Thread reader;
  private Thread ticker;
  private volatile boolean stopping;
  private long startNanos;
  private int slotBytes;

  // Written by the reader thread only (single writer), read by the ticker and stop.
  private volatile long captured;
  private volatile long capturedBytes;
  private volatile long ringFull;
  private volatile long drainedAtStop;
  private volatile String error;
  private volatile long statsDropped;
  private CaptureSummary summary;
  private volatile Runnable onFailure = () -> { };

  public CaptureRunner(SensorConfig config, InterfaceCapture capture, Outputs outputs,
      PrintStream log) {
    this.config = config;
    this.capture = capture;
    this.handle = capture.handle;
    this.outputs = outputs;
    this.log = log;
  }

  /** Starts the workers, the reading thread and the ticker. */
  public synchronized void start() {
    startNanos = System.nanoTime();
    pipe = Pipeline.start(config, outputs, Pipeline.Mode.LIVE, log);
    slotBytes = config.live().maxFrameBytes() + Pipeline.LIVE_HEADROOM;
    reader = new Thread(this::read, "mirrorsensor-capture");
    reader.setDaemon(true);
    reader.start();
    ticker = new Thread(this::tick, "mirrorsensor-ticker");
    ticker.setDaemon(true);
    ticker.start();
  }

  /** Runs {@code r} on the capture thread if libpcap reports an error (the capture ended). */
  public void onFailure(Runnable r) {
    this.onFailure = r;
  }

  public int workers() {
    return pipe.workers();
  }

  /** Frames libpcap delivered so far (tests wait on it). */
  public long captured() {
    return captured;
  }

  private void read() {
    while (!stopping) {
      byte[] frame;
      try {
        frame = handle.getNextRawPacketEx();
      } catch (TimeoutException e) {
        continue; // the read timeout expired with nothing captured
      } catch (EOFException e) {
        break; // pcap_breakloop from stop()
      } catch (PcapNativeException | NotOpenException e) {
        error = String.valueOf(e.getMessage());
        log.println("mirrorsensor: capture on " + capture.interfaceName + " failed: " + error);
        onFailure.run();
        return;
      }
      onFrame(frame);
    }
    drain();
  }

  /**
   * Reads what libpcap already holds, without waiting, until it is empty or the deadline passes
   * (a busy interface never empties).
   */
  private void drain() {
    try {
      handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
    } catch (PcapNativeException | NotOpenException e) {
      return;
    }
    long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
    long before = captured;
    while (System.nanoTime() < deadline) {
      try {
        onFrame(handle.getNextRawPacketEx());
      } catch (TimeoutException | EOFException e) {
        break; // nothing left (non-blocking read found none)
      } catch (PcapNativeException | NotOpenException e) {
        break;
      }
    }
    drainedAtStop = captured - before;
  }

  private void onFrame(byte[] frame) {
    long receivedAt = System.nanoTime();
    java.sql.Timestamp ts = handle.getTimestamp();
    Integer orig = handle.getOriginalLength();
    long tsNanos = ts == null ? clock.nowNanos()
        : Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
    int capLen = Math.min(frame.length, slotBytes); // the snap length is at most a slot
    captured = captured + 1;
    capturedBytes = capturedBytes + frame.length;
    int linkType = capture.linkType;
    int shard = pipe.shardOf(frame, 0, capLen, linkType);
    long seq = pipe.tryClaim(shard);
    if (seq < 0) {
      ringFull = ringFull + 1;
      return;
    }
    try {
      PacketEvent e = pipe.slot(shard, seq);
      System.arraycopy(frame, 0, e.data, 0, capLen);
      e.capLen = capLen;
      e.origLen = orig == null ? frame.length : Math.max(orig, capLen);
      e.linkType = linkType;
      e.tsNanos = tsNanos;
      e.pcapCnt = 0;
      e.receivedNanos = receivedAt;
    } finally {
      pipe.commit(shard, seq);
    }
  }

  private void tick() {
    long interval = config.live().statsIntervalNanos();
    long nextStats = interval > 0 ? System.nanoTime() + interval : Long.MAX_VALUE;
    while (!stopping) {
      try {
        Thread.sleep(TICK_NANOS / 1_000_000);
      } catch (InterruptedException e) {
        return;
      }
      if (stopping) {
        return;
      }
      pipe.advanceAll(clock.nowNanos());
      if (System.nanoTime() >= nextStats) {
        nextStats += interval;
        writeStatsEvent();
      }
    }
  }

  private void writeStatsEvent() {
    Pipeline.Totals t = pipe.snapshot(SNAPSHOT_TIMEOUT_NANOS);
    Map<String, Object> stats = stats(t, pcapStats());
    ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
    try (EveWriter eve = new EveWriter(buf, config)) {
      eve.stats(clock.nowNanos(), uptime(), stats);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a memory stream does not fail
    }
    if (!pipe.submitEncoded(buf.toByteArray())) {
      statsDropped++;
    }
  }

  /** pcap_stats: {received, kernel dropped, interface dropped}, or null when it failed. */
  private long[] pcapStats() {
    try {
      PcapStat s = handle.getStats();
      return new long[] {s.getNumPacketsReceived(), s.getNumPacketsDropped(),
          s.getNumPacketsDroppedByIf()};
    } catch (PcapNativeException | NotOpenException | RuntimeException e) {
      return null;
    }
  }

  private double uptime() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * The stats event (shared/EVE.md {@code stats}) with a capture section for libpcap:
   * {@code capture.interface}, {@code received} (pcap_stats ps_recv), {@code kernel_drops}
   * (ps_drop), {@code interface_drops} (ps_ifdrop), {@code captured} (delivered to the sensor),
   * {@code bytes}, {@code processed} and {@code dropped.ring_full}; then the workers' counters as
   * in {@code listen}.
   */
  private Map<String, Object> stats(Pipeline.Totals t, long[] ps) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> cap = new LinkedHashMap<>();
    cap.put("interface", capture.interfaceName);
    cap.put("received", ps == null ? -1L : ps[0]);
    cap.put("kernel_drops", ps == null ? -1L : ps[1]);
    cap.put("interface_drops", ps == null ? -1L : ps[2]);
    cap.put("captured", captured);
    cap.put("bytes", capturedBytes);
    cap.put("processed", t.get("capture.received"));
    Map<String, Object> dropped = new LinkedHashMap<>();
    dropped.put("ring_full", ringFull);
    cap.put("dropped", dropped);
    m.put("capture", cap);
    m.put("decoder", t.stats.getOrDefault("decoder", Map.of()));
    Map<String, Object> ring = new LinkedHashMap<>();
    ring.put("size", (long) pipe.ringSize());
    ring.put("workers", (long) pipe.workers());
    ring.put("full_drops", ringFull);
    m.put("ring", ring);
    t.putFlowSections(m);
    t.putOutputSections(m, outputs.writeErrors(), statsDropped);
    t.putVni(m);
    return m;
  }

  /**
   * Stops capturing (pcap_breakloop), reads what libpcap still holds, takes pcap_stats, drains the
   * rings, ends every flow, writes the final stats event, flushes and closes the outputs and the
   * handle. Safe to call more than once (later calls return the first summary).
   */
  public synchronized CaptureSummary stop() {
    if (summary != null) {
      return summary;
    }
    stopping = true;
    ticker.interrupt();
    try {
      handle.breakLoop(); // wakes a reader blocked in libpcap (libpcap 1.9 and later)
    } catch (NotOpenException e) {
      // closed already: the reader has ended
    }
    try {
      ticker.join(JOIN_MILLIS);
      reader.join(JOIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boolean readerEnded = !reader.isAlive();
    if (!readerEnded) {
      log.println("mirrorsensor: the capture thread is still waiting in libpcap (a libpcap"
          + " older than 1.9 wakes only at the next packet); stopping without it");
    }
    // After the reader ended, this thread is the handle's only user.
    long[] ps = readerEnded ? pcapStats() : null;
    Pipeline.Totals t = pipe.finish(clock.nowNanos());
    Map<String, Object> stats = stats(t, ps);
    @SuppressWarnings("unchecked")
    Map<String, Object> cap = (Map<String, Object>) stats.get("capture");
    cap.put("drained_at_stop", drainedAtStop);
    outputs.stats(clock.nowNanos(), uptime(), stats);
    outputs.close();
    if (readerEnded) {
      capture.close();
    }
    Map<String, Long> events = new java.util.TreeMap<>(t.eventsByType);
    outputs.eventsByType().forEach((k, v) -> events.merge(k, v, Long::sum));
    summary = new CaptureSummary(capture.interfaceName, capture.filter, capture.loopback,
        ps == null ? -1 : ps[0], ps == null ? -1 : ps[1], ps == null ? -1 : ps[2], captured,
        capturedBytes, t.get("capture.received"), ringFull, drainedAtStop, t.get("flow.created"),
        t.recordsByReason.values().stream().mapToLong(Long::longValue).sum(),
        t.get("flow.mirror_duplicates"), events, t.perVni, t.exceptions, t.droppedEvents,
        outputs.writeErrors(), System.nanoTime() - startNanos,
        List.of(outputs.eveFile().toString(), outputs.flowLogFile().toString()), error);
    return summary;
  }
}

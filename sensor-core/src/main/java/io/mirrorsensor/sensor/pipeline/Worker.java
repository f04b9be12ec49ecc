package io.mirrorsensor.sensor.pipeline;

import com.lmax.disruptor.EventHandler;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.PacketProcessor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One worker: consumes its ring and owns a {@link PacketProcessor} (decoder, flow-table shard)
 * and a {@link WorkerSink}. Everything here is written by the worker thread only; other threads
 * see it through {@link #done}, written with release semantics after each event and read with
 * acquire semantics ({@link AtomicLong#lazySet} / {@link AtomicLong#get}).
 */
final class Worker implements EventHandler<PacketEvent> {
  /** Encoded bytes at which a worker hands a chunk over even inside a batch. */
  private static final int CHUNK_BYTES = 1 << 16;

  final int index;
  final PacketProcessor proc;
  final WorkerSink sink;
  private final boolean live;
  /** Receive-to-processed latency in ns (live only); 1 us .. 60 s, 3 significant digits. */
  private final Histogram latency = new Histogram(1_000, 60_000_000_000L, 3);
  /**
   * Receive times of packets processed but not yet in {@link #latency}: the clock is read once
   * for up to {@link #LATENCY_BATCH} packets (at the end of a ring batch or when this is full), and
   * each of them is recorded against that reading, an upper bound of its latency (one clock read
   * per packet, ~24 ns, was a tenth of the worker's cost for a small packet).
   */
  private final long[] pendingReceived = new long[LATENCY_BATCH];
  private int pending;
  private static final int LATENCY_BATCH = 64;
  /** Sum of the values recorded in {@link #latency}, ns (a Prometheus summary's {@code _sum}). */
  private long latencySum;
  /** The last sequence this worker finished (release store; readers acquire). */
  final AtomicLong done = new AtomicLong(-1);
  /** Exceptions the handler counted (the worker went on); written by the exception handler. */
  final AtomicLong exceptions = new AtomicLong();
  /** The last snapshot taken on request; published by {@link #done}. */
  volatile Snapshot snapshot;

  /** What a worker had counted at one moment, taken on its own thread. */
  record Snapshot(Map<String, Object> stats, Map<Integer, long[]> perVni, long lastTs,
      Histogram latency, long latencySum, long behind, long droppedEvents) {}

  /** Run after each packet (tests slow a worker down with it); null in a real run. */
  private final Runnable afterEachPacket;

  Worker(int index, SensorConfig config, OutputThread out, boolean live, Runnable afterEachPacket) {
    this.afterEachPacket = afterEachPacket;
    this.index = index;
    this.live = live;
    this.sink = new WorkerSink(config, out, live);
    this.proc = new PacketProcessor(config, sink);
  }

  @Override
  public void onEvent(PacketEvent e, long sequence, boolean endOfBatch) {
    switch (e.kind) {
      case PacketEvent.PACKET:
        sink.receivedNanos = e.receivedNanos; // receive-to-event latency of its events
        proc.process(e.data, 0, e.capLen, e.origLen, e.linkType, e.tsNanos, e.pcapCnt);
        sink.receivedNanos = 0;
        if (e.receivedNanos != 0) {
          pendingReceived[pending++] = e.receivedNanos;
          if (pending == LATENCY_BATCH) {
            recordLatencies();
          }
        }
        if (afterEachPacket != null) {
          afterEachPacket.run();
        }
        break;
      case PacketEvent.ADVANCE:
        proc.flows().advance(e.tsNanos);
        break;
      case PacketEvent.SNAPSHOT:
        snapshot = takeSnapshot();
        break;
      case PacketEvent.FINISH:
        proc.finish();
        sink.drain(true);
        break;
      default:
        throw new IllegalStateException("unknown ring event kind " + e.kind);
    }
    if (endOfBatch && pending > 0) {
      recordLatencies();
    }
    if (endOfBatch || sink.pending() >= CHUNK_BYTES) {
      sink.drain(false);
    }
    done.lazySet(sequence);
  }

  private void recordLatencies() {
    long now = System.nanoTime();
    for (int i = 0; i < pending; i++) {
      long d = Math.max(1_000, Math.min(now - pendingReceived[i], 60_000_000_000L));
      latency.recordValue(d);
      latencySum += d;
    }
    pending = 0;
  }

  private Snapshot takeSnapshot() {
    if (pending > 0) {
      recordLatencies();
    }
    Map<Integer, long[]> vni = new TreeMap<>();
    proc.perVni().forEach((k, v) -> vni.put(k, v.clone()));
    Map<String, Object> stats = proc.stats(0);
    if (live) {
      // Events encoded so far by event_type and receive-to-event latency, for the live stats
      // (a replay's stats event keeps its layout): merged across workers by Pipeline.merge.
      stats.put("events", new TreeMap<String, Object>(sink.eventsByType()));
      stats.put("receive_to_event_ms", sink.eventLatency.copy());
    }
    return new Snapshot(stats, vni, proc.lastTimestamp(), live ? latency.copy() : null,
        latencySum, sink.behind, sink.droppedEvents);
  }
}

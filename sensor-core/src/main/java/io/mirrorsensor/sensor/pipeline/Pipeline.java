package io.mirrorsensor.sensor.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.mirrorsensor.decode.DecodeCounter;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.flow.EndReason;
import io.mirrorsensor.sensor.output.StatsValue;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Sources -> sharded Disruptor rings -> workers -> output thread. Replay and live are one code
 * path; they differ only in how a source publishes ({@link #publish}: waits for room;
 * {@link #tryClaim}: never waits, the caller drops and counts) and in whether the output side may
 * fall behind (live) or applies back-pressure (replay).
 *
 * <p>Call order: {@link #start}; any number of publishes and control calls ({@link #advanceAll},
 * {@link #snapshot}) from the source side; {@link #finish} once after the sources stopped. Control
 * calls come from one thread at a time.
 */
public final class Pipeline {
  /** How sources publish and outputs are fed. */
  public enum Mode {
    /** One publishing thread, back-pressure everywhere, no drops. */
    REPLAY,
    /** Many publishing threads (receive loops) that never wait; drops are counted. */
    LIVE
  }

  /** Slots per ring in replay: back-pressure makes a larger ring pointless. */
  private static final int REPLAY_RING_SIZE = 1024;
  /** Initial slot size in replay (a slot grows when a frame does not fit: replay never drops). */
  private static final int REPLAY_SLOT_BYTES = 2048;
  /** Room in a live slot beyond the inner frame: outer IPv6 + UDP (48) and VXLAN (8) headers. */
  public static final int LIVE_HEADROOM = 64;

  private final SensorConfig config;
  private final Mode mode;
  private final Outputs outputs;
  private final PrintStream log;
  private final int[] vxlanPorts;
  private final List<Disruptor<PacketEvent>> disruptors = new ArrayList<>();
  private final RingBuffer<PacketEvent>[] rings;
  private final Worker[] workers;
  private final OutputThread output;
  private final AtomicLong exceptionsLogged = new AtomicLong();
  private final long startNanos = System.nanoTime();
  /** Frames published (replay's single publishing thread writes it). */
  private long published;
  private long maxTs = Long.MIN_VALUE;

  @SuppressWarnings("unchecked")
  private Pipeline(SensorConfig config, Outputs outputs, Mode mode, PrintStream log,
      Runnable afterEachPacket) {
    this.config = config;
    this.mode = mode;
    this.outputs = outputs;
    this.log = log;
    this.vxlanPorts = config.vxlanPorts().clone();
    int n = config.live().workers();
    boolean live = mode == Mode.LIVE;
    this.output = new OutputThread(outputs, config.live().outputQueueChunks(), live);
    this.rings = new RingBuffer[n];
    this.workers = new Worker[n];
    int ringSize = live ? config.live().ringSize() : REPLAY_RING_SIZE;
    int slotBytes = live ? config.live().maxFrameBytes() + LIVE_HEADROOM : REPLAY_SLOT_BYTES;
    for (int i = 0; i < n; i++) {
      int idx = i;
      AtomicInteger threads = new AtomicInteger();
      Disruptor<PacketEvent> d = new Disruptor<>(() -> new PacketEvent(slotBytes), ringSize,
          r -> {
            Thread t = new Thread(r, "mirrorsensor-worker-" + idx
                + (threads.getAndIncrement() == 0 ? "" : "-" + threads.get()));
            t.setDaemon(true);
            return t;
          },
          live ? ProducerType.MULTI : ProducerType.SINGLE, waitStrategy(config, live));
      Worker w = new Worker(i, config, output, live, afterEachPacket);
      d.handleEventsWith(w);
      d.setDefaultExceptionHandler(new CountingExceptionHandler(w));
      workers[i] = w;
      disruptors.add(d);
    }
  }

  private static WaitStrategy waitStrategy(SensorConfig config, boolean live) {
    if (!live) {
      return new SleepingWaitStrategy();
    }
    switch (config.live().waitStrategy()) {
      case "blocking":
        return new BlockingWaitStrategy();
      case "yielding":
        return new YieldingWaitStrategy();
      case "busy_spin":
        return new BusySpinWaitStrategy();
      case "sleeping":
        return new SleepingWaitStrategy();
      default:
        return new ParkingWaitStrategy();
    }
  }

  /** Builds the rings, starts the workers and the output thread. */
  public static Pipeline start(SensorConfig config, Outputs outputs, Mode mode, PrintStream log) {
    return start(config, outputs, mode, log, null);
  }

  /**
   * As {@link #start(SensorConfig, Outputs, Mode, PrintStream)}, with {@code afterEachPacket} run
   * by a worker after each packet: tests slow the workers down with it to overload the rings.
   */
  public static Pipeline start(SensorConfig config, Outputs outputs, Mode mode, PrintStream log,
      Runnable afterEachPacket) {
    Pipeline p = new Pipeline(config, outputs, mode, log, afterEachPacket);
    p.output.start();
    for (int i = 0; i < p.workers.length; i++) {
      p.rings[i] = p.disruptors.get(i).start();
    }
    return p;
  }

  public int workers() {
    return workers.length;
  }

  public Mode mode() {
    return mode;
  }

  /** The worker for a frame (see {@link ShardHash}: both directions and all fragments meet). */
  public int shardOf(byte[] buf, int off, int len, int linkType) {
    return ShardHash.shard(buf, off, len, linkType, vxlanPorts, workers.length);
  }

  // ---- replay side: one thread, waits for room ----

  /**
   * Copies a frame into its worker's ring, waiting for room. Replay's one reading thread only.
   * {@code buf} stays the caller's.
   */
  public void publish(byte[] buf, int off, int capLen, int origLen, int linkType, long tsNanos,
      long pcapCnt) {
    int shard = shardOf(buf, off, capLen, linkType);
    RingBuffer<PacketEvent> r = rings[shard];
    long seq = r.next();
    try {
      PacketEvent e = r.get(seq);
      if (e.data.length < capLen) {
        e.data = new byte[Math.max(capLen, e.data.length * 2)];
      }
      System.arraycopy(buf, off, e.data, 0, capLen);
      e.kind = PacketEvent.PACKET;
      e.capLen = capLen;
      e.origLen = origLen;
      e.linkType = linkType;
      e.tsNanos = tsNanos;
      e.pcapCnt = pcapCnt;
      e.receivedNanos = 0;
    } finally {
      r.publish(seq);
    }
    published++;
    if (tsNanos > maxTs) {
      maxTs = tsNanos;
    }
  }

  /** Frames published by {@link #publish}. */
  public long published() {
    return published;
  }

  /** The latest packet time published by {@link #publish}. */
  public long maxTimestamp() {
    return maxTs;
  }

  // ---- live side: many threads, never wait ----

  /**
   * Claims a slot in worker {@code shard}'s ring without waiting.
   *
   * @return the slot's sequence, or -1 when the ring is full (the caller drops and counts)
   */
  public long tryClaim(int shard) {
    try {
      return rings[shard].tryNext();
    } catch (InsufficientCapacityException e) {
      return -1;
    }
  }

  /** The slot of a claimed sequence: fill it (kind stays {@link PacketEvent#PACKET}), then commit. */
  public PacketEvent slot(int shard, long seq) {
    PacketEvent e = rings[shard].get(seq);
    e.kind = PacketEvent.PACKET;
    return e;
  }

  /** Publishes a claimed, filled slot. Every claimed sequence must be committed. */
  public void commit(int shard, long seq) {
    rings[shard].publish(seq);
  }

  /** Slots in use in worker {@code shard}'s ring right now. */
  public long ringFill(int shard) {
    return rings[shard].getBufferSize() - rings[shard].remainingCapacity();
  }

  public int ringSize() {
    return rings[0].getBufferSize();
  }

  /**
   * Queues EVE lines encoded elsewhere (a live stats event) for the output thread without waiting.
   *
   * @return false when the output queue is full (the caller counts it)
   */
  public boolean submitEncoded(byte[] eveLines) {
    return output.offer(new OutputThread.Chunk(eveLines, new byte[0]));
  }

  // ---- control ----

  private long control(int shard, int kind, long ts) {
    RingBuffer<PacketEvent> r = rings[shard];
    long seq = r.next();
    PacketEvent e = r.get(seq);
    e.kind = kind;
    e.tsNanos = ts;
    e.capLen = 0;
    e.receivedNanos = 0;
    r.publish(seq);
    return seq;
  }

  private void await(long[] seqs, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    for (int i = 0; i < workers.length; i++) {
      while (workers[i].done.get() < seqs[i]) {
        if (System.nanoTime() > deadline) {
          return;
        }
        Thread.onSpinWait();
        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
      }
    }
  }

  /** Moves every worker's packet time to {@code tsNanos} (idle flows of a quiet source expire). */
  public void advanceAll(long tsNanos) {
    for (int i = 0; i < workers.length; i++) {
      control(i, PacketEvent.ADVANCE, tsNanos);
    }
  }

  /**
   * Asks every worker for its counters and merges them; waits up to {@code timeoutNanos} (a
   * worker that does not answer in time contributes its previous snapshot).
   */
  public Totals snapshot(long timeoutNanos) {
    long[] seqs = new long[workers.length];
    for (int i = 0; i < workers.length; i++) {
      seqs[i] = control(i, PacketEvent.SNAPSHOT, 0);
    }
    await(seqs, timeoutNanos);
    return merge();
  }

  /**
   * Ends the run after the sources stopped: moves every worker to {@code finalTs} (flows idle by
   * then time out, as in a single table), takes the counters for the final stats event, ends every
   * flow (reason shutdown), waits until every worker and the output thread wrote everything, and
   * stops the threads. Returns the counters before the shutdown records; {@link Totals#eventsByType}
   * and {@link Totals#recordsByReason} are the final ones.
   */
  public Totals finish(long finalTs) {
    long[] seqs = new long[workers.length];
    for (int i = 0; i < workers.length; i++) {
      if (finalTs != Long.MIN_VALUE) {
        control(i, PacketEvent.ADVANCE, finalTs);
      }
      control(i, PacketEvent.SNAPSHOT, 0);
      seqs[i] = control(i, PacketEvent.FINISH, 0);
    }
    await(seqs, Long.MAX_VALUE / 4);
    Totals t = merge();
    for (Disruptor<PacketEvent> d : disruptors) {
      d.halt();
    }
    try {
      output.finish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // After done.get() >= FINISH: the workers' final counters are visible here.
    for (Worker w : workers) {
      w.sink.eventsByType().forEach((k, v) -> t.eventsByType.merge(k, v, Long::sum));
      w.sink.recordsByReason.forEach((k, v) -> t.recordsByReason.merge(k, v, Long::sum));
    }
    long dropped = 0;
    for (Worker w : workers) {
      dropped += w.sink.droppedEvents;
    }
    t.droppedEvents = dropped;
    return t;
  }

  private Totals merge() {
    Totals t = new Totals();
    Map<String, Object> stats = null;
    for (Worker w : workers) {
      Worker.Snapshot s = w.snapshot;
      if (s == null) {
        continue;
      }
      stats = stats == null ? deepCopy(s.stats()) : mergeInto(stats, s.stats());
      s.perVni().forEach((k, v) -> {
        long[] c = t.perVni.computeIfAbsent(k, x -> new long[2]);
        c[0] += v[0];
        c[1] += v[1];
      });
      t.lastTs = Math.max(t.lastTs, s.lastTs());
      if (s.latency() != null) {
        t.latency.add(s.latency());
        t.latencySumNanos += s.latencySum();
      }
      t.outputBehind += s.behind();
      t.droppedEvents += s.droppedEvents();
      t.exceptions += w.exceptions.get();
    }
    if (stats == null) {
      stats = new LinkedHashMap<>();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> dec = (Map<String, Object>) stats.get("decoder");
    if (dec != null) {
      stats.put("decoder", decoderOrder(dec));
    }
    t.stats = stats;
    t.outputQueueHighWater = output.queueHighWater();
    return t;
  }

  /** Decoder counters in {@link DecodeCounter} order, as one processor writes them. */
  private static Map<String, Object> decoderOrder(Map<String, Object> dec) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (DecodeCounter k : DecodeCounter.values()) {
      if (dec.containsKey(k.id())) {
        out.put(k.id(), dec.get(k.id()));
      }
    }
    dec.forEach(out::putIfAbsent);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    Map<String, Object> out = m instanceof TreeMap ? new TreeMap<>() : new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v instanceof Map ? deepCopy((Map<String, Object>) v)
        : v instanceof StatsValue ? ((StatsValue) v).copy() : v));
    return out;
  }

  /**
   * Adds {@code b}'s numbers into {@code a}, key by key (sub-maps recursively; {@link StatsValue}s
   * by their own {@code add}).
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> mergeInto(Map<String, Object> a, Map<String, Object> b) {
    for (Map.Entry<String, Object> e : b.entrySet()) {
      Object mine = a.get(e.getKey());
      Object theirs = e.getValue();
      if (mine == null) {
        a.put(e.getKey(), theirs instanceof Map ? deepCopy((Map<String, Object>) theirs)
            : theirs instanceof StatsValue ? ((StatsValue) theirs).copy() : theirs);
      } else if (mine instanceof StatsValue && theirs instanceof StatsValue) {
        ((StatsValue) mine).add((StatsValue) theirs); // histograms merge, ratios re-derive
      } else if (mine instanceof Map && theirs instanceof Map) {
        mergeInto((Map<String, Object>) mine, (Map<String, Object>) theirs);
      } else if (mine instanceof Number && theirs instanceof Number) {
        a.put(e.getKey(), ((Number) mine).longValue() + ((Number) theirs).longValue());
      }
    }
    return a;
  }

  /** Seconds since the pipeline started (wall clock: only for the stats event's uptime). */
  public double uptimeSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * Counters of all workers added up. {@link #stats} has the layout of one processor's stats
   * (shared/EVE.md {@code stats}); {@code flow.high_water} is the sum of the shards' high-water
   * marks (an upper bound of the whole table's).
   */
  public static final class Totals {
    public Map<String, Object> stats;
    public final Map<Integer, long[]> perVni = new TreeMap<>();
    public long lastTs = Long.MIN_VALUE;
    public final Histogram latency = new Histogram(1_000, 60_000_000_000L, 3);
    /** Sum of the values in {@link #latency}, ns. */
    public long latencySumNanos;
    public long outputBehind;
    public long droppedEvents;
    public long exceptions;
    public long outputQueueHighWater;
    public final Map<String, Long> eventsByType = new TreeMap<>();
    public final Map<EndReason, Long> recordsByReason = new EnumMap<>(EndReason.class);

    /** The workers' {@code flow}, {@code tcp} and {@code detect} sections, into {@code m}. */
    public void putFlowSections(Map<String, Object> m) {
      m.put("flow", stats.getOrDefault("flow", Map.of()));
      m.put("tcp", stats.getOrDefault("tcp", Map.of()));
      m.put("detect", stats.getOrDefault("detect", Map.of()));
    }

    /**
     * The {@code output} and {@code worker} sections of a live stats event, into {@code m}.
     *
     * @param writeErrors the output files' write errors
     * @param statsDropped stats events that could not be queued
     */
    public void putOutputSections(Map<String, Object> m, long writeErrors, long statsDropped) {
      Map<String, Object> output = new java.util.LinkedHashMap<>();
      output.put("write_errors", writeErrors);
      output.put("behind", outputBehind);
      output.put("dropped_events", droppedEvents);
      output.put("queue_high_water", outputQueueHighWater);
      output.put("stats_events_dropped", statsDropped);
      m.put("output", output);
      m.put("worker", Map.of("exceptions", exceptions));
    }

    /** The {@code vni} section (packets and bytes per VNI) into {@code m}, when there is one. */
    public void putVni(Map<String, Object> m) {
      Map<String, Object> vni = vniStats();
      if (!vni.isEmpty()) {
        m.put("vni", vni);
      }
    }

    /** The stats event's {@code vni} object: per VNI, {@code packets} and {@code bytes}. */
    public Map<String, Object> vniStats() {
      Map<String, Object> vni = new java.util.LinkedHashMap<>();
      perVni.forEach((k, v) -> {
        Map<String, Object> e = new java.util.LinkedHashMap<>();
        e.put("packets", v[0]);
        e.put("bytes", v[1]);
        vni.put(Integer.toString(k), e);
      });
      return vni;
    }

    /** A number from {@link #stats} by dotted path ({@code "flow.created"}), 0 when absent. */
    public long get(String path) {
      Object o = stats;
      for (String part : path.split("\\.")) {
        if (!(o instanceof Map)) {
          return 0;
        }
        o = ((Map<?, ?>) o).get(part);
      }
      return o instanceof Number ? ((Number) o).longValue() : 0;
    }

    /** Anomalies by id, full counts. */
    public Map<String, Long> anomaliesById() {
      Map<String, Long> m = new TreeMap<>();
      Object dec = stats.get("decoder");
      if (dec instanceof Map && ((Map<?, ?>) dec).get("anomalies") instanceof Map) {
        ((Map<?, ?>) ((Map<?, ?>) dec).get("anomalies"))
            .forEach((k, v) -> m.put((String) k, ((Number) v).longValue()));
      }
      return m;
    }
  }

  /**
   * Counts and logs a worker's exception and lets the worker go on with the next event. The
   * Disruptor's default handler would stop the worker thread, and with it a whole shard.
   */
  private final class CountingExceptionHandler implements ExceptionHandler<PacketEvent> {
    private final Worker worker;

    CountingExceptionHandler(Worker worker) {
      this.worker = worker;
    }

    @Override
    public void handleEventException(Throwable ex, long sequence, PacketEvent event) {
      worker.exceptions.incrementAndGet();
      if (exceptionsLogged.getAndIncrement() < 10) {
        log.println("mirrorsensor: worker " + worker.index + " failed on a packet (counted,"
            + " going on): " + ex);
        ex.printStackTrace(log);
      }
      worker.done.lazySet(sequence);
    }

    @Override
    public void handleOnStartException(Throwable ex) {
      log.println("mirrorsensor: worker " + worker.index + " failed to start: " + ex);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {
      log.println("mirrorsensor: worker " + worker.index + " failed to stop: " + ex);
    }
  }
}

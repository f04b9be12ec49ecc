package io.mirrorsensor.sensor.live;

import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.engine.RuleSetStatus;
import io.mirrorsensor.sensor.output.EveWriter;
import io.mirrorsensor.sensor.pipeline.Pipeline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A live run: the {@link VxlanListener} feeding the {@link Pipeline}, a ticker that moves the
 * workers' packet time forward once a second (flows of a quiet source still time out) and writes
 * a {@code stats} event every {@code live.stats_interval}, and the shutdown path.
 *
 * <p>Call order: {@link #start}, then {@link #stop} once (from any thread, e.g. a shutdown hook);
 * {@link #stop} stops receiving, drains the rings, ends every flow, writes the final stats event,
 * flushes and closes the outputs, and returns the summary.
 */
public final class LiveRunner {
  private static final long TICK_NANOS = 1_000_000_000L;
  private static final long SNAPSHOT_TIMEOUT_NANOS = 2_000_000_000L;
  /**
   * How long {@link #stop} keeps reading datagrams the kernel already holds for us before it
   * closes the sockets: a socket closed with datagrams queued discards them, and no kernel counter
   * says so (the cause of the lost datagrams of LiveListenerTest under CPU load, issue 4).
   */
  private static final long DRAIN_TIMEOUT_NANOS = 2_000_000_000L;

  private final SensorConfig config;
  private final String bindAddress;
  private final int requestedPort;
  /** -1: no GENEVE sockets; 0: a free port (tests). */
  private final int requestedGenevePort;
  private final Outputs outputs;
  private final PrintStream log;
  private final LiveClock clock = new LiveClock();
  private Pipeline pipe;
  private VxlanListener listener;
  /** The GENEVE sockets, or null when GENEVE is off. */
  private VxlanListener geneve;
  private Thread ticker;
  private volatile boolean stopping;
  private long startNanos;
  /** Stats events the output queue had no room for (written by the ticker). */
  private volatile long statsDropped;
  /** Stats events queued for the output by the ticker (the final one is the outputs'). */
  private volatile long statsQueued;
  /** The rule set in force (detect.rules), or null without rules. */
  private RuleSetStatus rules;
  private LiveSummary summary;
  private final Runnable afterEachPacket;
  /** Ops hook (io.mirrorsensor.sensor.ops): gets every snapshot the ticker takes; may be null. */
  private volatile java.util.function.Consumer<Snapshot> snapshotListener;
  private long snapshotPeriodNanos = Long.MAX_VALUE;

  /** VXLAN on {@code port} only (no GENEVE sockets). */
  public LiveRunner(SensorConfig config, String bindAddress, int port, Outputs outputs,
      PrintStream log) {
    this(config, bindAddress, port, -1, outputs, log, null);
  }

  /**
   * VXLAN on {@code port} and GENEVE from a Gateway Load Balancer on {@code genevePort} (-1: no
   * GENEVE sockets; 0: a free port).
   */
  public LiveRunner(SensorConfig config, String bindAddress, int port, int genevePort,
      Outputs outputs, PrintStream log) {
    this(config, bindAddress, port, genevePort, outputs, log, null);
  }

  /** With a hook each worker runs after each packet (tests: a deliberately slow worker). */
  LiveRunner(SensorConfig config, String bindAddress, int port, int genevePort, Outputs outputs,
      PrintStream log, Runnable afterEachPacket) {
    if (genevePort >= 0 && config.live().genevePorts().isEmpty()) {
      throw new IllegalArgumentException(
          "GENEVE sockets need geneve.ports: the decoder would not take their datagrams");
    }
    this.afterEachPacket = afterEachPacket;
    this.config = config;
    this.bindAddress = bindAddress;
    this.requestedPort = port;
    this.requestedGenevePort = genevePort;
    this.outputs = outputs;
    this.log = log;
  }

  /** Starts the workers and binds the sockets; returns once packets are being received. */
  public synchronized void start() throws InterruptedException {
    startNanos = System.nanoTime();
    rules = config.rules() == null ? null
        : new RuleSetStatus(config.rules(), System.currentTimeMillis());
    pipe = Pipeline.start(config, outputs, Pipeline.Mode.LIVE, log, afterEachPacket);
    try {
      listener = VxlanListener.bind(VxlanDatagramHandler.Encapsulation.VXLAN, bindAddress,
          requestedPort, config.live(), pipe, clock, config.vxlanPorts()[0], log);
      if (requestedGenevePort >= 0) {
        try {
          geneve = VxlanListener.bind(VxlanDatagramHandler.Encapsulation.GENEVE, bindAddress,
              requestedGenevePort, config.live(), pipe, clock,
              config.live().genevePorts().get(0), log);
        } catch (InterruptedException | RuntimeException e) {
          listener.close();
          throw e;
        }
      }
    } catch (InterruptedException | RuntimeException e) {
      pipe.finish(Long.MIN_VALUE);
      outputs.close();
      throw e;
    }
    ticker = new Thread(this::tick, "mirrorsensor-ticker");
    ticker.setDaemon(true);
    ticker.start();
  }

  /** The UDP port the listener is bound to (the chosen one when started with port 0). */
  public int port() {
    return listener.port;
  }

  /** The GENEVE port (the chosen one when started with 0), or -1 when GENEVE is off. */
  public int genevePort() {
    return geneve == null ? -1 : geneve.port;
  }

  private List<VxlanListener> listeners() {
    return geneve == null ? List.of(listener) : List.of(listener, geneve);
  }

  /** Kernel drops of the sockets of every listener (-1 when unknown). */
  private long kernelDrops() {
    long sum = -1;
    for (VxlanListener l : listeners()) {
      long d = KernelDrops.read(l.port);
      if (d >= 0) {
        sum = Math.max(sum, 0) + d;
      }
    }
    return sum;
  }

  /** Bytes queued unread in the kernel for our sockets (-1 when unknown). */
  private long queuedBytes() {
    long sum = -1;
    for (VxlanListener l : listeners()) {
      long q = KernelDrops.queuedBytes(l.port);
      if (q >= 0) {
        sum = Math.max(sum, 0) + q;
      }
    }
    return sum;
  }

  /** True when the epoll transport (SO_REUSEPORT, several loops) is in use. */
  public boolean epoll() {
    return listener.epoll;
  }

  /**
   * How the sockets read many datagrams per system call: {@code "UDP GRO"}, {@code "recvmmsg"}
   * or {@code "one datagram per read"}.
   */
  public String readMode() {
    if (listener.udpGro) {
      return "UDP GRO";
    }
    return listener.epoll && listener.receiveBatch > 1 ? "recvmmsg" : "one datagram per read";
  }

  public int receiveBufferBytes() {
    return listener.receiveBuffer;
  }

  public int workers() {
    return pipe.workers();
  }

  public int eventLoops() {
    return listener.handlers.size(); // the GENEVE sockets, when on, have as many loops
  }

  /**
   * One snapshot of the live counters, handed to the ops listener on the ticker thread.
   *
   * @param stats the nested map the EVE {@code stats} event is written from (StatsValues unrendered)
   * @param ringFill slots in use per worker ring when the snapshot was taken
   * @param workersAnswered false when a worker did not answer the snapshot within its timeout
   * @param statsEvent true when this snapshot was also written as an EVE stats event
   */
  public record Snapshot(Map<String, Object> stats, double uptimeSeconds, long wallMillis,
      long[] ringFill, boolean workersAnswered, boolean statsEvent) {}

  /**
   * Registers the ops listener (before {@link #start}): it gets every EVE stats snapshot and, in
   * between, one every {@code periodNanos} (rounded up to the 1 s tick), without an EVE event.
   */
  public void onSnapshot(java.util.function.Consumer<Snapshot> listener, long periodNanos) {
    this.snapshotListener = listener;
    this.snapshotPeriodNanos = Math.max(TICK_NANOS, periodNanos);
  }

  private void publish(Map<String, Object> stats, boolean answered, boolean statsEvent) {
    java.util.function.Consumer<Snapshot> l = snapshotListener;
    if (l == null) {
      return;
    }
    long[] fill = new long[pipe.workers()];
    for (int i = 0; i < fill.length; i++) {
      fill[i] = pipe.ringFill(i);
    }
    try {
      l.accept(new Snapshot(stats, uptime(), System.currentTimeMillis(), fill, answered,
          statsEvent));
    } catch (RuntimeException e) {
      log.println("mirrorsensor: ops snapshot listener failed (going on): " + e);
    }
  }

  private void tick() {
    long interval = config.live().statsIntervalNanos();
    long nextStats = interval > 0 ? System.nanoTime() + interval : Long.MAX_VALUE;
    long nextOps = System.nanoTime();
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
        nextOps = System.nanoTime() + snapshotPeriodNanos;
      } else if (snapshotListener != null && System.nanoTime() >= nextOps) {
        nextOps = System.nanoTime() + snapshotPeriodNanos;
        long t0 = System.nanoTime();
        Pipeline.Totals t = pipe.snapshot(SNAPSHOT_TIMEOUT_NANOS);
        boolean answered = System.nanoTime() - t0 < SNAPSHOT_TIMEOUT_NANOS;
        publish(stats(t, counters(), KernelDrops.read(listener.port)), answered, false);
      }
    }
  }

  private void writeStatsEvent() {
    long t0 = System.nanoTime();
    Pipeline.Totals t = pipe.snapshot(SNAPSHOT_TIMEOUT_NANOS);
    boolean answered = System.nanoTime() - t0 < SNAPSHOT_TIMEOUT_NANOS;
    Map<String, Object> stats = stats(t, counters(), kernelDrops());
    ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
    try (EveWriter eve = new EveWriter(buf, config)) {
      eve.stats(clock.nowNanos(), uptime(), stats);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a memory stream does not fail
    }
    if (!pipe.submitEncoded(buf.toByteArray())) {
      statsDropped++;
    } else {
      statsQueued++;
    }
    publish(stats, answered, true);
  }

  /**
   * The {@code extract} events the output side wrote (one per pcap extract closed; the extract
   * writer's count, read racily: it may lag by the events being written now).
   */
  private void putExtractEvents(Map<String, Object> events) {
    Long closed = outputs.extractWriterStats().get("files_closed");
    if (closed != null && closed > 0) {
      events.put("extract", closed);
    }
  }

  /** Reading the stats maps (sections may be absent). */
  private static final class StatsMaps {
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key) {
      Object o = m.get(key);
      return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }
  }

  private double uptime() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The listener counters summed over the receive loops. */
  ListenerTotals counters() {
    ListenerTotals s = new ListenerTotals();
    for (VxlanDatagramHandler h : handlers()) {
      ListenerCounters c = h.counters;
      s.byEncapsulation.merge(h.encapsulation.id, c.received.get(), Long::sum);
      s.notGeneve += c.notGeneve.get();
      s.received += c.received.get();
      s.receivedBytes += c.receivedBytes.get();
      s.published += c.published.get();
      s.notVxlan += c.notVxlan.get();
      s.sourceNotAllowed += c.sourceNotAllowed.get();
      s.vniNotAllowed += c.vniNotAllowed.get();
      s.oversized += c.oversized.get();
      s.ringFull += c.ringFull.get();
      s.ringHighWater = Math.max(s.ringHighWater, c.ringHighWater.get());
      ListenerCounters.PerVni v = c.perVni;
      for (int i = 0; i <= ListenerCounters.PerVni.SLOTS; i++) {
        long n = v.packets.get(i); // read before the key: a counted slot's key is published
        int vni = v.vni(i);
        if (n == 0 || vni == -2) {
          continue;
        }
        long[] e = s.perVni.computeIfAbsent(vni, k -> new long[3]);
        e[0] += n;
        e[1] += v.bytes.get(i);
        e[2] += v.dropped.get(i);
      }
    }
    return s;
  }

  private List<VxlanDatagramHandler> handlers() {
    List<VxlanDatagramHandler> all = new java.util.ArrayList<>(listener.handlers);
    if (geneve != null) {
      all.addAll(geneve.handlers);
    }
    return all;
  }

  /** Listener counters of the whole run. */
  static final class ListenerTotals {
    /** Datagrams received per encapsulation ({@code vxlan}, {@code geneve} when on). */
    final Map<String, Long> byEncapsulation = new LinkedHashMap<>();
    long notGeneve;
    long received;
    long receivedBytes;
    long published;
    long notVxlan;
    long sourceNotAllowed;
    long vniNotAllowed;
    long oversized;
    long ringFull;
    long ringHighWater;
    /** Per VNI ({@link ListenerCounters.PerVni#OTHER}: the overflow): received, bytes, dropped. */
    final Map<Integer, long[]> perVni = new java.util.TreeMap<>();

    long dropped() {
      return notVxlan + notGeneve + sourceNotAllowed + vniNotAllowed + oversized + ringFull;
    }

    Map<String, Object> droppedByReason() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("not_vxlan", notVxlan);
      m.put("not_geneve", notGeneve);
      m.put("source_not_allowed", sourceNotAllowed);
      m.put("vni_not_allowed", vniNotAllowed);
      m.put("oversized", oversized);
      m.put("ring_full", ringFull);
      return m;
    }
  }

  /**
   * The live stats event (shared/EVE.md {@code stats}): {@code capture} (datagrams received,
   * processed by the workers, dropped by reason, kernel drops), the workers' decoder and flow
   * counters summed, {@code ring}, {@code output}, receive-to-processed {@code latency_us}, and
   * packets and bytes per VNI.
   */
  private Map<String, Object> stats(Pipeline.Totals t, ListenerTotals l, long kernelDrops) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> capture = new LinkedHashMap<>();
    capture.put("received", l.received);
    capture.put("encapsulation", new LinkedHashMap<>(l.byEncapsulation));
    capture.put("bytes", l.receivedBytes);
    capture.put("processed", t.get("capture.received"));
    capture.put("dropped", l.droppedByReason());
    capture.put("kernel_drops", kernelDrops);
    if (!l.perVni.isEmpty()) {
      Map<String, Object> vnis = new LinkedHashMap<>();
      l.perVni.forEach((vni, c) -> {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("received", c[0]);
        e.put("bytes", c[1]);
        e.put("dropped", c[2]);
        vnis.put(vni == ListenerCounters.PerVni.OTHER ? "other" : Integer.toString(vni), e);
      });
      capture.put("per_vni", vnis);
    }
    m.put("capture", capture);
    m.put("decoder", t.stats.getOrDefault("decoder", Map.of()));
    Map<String, Object> ring = new LinkedHashMap<>();
    ring.put("size", (long) pipe.ringSize());
    ring.put("workers", (long) pipe.workers());
    ring.put("full_drops", l.ringFull);
    ring.put("high_water", l.ringHighWater);
    m.put("ring", ring);
    t.putFlowSections(m);
    if (rules != null) {
      Map<String, Object> detect = new LinkedHashMap<>(StatsMaps.map(m, "detect"));
      detect.put("rules", rules.stats(System.currentTimeMillis()));
      m.put("detect", detect);
    }
    if (t.stats.get("app") != null) {
      m.put("app", t.stats.get("app"));
    }
    Map<String, Object> events = new java.util.TreeMap<>(StatsMaps.map(t.stats, "events"));
    events.merge("stats", statsQueued, (a, b) -> ((Number) a).longValue() + (Long) b);
    putExtractEvents(events);
    m.put("events", events);
    t.putOutputSections(m, outputs.writeErrors(), statsDropped);
    Histogram h = t.latency;
    if (h.getTotalCount() > 0) {
      Map<String, Object> lat = new LinkedHashMap<>();
      lat.put("p50", h.getValueAtPercentile(50) / 1000);
      lat.put("p90", h.getValueAtPercentile(90) / 1000);
      lat.put("p99", h.getValueAtPercentile(99) / 1000);
      lat.put("p99_9", h.getValueAtPercentile(99.9) / 1000);
      lat.put("max", h.getMaxValue() / 1000);
      lat.put("count", h.getTotalCount());
      lat.put("sum", t.latencySumNanos / 1000);
      m.put("latency_us", lat);
    }
    if (t.stats.get("receive_to_event_ms") != null) {
      m.put("receive_to_event_ms", t.stats.get("receive_to_event_ms"));
    }
    t.putVni(m);
    return m;
  }

  /**
   * Stops receiving, drains the rings, ends every flow, writes the final stats event, flushes and
   * closes the outputs. Safe to call more than once (later calls return the first summary).
   */
  public synchronized LiveSummary stop() {
    if (summary != null) {
      return summary;
    }
    stopping = true;
    ticker.interrupt();
    try {
      ticker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Drain: the loops go on reading what the kernel already queued for us (a closed socket
    // discards its queue uncounted), until the queues are empty or the deadline passes (a sender
    // that never stops). What is left is reported in bytes: the kernel does not count datagrams.
    long receivedAtStop = counters().received;
    long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
    long unread;
    while ((unread = queuedBytes()) > 0 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
    }
    long drained = counters().received - receivedAtStop;
    // Read while the sockets exist: /proc/net/udp forgets a socket once it is closed.
    long kernelDrops = kernelDrops();
    listener.close(); // no datagram is in a loop after this: every one received is counted
    if (geneve != null) {
      geneve.close();
    }
    Pipeline.Totals t = pipe.finish(clock.nowNanos());
    ListenerTotals l = counters();
    Map<String, Object> stats = stats(t, l, kernelDrops);
    @SuppressWarnings("unchecked")
    Map<String, Object> capture = (Map<String, Object>) stats.get("capture");
    capture.put("drained_at_stop", drained);
    capture.put("kernel_unread_bytes_at_close", unread);
    outputs.stats(clock.nowNanos(), uptime(), stats);
    // The ops side's last interval (EMF): its event counts are the run's final ones, the
    // shutdown's flow records and this final stats event included.
    Map<String, Long> events = new java.util.TreeMap<>(t.eventsByType);
    outputs.eventsByType().forEach((k, v) -> events.merge(k, v, Long::sum));
    events.merge("stats", statsQueued, Long::sum);
    Map<String, Object> allEvents = new java.util.TreeMap<String, Object>(events);
    putExtractEvents(allEvents);
    if (allEvents.get("extract") != null) {
      events.put("extract", (Long) allEvents.get("extract"));
    }
    stats.put("events", allEvents);
    publish(stats, true, true);
    outputs.close();
    summary = new LiveSummary(l.received, new LinkedHashMap<>(l.byEncapsulation),
        l.receivedBytes, t.get("capture.received"),
        l.droppedByReason(), kernelDrops, drained, unread, t.get("flow.created"),
        t.recordsByReason.values().stream().mapToLong(Long::longValue).sum(),
        t.get("flow.mirror_duplicates"), events, t.perVni, t.exceptions, t.droppedEvents,
        outputs.writeErrors(), t.latency, System.nanoTime() - startNanos,
        List.of(outputs.eveFile().toString(), outputs.flowLogFile().toString()));
    return summary;
  }
}

package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.Anomaly;
import io.mirrorsensor.decode.DecodeCounter;
import io.mirrorsensor.decode.DecodeCounters;
import io.mirrorsensor.decode.DecodeStatus;
import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.PacketDecoder;
import io.mirrorsensor.decode.app.AppFinding;
import io.mirrorsensor.decode.tcp.TcpAnalysis;
import io.mirrorsensor.decode.tcp.TcpFinding;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.flow.EndReason;
import io.mirrorsensor.sensor.flow.Flow;
import io.mirrorsensor.sensor.flow.StreamConsumerFactory;
import io.mirrorsensor.sensor.flow.FlowTable;
import io.mirrorsensor.sensor.flow.FlowPackets;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One worker's packet path: decode, anomalies (rate-limited events, full counts), mirror-duplicate
 * check and flow accounting. Replay drives it from the reading thread; live capture will drive one
 * per worker from a ring. Not thread-safe: one owning thread.
 *
 * <p>Call order: {@link #process} for every frame in capture order, then {@link #finish} once.
 */
public final class PacketProcessor {
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final SensorConfig config;
  private final EventSink outputs;
  private final PacketDecoder decoder;
  private final DecodedPacket packet = new DecodedPacket();
  private final FlowTable flows;
  /** HTTP and DNS parsers, or null when {@code app.parsers} is off. */
  private final AppLayer app;
  /** The rule check, or null without rules. */
  private final RuleStage rules;

  private final long[] statusCounts = new long[DecodeStatus.values().length];
  private final long[] anomalyCounts = new long[Anomaly.values().length];
  private final long[] anomalyWindow = new long[Anomaly.values().length];
  private final int[] anomalyInWindow = new int[Anomaly.values().length];
  private long packets;
  private long bytes;
  private long noFlowKey;
  private long lastTs;

  // Per-VNI packet and byte counts, with a one-entry cache so the usual case does not box.
  private final Map<Integer, long[]> perVni = new TreeMap<>();
  /**
   * {@link #perVni} entries by {@code vni & (VNI_CACHE - 1)}: packets of a few mirror sessions
   * interleave, and a TreeMap lookup (boxing a VNI above 127) per packet showed in live profiles.
   */
  private static final int VNI_CACHE = 16;
  private final int[] cachedVni = new int[VNI_CACHE];
  private final long[][] cachedVniCounts = new long[VNI_CACHE][];

  public PacketProcessor(SensorConfig config, EventSink outputs) {
    this.config = config;
    this.outputs = outputs;
    this.decoder = new PacketDecoder(config.decoderConfig());
    this.rules = config.rules() == null ? null : new RuleStage(config.rules(), outputs);
    // Code that plugged its own stream consumers in (tests) keeps them; otherwise the app layer
    // consumes the streams.
    StreamConsumerFactory own = config.streamConsumers().get();
    boolean custom = own != null && own != StreamConsumerFactory.NONE;
    this.app = config.appParsers() && !custom ? new AppLayer(outputs, config) : null;
    if (app != null && rules != null) {
      app.rules(rules);
      rules.app(app);
    }
    StreamConsumerFactory chosen = app != null ? app
        : own == null ? StreamConsumerFactory.NONE : own;
    if (rules != null && (chosen != StreamConsumerFactory.NONE || rules.wantsStreams())) {
      // the stream rules tap every reassembled direction (and have streams reassembled)
      StreamConsumerFactory inner = chosen;
      RuleStage stage = rules;
      chosen = (flow, toServer) -> stage.streamSink(flow, toServer, inner.open(flow, toServer));
    }
    StreamConsumerFactory consumers = chosen;
    this.flows = new FlowTable(config.withStreamConsumers(() -> consumers),
        app != null ? app : outputs);
    flows.extractTap(outputs instanceof FlowPackets.Tap ? (FlowPackets.Tap) outputs : null);
  }

  /**
   * Reports every rule alert, and explanations of rules {@code explainSids}, to {@code t} (for
   * {@code mirrorsensor rules test}; call before the first packet). No-op without rules.
   */
  public void trace(RuleTrace t, long[] explainSids) {
    if (rules != null) {
      rules.trace(t, explainSids);
    }
  }

  /**
   * Processes one captured frame. {@code buf} stays the caller's; nothing refers to it after the
   * call returns.
   *
   * @param pcapCnt 1-based record number in the input (0 when live)
   */
  public void process(byte[] buf, int off, int capLen, int origLen, int linkType, long tsNanos,
      long pcapCnt) {
    packets++;
    bytes += capLen;
    if (tsNanos > lastTs) {
      lastTs = tsNanos;
    }
    DecodedPacket p = packet;
    DecodeStatus st = decoder.decode(buf, off, capLen, origLen, linkType, tsNanos, p);
    statusCounts[st.ordinal()]++;
    if (p.anomalyCount > 0) {
      anomalies(p, pcapCnt);
    }
    if (st == DecodeStatus.FRAGMENT_HELD) {
      return;
    }
    if (p.vni >= 0) {
      countVni(p.vni, p.ipWireLength > 0 ? p.ipWireLength : capLen);
    }
    if (!p.hasFlowKey()) {
      noFlowKey++;
      return;
    }
    int network = config.networkOf(p.vni);
    if (app != null) {
      app.now(p.tsNanos);
    }
    flows.frameOffset(off);
    Flow f = flows.packet(p, network, FlowKey.hash(p, network), pcapCnt);
    if (f == null) {
      return; // a mirror duplicate: counted, not analysed twice
    }
    if (app != null && p.ipProto == 17) {
      app.udp(f, p);
    }
    if (rules != null) {
      rules.inspect(f, p, pcapCnt);
    }
  }

  private void countVni(int vni, long len) {
    int slot = vni & (VNI_CACHE - 1);
    long[] c = cachedVniCounts[slot];
    if (c == null || cachedVni[slot] != vni) {
      c = perVni.computeIfAbsent(vni, v -> new long[2]);
      cachedVni[slot] = vni;
      cachedVniCounts[slot] = c;
    }
    c[0]++;
    c[1] += len;
  }

  private void anomalies(DecodedPacket p, long pcapCnt) {
    int n = Math.min(p.anomalyCount, DecodedPacket.MAX_ANOMALIES);
    for (int i = 0; i < n; i++) {
      Anomaly a = p.anomalies[i];
      int k = a.ordinal();
      anomalyCounts[k]++;
      // Rate limit per id, in minutes of packet time.
      long minute = Math.floorDiv(p.tsNanos, MINUTE_NANOS);
      if (anomalyWindow[k] != minute) {
        anomalyWindow[k] = minute;
        anomalyInWindow[k] = 0;
      }
      if (anomalyInWindow[k] < config.anomalyEventsPerIdPerMinute()) {
        anomalyInWindow[k]++;
        FlowKey key = p.hasFlowKey() ? FlowKey.of(p, config.networkOf(p.vni)) : null;
        outputs.anomaly(a, p.tsNanos, pcapCnt, key, p.vni);
      }
    }
  }

  /** Ends every flow (reason shutdown) so that its record is written. */
  public void finish() {
    flows.endAll(EndReason.SHUTDOWN);
  }

  /**
   * The counters by stage, as the EVE {@code stats} event nests them (shared/EVE.md): capture,
   * decoder (packets per layer, anomalies by id), flow, output. Every packet received is either
   * decoded into a flow, held as a fragment, or counted under {@code decoder.no_flow_key}.
   */
  public Map<String, Object> stats(long writeErrors) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    Map<String, Object> capture = new java.util.LinkedHashMap<>();
    capture.put("received", packets);
    capture.put("bytes", bytes);
    m.put("capture", capture);
    Map<String, Object> dec = new java.util.LinkedHashMap<>();
    DecodeCounters c = decoder.counters();
    for (DecodeCounter k : DecodeCounter.values()) {
      long v = c.get(k);
      if (v > 0) {
        dec.put(k.id(), v);
      }
    }
    dec.put("no_flow_key", noFlowKey);
    Map<String, Long> anomalies = anomaliesById();
    if (!anomalies.isEmpty()) {
      dec.put("anomalies", anomalies);
    }
    m.put("decoder", dec);
    Map<String, Object> flow = new java.util.LinkedHashMap<>();
    flow.put("packets", flows.packets());
    flow.put("created", flows.created());
    flow.put("active", (long) flows.active());
    flow.put("high_water", (long) flows.highWater());
    flow.put("timed_out", flows.timedOut());
    flow.put("evicted", flows.evicted());
    flow.put("active_timeout_records", flows.activeRecords());
    flow.put("mirror_duplicates", flows.mirrorDuplicates());
    m.put("flow", flow);
    m.put("tcp", tcpStats());
    m.put("detect", detectStats());
    if (app != null) {
      m.put("app", app.stats());
    }
    Map<String, Object> extract = flows.extractStats();
    if (extract != null) {
      m.put("extract", extract);
    }
    Map<String, Object> output = new java.util.LinkedHashMap<>();
    output.put("write_errors", writeErrors);
    m.put("output", output);
    return m;
  }

  /**
   * {@code stats.tcp} (docs/EVE.md): packets flagged by the tracker, by tshark's analysis name;
   * resets; stream reassembly counters and its bounds' hits; per VNI the SYN RTT histogram and the
   * mirror-loss estimate (values the pipeline merges across workers, see {@link
   * io.mirrorsensor.sensor.output.StatsValue}).
   */
  private Map<String, Object> tcpStats() {
    Map<String, Object> tcp = new java.util.LinkedHashMap<>();
    Map<String, Object> analysis = new java.util.LinkedHashMap<>();
    for (int bit = 0; bit < TcpAnalysis.COUNT; bit++) {
      analysis.put(TcpAnalysis.name(bit), flows.analysisTotal(bit));
    }
    tcp.put("analysis", analysis);
    tcp.put("resets", flows.tcpResets());
    Map<String, Object> re = new java.util.LinkedHashMap<>();
    re.put("streams", flows.streamsOpened());
    re.put("depth_reached", flows.streamsDepthReached());
    re.put("bound_hits", flows.streamBoundHits());
    re.put("memcap_refusals", flows.streamMemcapRefusals());
    re.put("buffered_bytes", flows.streamBufferedBytes());
    tcp.put("reassembly", re);
    // Keyed by VNI text; "none": not tunnelled, "other": VNIs beyond the per-shard bound.
    Map<String, Object> perVniTcp = new TreeMap<>();
    flows.vniTcpStats().forEach((vni, st) -> perVniTcp.put(
        vni < 0 ? "none" : vni == Integer.MAX_VALUE ? "other" : Integer.toString(vni), st));
    tcp.put("per_vni", perVniTcp);
    return tcp;
  }

  /** {@code stats.detect}: alerts written by the built-in detectors, in all and by gid:sid. */
  private Map<String, Object> detectStats() {
    Map<String, Object> detect = new java.util.LinkedHashMap<>();
    Map<String, Object> bySid = new java.util.LinkedHashMap<>();
    long all = 0;
    for (TcpFinding f : TcpFinding.values()) {
      long n = flows.findings(f);
      all += n;
      bySid.put(TcpFinding.GID + ":" + f.sid(), n);
    }
    for (AppFinding f : AppFinding.values()) {
      long n = app == null ? 0 : app.findings(f);
      all += n;
      bySid.put(AppFinding.GID + ":" + f.sid(), n);
    }
    if (rules != null) {
      all += rules.alerts();
      detect.put("rule_alerts", rules.alerts());
      detect.put("rule_candidates_evaluated", rules.candidatesEvaluated());
      detect.put("rule_stream_chunks", rules.streamChunks());
      detect.put("rule_stream_bytes", rules.streamBytes());
    }
    detect.put("alerts", all);
    detect.put("by_sid", bySid);
    return detect;
  }

  public long packets() {
    return packets;
  }

  public long bytes() {
    return bytes;
  }

  public long lastTimestamp() {
    return lastTs;
  }

  public FlowTable flows() {
    return flows;
  }

  public PacketDecoder decoder() {
    return decoder;
  }

  /** Anomalies seen, by stable id, with full counts (not rate-limited). */
  public Map<String, Long> anomaliesById() {
    Map<String, Long> m = new TreeMap<>();
    for (Anomaly a : Anomaly.values()) {
      if (anomalyCounts[a.ordinal()] > 0) {
        m.put(a.id(), anomalyCounts[a.ordinal()]);
      }
    }
    return m;
  }

  public Map<DecodeStatus, Long> statusCounts() {
    Map<DecodeStatus, Long> m = new EnumMap<>(DecodeStatus.class);
    for (DecodeStatus s : DecodeStatus.values()) {
      m.put(s, statusCounts[s.ordinal()]);
    }
    return m;
  }

  /** Packets that carried no flow key (non-IP, unreassembled fragments, malformed). */
  public long noFlowKey() {
    return noFlowKey;
  }

  /** VNI -> {packets, bytes}. */
  public Map<Integer, long[]> perVni() {
    return perVni;
  }
}

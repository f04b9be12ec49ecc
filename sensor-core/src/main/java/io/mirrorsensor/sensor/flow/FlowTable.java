package io.mirrorsensor.sensor.flow;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.MirrorSignature;
import io.mirrorsensor.decode.tcp.ReassemblyBudget;
import io.mirrorsensor.decode.tcp.StreamReassembler;
import io.mirrorsensor.decode.tcp.StreamSink;
import io.mirrorsensor.decode.tcp.TcpAnalysis;
import io.mirrorsensor.decode.tcp.TcpConfig;
import io.mirrorsensor.decode.tcp.TcpConnection;
import io.mirrorsensor.decode.tcp.TcpFinding;
import io.mirrorsensor.sensor.config.SensorConfig;

/**
 * One shard of the flow table: open addressing (linear probing, backward-shift deletion) keyed by
 * the direction-independent {@link FlowKey#hash}, plus three intrusive LRU lists, one per timeout
 * lane, so that expiry only ever looks at list heads. Time is packet time only.
 *
 * <p>Call order, all from the one owning thread: {@link #packet} for every decoded packet with a
 * flow key, in capture order; {@link #advance} whenever time moves without a packet (optional);
 * {@link #endAll} once at the end. Looking a flow up allocates nothing; a new flow allocates its
 * {@link Flow} and {@link FlowKey}.
 *
 * <p>TCP payload goes to the consumers of {@link SensorConfig#streamConsumers()} (call order in
 * {@link StreamConsumerFactory}): each direction that has a consumer gets a {@link
 * StreamReassembler}, created on its first payload byte, bounded by {@code tcp.reassembly.depth}
 * per direction, {@code tcp.reassembly.max_segments} out-of-order segments per direction and this
 * shard's {@link ReassemblyBudget} ({@code tcp.reassembly.memcap}). Reaching the depth ends that
 * direction's stream (the flow goes on, its content untracked); reaching the other two turns a
 * hole into an announced gap. Each is counted. Mirror duplicates never reach a reassembler.
 */
public final class FlowTable {
  static final int LANE_IDLE = 0;
  static final int LANE_ESTABLISHED = 1;
  static final int LANE_CLOSED = 2;
  private static final int LANES = 3;
  private static final long FLOW_ID_MASK = (1L << 51) - 1;
  private static final int TCP_FIN = 0x01;
  private static final int TCP_SYN = 0x02;
  private static final int TCP_RST = 0x04;
  private static final int TCP_ACK = 0x10;
  /** Packets remembered per flow to recognise mirror duplicates: sets x ways. */
  static final int DUPLICATE_SETS = 4;
  static final int DUPLICATE_WAYS = 4;
  static final int DUPLICATE_MEMORY = DUPLICATE_SETS * DUPLICATE_WAYS;

  private final FlowSink sink;
  private final int maxFlows;
  private final int maxCapacity;
  private final long[] laneTimeout = new long[LANES];
  /**
   * A flow is moved to its lane's tail at most once per this much packet time (min(1 s, timeout /
   * 16)), not on every packet: relinking touches three other flows' memory, which at 200k flows
   * cost more than the rest of the lookup. The price: a flow ends up to this much late.
   */
  private final long[] laneGranularity = new long[LANES];
  /** Lane entries looked at when choosing a flow to evict (the lanes are only nearly in order). */
  private static final int EVICTION_CANDIDATES = 8;
  private final long activeTimeout;
  private final long dupWindow;
  private final TcpConfig tcpConfig;
  private static final TcpFinding[] FINDINGS = TcpFinding.values();
  private final StreamConsumerFactory streamConsumers;
  /** False with {@link StreamConsumerFactory#NONE}: the packet path skips reassembly entirely. */
  private final boolean reassemble;
  private final ReassemblyBudget budget;

  /** Recent packets per flow for extracts; null when off or nothing consumes them. */
  private FlowPackets packetBuffers;
  private FlowPackets.Tap extractTap;
  /** Offset of the current frame in the decoded packet's buffer (see {@link #frameOffset}). */
  private int frameOff;

  private Flow[] slots;
  private long[] slotHash;
  private int mask;
  private int size;

  private final Flow[] laneHead = new Flow[LANES];
  private final Flow[] laneTail = new Flow[LANES];

  private long now = Long.MIN_VALUE;

  // Counters: written by the owning thread, read by others only after it has finished.
  private long created;
  private long timedOut;
  private long evicted;
  private long activeRecords;
  private long duplicates;
  private long packets;
  private final long[] findings = new long[FINDINGS.length];
  private int highWater;
  private final long[] analysisTotals = new long[TcpAnalysis.COUNT];
  private long tcpResets;
  /**
   * Per-VNI TCP stats by VNI (-1: not tunnelled); at most {@link #MAX_VNI_STATS}, the rest share
   * {@link #otherVnis}. Looked up once per new TCP flow, never per packet.
   */
  private final java.util.Map<Integer, VniTcpStats> vniStats = new java.util.TreeMap<>();
  /**
   * Bound on VNIs with their own TCP stats per shard: each holds a 130 KB histogram. AWS allows a
   * few mirror sessions per source ENI; a target rarely serves more than this many.
   */
  static final int MAX_VNI_STATS = 1024;
  private VniTcpStats otherVnis;
  private long streamsOpened;
  private long streamsDepthReached;
  private long streamBoundHits;
  private long streamBytesDelivered;
  private long streamGapBytes;

  public FlowTable(SensorConfig config, FlowSink sink) {
    this.sink = sink;
    this.maxFlows = config.maxFlows();
    this.maxCapacity = Integer.highestOneBit(Math.max(16, maxFlows - 1)) << 2;
    this.laneTimeout[LANE_IDLE] = config.flowIdleTimeoutNanos();
    this.laneTimeout[LANE_ESTABLISHED] = config.tcpEstablishedTimeoutNanos();
    this.laneTimeout[LANE_CLOSED] = config.tcpClosedTimeoutNanos();
    for (int lane = 0; lane < LANES; lane++) {
      laneGranularity[lane] = Math.min(1_000_000_000L, laneTimeout[lane] / 16);
    }
    this.activeTimeout = config.activeTimeoutNanos();
    this.dupWindow = config.mirrorDuplicateWindowNanos();
    this.tcpConfig = config.tcp();
    StreamConsumerFactory streams = config.streamConsumers().get();
    this.streamConsumers = streams == null ? StreamConsumerFactory.NONE : streams;
    this.reassemble = this.streamConsumers != StreamConsumerFactory.NONE;
    this.budget = new ReassemblyBudget(tcpConfig.reassemblyMemcap());
    int cap = Math.min(1 << 12, maxCapacity);
    this.slots = new Flow[cap];
    this.slotHash = new long[cap];
    this.mask = cap - 1;
    this.packetBuffers = config.extract() != null && config.extract().enabled()
        ? new FlowPackets(config.extract()) : null;
  }

  /**
   * Connects the extract side: {@code tap} receives the packets of flows with an extract and every
   * flow's end. Without a tap (null) no packet is buffered.
   */
  public void extractTap(FlowPackets.Tap tap) {
    if (tap == null || packetBuffers == null) {
      packetBuffers = null;
      return;
    }
    packetBuffers.tap(tap);
    extractTap = tap;
    tap.attach(packetBuffers);
  }

  /**
   * {@code stats.extract}: the tap's counters; null when extracts are off, or before anything
   * worth reporting happened (no extract started, the memcap never reached), so that a run
   * without findings writes the stats it always wrote.
   */
  public java.util.Map<String, Object> extractStats() {
    if (packetBuffers == null) {
      return null;
    }
    java.util.Map<String, Object> m = extractTap.extractStats();
    boolean any = packetBuffers.memcapHits() > 0;
    for (String k : new String[] {"started", "dropped_packets"}) {
      any |= m.get(k) instanceof Long n && n > 0;
    }
    return any ? m : null;
  }

  /** The per-flow packet buffers, or null when extracts are off. */
  public FlowPackets packetBuffers() {
    return packetBuffers;
  }

  /** Where the frame of the next {@link #packet} call starts in its buffer (0 by default). */
  public void frameOffset(int off) {
    this.frameOff = off;
  }

  /**
   * Accounts one packet to its flow, creating the flow if needed, after ending every flow whose
   * timeout has passed by this packet's time.
   *
   * @param p a decoded packet with a flow key ({@link DecodedPacket#hasFlowKey()})
   * @param network the network (address space) of the packet's VNI
   * @param hash {@code FlowKey.hash(p, network)}, computed once by the caller (it also shards)
   * @return the flow, or {@code null} when the packet was a mirror duplicate (counted, not
   *     accounted)
   */
  public Flow packet(DecodedPacket p, int network, long hash) {
    return packet(p, network, hash, 0);
  }

  /**
   * As {@link #packet(DecodedPacket, int, long)}, with the packet's 1-based input record number
   * ({@code pcap_cnt}, 0 when live), kept as {@link Flow#lastPcapCnt()} for the events it raises.
   */
  public Flow packet(DecodedPacket p, int network, long hash, long pcapCnt) {
    long ts = p.tsNanos;
    if (ts > now) {
      now = ts;
      expire();
    }
    packets++;
    Flow f = find(p, network, hash);
    if (f == null) {
      f = create(p, network, hash);
      isMirrorDuplicate(f, p, ts); // remembers the first packet: its mirror copy may follow
    } else if (isMirrorDuplicate(f, p, ts)) {
      f.mirrorDuplicates++;
      duplicates++;
      if (f.tcp != null && p.isTcp()) {
        f.tcp.onMirrorDuplicate(f.key.isFromSrc(p) == f.keySrcIsClient);
      }
      if (p.vni >= 0) {
        f.recordVni(p.vni);
      }
      return null;
    }
    if (activeTimeout > 0 && ts - f.firstNanos >= activeTimeout) {
      activeRecords++;
      sink.flowEnded(f, EndReason.ACTIVE);
      f.resetCounters(ts);
    }
    f.lastPcapCnt = pcapCnt;
    if (packetBuffers != null) {
      packetBuffers.add(f, p, frameOff); // before account(): a finding there includes this packet
    }
    account(f, p, ts);
    touch(f);
    return f;
  }

  /** Moves packet time forward without a packet (for a live source that goes quiet). */
  public void advance(long nowNanos) {
    if (nowNanos > now) {
      now = nowNanos;
      expire();
    }
  }

  /** Ends every flow with {@code reason} (normally {@link EndReason#SHUTDOWN}), oldest first. */
  public void endAll(EndReason reason) {
    for (int lane = 0; lane < LANES; lane++) {
      while (laneHead[lane] != null) {
        end(laneHead[lane], reason);
      }
    }
  }

  public int active() {
    return size;
  }

  public int highWater() {
    return highWater;
  }

  public long created() {
    return created;
  }

  public long timedOut() {
    return timedOut;
  }

  public long evicted() {
    return evicted;
  }

  public long activeRecords() {
    return activeRecords;
  }

  public long mirrorDuplicates() {
    return duplicates;
  }

  public long packets() {
    return packets;
  }

  /** Directions of TCP flows handed to a stream consumer so far. */
  public long streamsOpened() {
    return streamsOpened;
  }

  /** Directions that reached {@code tcp.reassembly.depth} (their content no longer tracked). */
  public long streamsDepthReached() {
    return streamsDepthReached;
  }

  /**
   * Holes given up as gaps because a direction held {@code tcp.reassembly.max_segments} segments
   * or the shard's {@code tcp.reassembly.memcap} was reached.
   */
  public long streamBoundHits() {
    return streamBoundHits;
  }

  /** Out-of-order segments (or pieces) refused by the shard's {@code tcp.reassembly.memcap}. */
  public long streamMemcapRefusals() {
    return budget.refusals();
  }

  /** Out-of-order bytes the shard's reassemblers hold now. */
  public long streamBufferedBytes() {
    return budget.used();
  }

  /** Bytes delivered to stream consumers by streams that have ended. */
  public long streamBytesDelivered() {
    return streamBytesDelivered;
  }

  /** Bytes announced as gaps by streams that have ended. */
  public long streamGapBytes() {
    return streamGapBytes;
  }

  /** Built-in findings raised so far, by finding. */
  public long findings(TcpFinding f) {
    return findings[f.ordinal()];
  }

  // ---- lookup ----

  private static int spread(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (int) h;
  }

  private Flow find(DecodedPacket p, int network, long hash) {
    int i = spread(hash) & mask;
    Flow f;
    while ((f = slots[i]) != null) {
      if (slotHash[i] == hash && f.key.matches(p, network)) {
        return f;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  private Flow create(DecodedPacket p, int network, long hash) {
    if (size >= maxFlows) {
      Flow oldest = oldest();
      if (oldest != null) {
        evicted++;
        end(oldest, EndReason.FORCED);
      }
    }
    if (size + 1 > (mask + 1) >> 1 && mask + 1 < maxCapacity) {
      grow();
    }
    FlowKey key = FlowKey.of(p, network);
    // A flow first seen at its SYN-ACK was started by the packet's receiver.
    boolean keySrcIsClient = !(p.isTcp() && (p.tcpFlags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK));
    long id = mixId(hash, p.tsNanos);
    TcpConnection tcp = key.proto() == 6 ? new TcpConnection(tcpConfig) : null;
    Flow f = new Flow(key, hash, id, keySrcIsClient, DUPLICATE_MEMORY, tcp);
    if (tcp != null) {
      f.vniStats = vniStatsOf(p.vni);
    }
    f.firstNanos = p.tsNanos;
    f.lastNanos = p.tsNanos;
    f.icmpType = p.icmpType;
    f.icmpCode = p.icmpCode;
    if (p.tunnelDepth > 0) {
      f.outerIpVersion = p.outerIpVersion;
      System.arraycopy(p.outerSrc, 0, f.outerSrc, 0, 16);
      f.geneveAwsOptions = p.geneveAwsOptions;
      f.geneveEndpointId = p.geneveEndpointId;
      f.geneveAttachmentId = p.geneveAttachmentId;
      f.geneveFlowCookie = p.geneveFlowCookie;
    }
    insert(f);
    created++;
    if (size > highWater) {
      highWater = size;
    }
    return f;
  }

  private VniTcpStats vniStatsOf(int vni) {
    VniTcpStats s = vniStats.get(vni);
    if (s == null) {
      if (vniStats.size() >= MAX_VNI_STATS) {
        if (otherVnis == null) {
          otherVnis = new VniTcpStats();
        }
        return otherVnis;
      }
      s = new VniTcpStats();
      vniStats.put(vni, s);
    }
    return s;
  }

  private static long mixId(long hash, long ts) {
    long h = hash ^ (ts * 0x9E3779B97F4A7C15L);
    h ^= h >>> 31;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 29;
    return h & FLOW_ID_MASK;
  }

  private void insert(Flow f) {
    int i = spread(f.hash) & mask;
    while (slots[i] != null) {
      i = (i + 1) & mask;
    }
    slots[i] = f;
    slotHash[i] = f.hash;
    size++;
  }

  private void grow() {
    Flow[] old = slots;
    int cap = old.length << 1;
    slots = new Flow[cap];
    slotHash = new long[cap];
    mask = cap - 1;
    size = 0;
    for (Flow f : old) {
      if (f != null) {
        insert(f);
      }
    }
  }

  private void remove(Flow f) {
    int i = spread(f.hash) & mask;
    while (slots[i] != f) {
      if (slots[i] == null) {
        throw new IllegalStateException("flow missing from its table");
      }
      i = (i + 1) & mask;
    }
    // Backward-shift deletion keeps every probe chain unbroken without tombstones.
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      Flow g = slots[j];
      if (g == null) {
        break;
      }
      int home = spread(slotHash[j]) & mask;
      boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!stays) {
        slots[i] = g;
        slotHash[i] = slotHash[j];
        i = j;
      }
    }
    slots[i] = null;
    size--;
  }

  // ---- per-packet accounting ----

  private boolean isMirrorDuplicate(Flow f, DecodedPacket p, long ts) {
    if (dupWindow <= 0) {
      return false;
    }
    long sig = MirrorSignature.of(p);
    // Four sets of four (signature, time) pairs; a packet and its mirror copy fall in the same
    // set, so one 64-byte set is read per packet instead of the whole memory.
    long[] r = f.recent;
    int base = (int) (sig & (DUPLICATE_SETS - 1)) * DUPLICATE_WAYS * 2;
    int victim = base;
    for (int i = base; i < base + DUPLICATE_WAYS * 2; i += 2) {
      long t = r[i + 1];
      if (r[i] == sig && t != Long.MIN_VALUE && Math.abs(ts - t) <= dupWindow) {
        return true;
      }
      if (t < r[victim + 1]) {
        victim = i;
      }
    }
    r[victim] = sig;
    r[victim + 1] = ts;
    return false;
  }

  private void account(Flow f, DecodedPacket p, long ts) {
    boolean fromClient = f.key.isFromSrc(p) == f.keySrcIsClient;
    f.lastFromClient = fromClient;
    long bytes = p.ipWireLength > 0 ? p.ipWireLength : p.capLen;
    if (fromClient) {
      f.pktsToServer++;
      f.bytesToServer += bytes;
    } else {
      f.pktsToClient++;
      f.bytesToClient += bytes;
    }
    if (ts > f.lastNanos) {
      f.lastNanos = ts;
    }
    if (p.truncated) {
      f.truncatedPackets++;
    }
    if (p.vni >= 0) {
      f.recordVni(p.vni);
    }
    if (p.isTcp()) {
      trackTcp(f, p.tcpFlags, fromClient);
      if (f.tcp != null) {
        int ta = f.tcp.onPacket(p, fromClient);
        f.tcpAnalysis = ta;
        tcpTotals(f, p, ta);
        int raised = f.tcp.newFindings();
        if (raised != 0) {
          raise(f, raised, ts);
        }
        if (reassemble) {
          reassemble(f, p, fromClient);
        }
      }
    }
  }

  /** Shard totals of the tracker's flags, and the flow's VNI's RTT and loss sums. */
  private void tcpTotals(Flow f, DecodedPacket p, int ta) {
    for (int bits = ta; bits != 0; bits &= bits - 1) {
      analysisTotals[Integer.numberOfTrailingZeros(bits)]++;
    }
    if ((p.tcpFlags & TCP_RST) != 0) {
      tcpResets++;
    }
    VniTcpStats s = f.vniStats;
    if (p.payloadWireLength > 0) {
      s.bytesSeen += p.payloadWireLength;
    }
    long missed = f.tcp.missedBytes();
    if (missed != f.missedReported) {
      s.missedBytes += missed - f.missedReported; // may go down: a late copy filled a gap
      f.missedReported = missed;
    }
    if (!f.synRttRecorded && f.tcp.synRttNanos() >= 0) {
      f.synRttRecorded = true;
      s.recordSynRtt(f.tcp.synRttNanos());
    }
  }

  /** Packets flagged by the TCP tracker, by {@link TcpAnalysis} bit position. */
  public long analysisTotal(int bit) {
    return analysisTotals[bit];
  }

  /** TCP packets with RST. */
  public long tcpResets() {
    return tcpResets;
  }

  /**
   * Copies of the per-VNI TCP stats, by VNI ({@code -1}: not tunnelled, {@link Integer#MAX_VALUE}:
   * the VNIs beyond {@link #MAX_VNI_STATS}).
   */
  public java.util.Map<Integer, VniTcpStats> vniTcpStats() {
    java.util.Map<Integer, VniTcpStats> m = new java.util.TreeMap<>();
    vniStats.forEach((k, v) -> m.put(k, v.copy()));
    if (otherVnis != null) {
      m.put(Integer.MAX_VALUE, otherVnis.copy());
    }
    return m;
  }

  // ---- stream reassembly ----

  private void reassemble(Flow f, DecodedPacket p, boolean fromClient) {
    int wire = p.payloadWireLength;
    if (wire > 0 && (p.tcpFlags & TCP_RST) == 0) {
      StreamReassembler r = fromClient ? f.streamTs : f.streamTc;
      if (r == null && !(fromClient ? f.streamAskedTs : f.streamAskedTc)) {
        r = openStream(f, fromClient);
      }
      if (r != null) {
        // Data on a SYN (TCP Fast Open) starts one after the SYN's sequence number.
        long seq = (p.tcpFlags & TCP_SYN) != 0 ? p.seq + 1 : p.seq;
        int cap = Math.max(0, Math.min(p.payloadLength, wire));
        long hits = r.boundHits();
        r.segment(seq, p.buf, p.payloadOffset, cap, wire);
        streamBoundHits += r.boundHits() - hits;
        if (r.offset() >= tcpConfig.reassemblyDepth()) {
          streamsDepthReached++;
          endStream(f, fromClient);
        }
      }
    }
    if ((p.tcpFlags & TCP_ACK) != 0) {
      // This ACK acknowledges the other direction: a hole the peer got but the sensor did not
      // becomes a gap instead of waiting for the flow's end.
      StreamReassembler rev = fromClient ? f.streamTc : f.streamTs;
      if (rev != null) {
        long hits = rev.boundHits();
        rev.acknowledged(p.ack);
        streamBoundHits += rev.boundHits() - hits;
      }
    }
  }

  private StreamReassembler openStream(Flow f, boolean toServer) {
    StreamSink sink = streamConsumers.open(f, toServer);
    StreamReassembler r = null;
    if (sink != null) {
      streamsOpened++;
      r = new StreamReassembler(tcpConfig, budget, sink);
      long isn = f.tcp.initialSeq(toServer);
      if (isn >= 0) {
        r.start(isn + 1); // offset 0 is the byte after the SYN: a first segment lost is a gap
      }
    }
    if (toServer) {
      f.streamAskedTs = true;
      f.streamTs = r;
      f.sinkTs = sink;
    } else {
      f.streamAskedTc = true;
      f.streamTc = r;
      f.sinkTc = sink;
    }
    return r;
  }

  /** Flushes one direction (buffered bytes, holes as gaps), ends its sink and forgets both. */
  private void endStream(Flow f, boolean toServer) {
    StreamReassembler r = toServer ? f.streamTs : f.streamTc;
    StreamSink sink = toServer ? f.sinkTs : f.sinkTc;
    if (r != null) {
      long hits = r.boundHits();
      r.close();
      streamBoundHits += r.boundHits() - hits;
      streamBytesDelivered += r.delivered();
      streamGapBytes += r.gapBytes();
    }
    if (sink != null) {
      sink.end();
    }
    if (toServer) {
      f.streamTs = null;
      f.sinkTs = null;
    } else {
      f.streamTc = null;
      f.sinkTc = null;
    }
  }

  private void raise(Flow f, int raised, long ts) {
    for (TcpFinding finding : FINDINGS) {
      if (TcpConnection.raised(raised, finding)) {
        findings[finding.ordinal()]++;
        sink.finding(f, finding, ts);
      }
    }
  }

  private static void trackTcp(Flow f, int flags, boolean fromClient) {
    if (fromClient) {
      f.tcpFlagsTs |= flags;
    } else {
      f.tcpFlagsTc |= flags;
    }
    if ((flags & TCP_RST) != 0) {
      f.rst = true;
      f.tcpState = Flow.TcpState.CLOSED;
      return;
    }
    if ((flags & TCP_FIN) != 0) {
      if (fromClient) {
        f.finFromClient = true;
      } else {
        f.finFromServer = true;
      }
      f.tcpState = f.finFromClient && f.finFromServer ? Flow.TcpState.CLOSED : Flow.TcpState.FIN_WAIT;
      return;
    }
    switch (f.tcpState) {
      case NONE:
        if ((flags & TCP_SYN) != 0) {
          f.tcpState = (flags & TCP_ACK) != 0 ? Flow.TcpState.SYN_RECV : Flow.TcpState.SYN_SENT;
        } else {
          f.tcpState = Flow.TcpState.ESTABLISHED; // picked up midstream
        }
        break;
      case SYN_SENT:
        if (!fromClient && (flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
          f.tcpState = Flow.TcpState.SYN_RECV;
        }
        break;
      case SYN_RECV:
        if (fromClient && (flags & TCP_SYN) == 0 && (flags & TCP_ACK) != 0) {
          f.tcpState = Flow.TcpState.ESTABLISHED;
        }
        break;
      default:
        break;
    }
  }

  // ---- timeout lanes ----

  private void touch(Flow f) {
    int lane = f.timeoutLane();
    if (f.lane == lane && (laneTail[lane] == f || now - f.linkedAt < laneGranularity[lane])) {
      return;
    }
    unlink(f);
    f.lane = lane;
    f.linkedAt = now;
    f.prev = laneTail[lane];
    f.next = null;
    if (laneTail[lane] != null) {
      laneTail[lane].next = f;
    } else {
      laneHead[lane] = f;
    }
    laneTail[lane] = f;
  }

  private void unlink(Flow f) {
    if (f.lane < 0) {
      return;
    }
    if (f.prev != null) {
      f.prev.next = f.next;
    } else {
      laneHead[f.lane] = f.next;
    }
    if (f.next != null) {
      f.next.prev = f.prev;
    } else {
      laneTail[f.lane] = f.prev;
    }
    f.prev = null;
    f.next = null;
    f.lane = -1;
  }

  /**
   * Ends the flows whose timeout has passed. A lane is ordered by {@code linkedAt}, and a flow's
   * last packet is less than the lane's granularity after its {@code linkedAt} (a later packet
   * relinks it), so a head linked more than timeout + granularity ago has surely timed out and the
   * first head that was not stops the scan.
   */
  private void expire() {
    for (int lane = 0; lane < LANES; lane++) {
      long limit = laneTimeout[lane] + laneGranularity[lane];
      Flow f;
      while ((f = laneHead[lane]) != null && now - f.linkedAt > limit) {
        timedOut++;
        end(f, EndReason.TIMEOUT);
      }
    }
  }

  /** The least recently seen flow among the first few of each lane (the lanes are nearly LRU). */
  private Flow oldest() {
    Flow best = null;
    for (int lane = 0; lane < LANES; lane++) {
      Flow h = laneHead[lane];
      for (int i = 0; h != null && i < EVICTION_CANDIDATES; i++, h = h.next) {
        if (best == null || h.lastNanos < best.lastNanos) {
          best = h;
        }
      }
    }
    return best;
  }

  private void end(Flow f, EndReason reason) {
    unlink(f);
    remove(f);
    if (f.sinkTs != null || f.sinkTc != null) {
      // Client's stream first: a parser sees the request's end before the response's.
      endStream(f, true);
      endStream(f, false);
    }
    sink.flowEnded(f, reason);
    if (packetBuffers != null) {
      packetBuffers.ended(f);
    }
  }
}

package io.mirrorsensor.sensor.flow;

import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.tcp.StreamReassembler;
import io.mirrorsensor.decode.tcp.StreamSink;
import io.mirrorsensor.decode.tcp.TcpConnection;

/**
 * One bidirectional flow: the network, the 5-tuple, counters per direction, TCP flags and a simple
 * state, the VNIs it was seen under. Allocated once per new flow; written only by the owning
 * {@link FlowTable}'s thread. "toserver" is the client's direction: the sender of the first packet,
 * unless that packet was a SYN-ACK (then its receiver).
 */
public final class Flow {
  /** Most VNIs remembered per flow; more are counted in {@link #extraVnis}. */
  static final int MAX_VNIS = 8;

  /** TCP state, deliberately coarse until the TCP tracker takes over. */
  public enum TcpState {
    NONE("none"),
    SYN_SENT("syn_sent"),
    SYN_RECV("syn_recv"),
    ESTABLISHED("established"),
    FIN_WAIT("fin_wait"),
    CLOSED("closed");

    private final String id;

    TcpState(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  final FlowKey key;
  final long hash;
  final long flowId;
  /** True when the key's source (first packet's sender) is the client. */
  final boolean keySrcIsClient;

  long firstNanos;
  long lastNanos;
  long pktsToServer;
  long pktsToClient;
  long bytesToServer;
  long bytesToClient;
  int tcpFlagsTs;
  int tcpFlagsTc;
  TcpState tcpState = TcpState.NONE;
  boolean finFromClient;
  boolean finFromServer;
  boolean rst;
  long mirrorDuplicates;
  long truncatedPackets;
  /** The TCP tracker of a TCP flow (null for other protocols). */
  final TcpConnection tcp;
  /** {@link io.mirrorsensor.decode.tcp.TcpAnalysis} flags of the flow's last accounted packet. */
  int tcpAnalysis;
  /** Records already written for this flow by the active timeout. */
  int activeRecords;
  /** Per-VNI TCP stats this flow counts under (its first VNI), null for non-TCP flows. */
  VniTcpStats vniStats;
  /** The tracker's missed_bytes already added to {@link #vniStats}. */
  long missedReported;
  boolean synRttRecorded;
  /** Input record number of the flow's last accounted packet (0 when live). */
  long lastPcapCnt;
  /** True when the flow's last accounted packet travelled client to server. */
  boolean lastFromClient;
  /** A rule alerted on this flow. */
  boolean ruleAlerted;
  /** Rule flowbits, allocated on first use (see {@link #flowbits(int)}). */
  private long[] flowbits;
  /** Rule flowints, allocated on first use (see {@link #flowints(int)}). */
  private long[] flowints;
  /** App-layer state (parsers) of this flow, owned by the worker's app layer; null when none. */
  private Object app;
  private String appProto;

  // Pcap extracts (FlowPackets): the index ring of buffered packets (null until the first one),
  // and the flow's extract once a finding started one (owned by the FlowPackets.Tap).
  int[] ring;
  int ringHead;
  int ringCount;
  long ringBytes;
  Object extract;
  private String extractPath;

  // Stream reassembly per direction, see FlowTable. Plain fields rather than arrays: every flow
  // carries them, most never use them. A sink is non-null from open to end; a reassembler only
  // while its direction is reassembled. streamAsked*: the factory was asked (do not ask again).
  boolean streamAskedTs;
  boolean streamAskedTc;
  StreamReassembler streamTs;
  StreamReassembler streamTc;
  StreamSink sinkTs;
  StreamSink sinkTc;

  final int[] vnis = new int[MAX_VNIS];
  int vniCount;
  /** ICMP / ICMPv6 type and code of the flow's first packet, -1 otherwise. */
  int icmpType = -1;
  int icmpCode = -1;
  int extraVnis;
  /** Outer source (the mirrored ENI) of the first tunnelled packet; version 0 when none. */
  int outerIpVersion;
  final byte[] outerSrc = new byte[16];
  /** GENEVE (Gateway Load Balancer) ids of the first packet: DecodedPacket.GENEVE_* bits say which. */
  int geneveAwsOptions;
  long geneveEndpointId;
  long geneveAttachmentId;
  long geneveFlowCookie;

  // Mirror-duplicate memory, set-associative by signature (see FlowTable): recent[2i] is a
  // signature, recent[2i + 1] its packet time (Long.MIN_VALUE when empty).
  final long[] recent;

  // Intrusive links of the table's per-timeout LRU lists; written by the table only.
  Flow prev;
  Flow next;
  int lane = -1;
  /** Packet time when the flow was last moved to its lane's tail (the lane's order). */
  long linkedAt;

  Flow(FlowKey key, long hash, long flowId, boolean keySrcIsClient, int dupMemory,
      TcpConnection tcp) {
    this.key = key;
    this.tcp = tcp;
    this.hash = hash;
    this.flowId = flowId;
    this.keySrcIsClient = keySrcIsClient;
    this.recent = new long[dupMemory * 2];
    for (int i = 1; i < recent.length; i += 2) {
      recent[i] = Long.MIN_VALUE;
    }
  }

  public FlowKey key() {
    return key;
  }

  /** Flow id within 51 bits, as Suricata writes it (JSON consumers lose precision above 2^53). */
  public long flowId() {
    return flowId;
  }

  public boolean keySrcIsClient() {
    return keySrcIsClient;
  }

  public long firstNanos() {
    return firstNanos;
  }

  public long lastNanos() {
    return lastNanos;
  }

  public long pktsToServer() {
    return pktsToServer;
  }

  public long pktsToClient() {
    return pktsToClient;
  }

  public long bytesToServer() {
    return bytesToServer;
  }

  public long bytesToClient() {
    return bytesToClient;
  }

  public int tcpFlagsToServer() {
    return tcpFlagsTs;
  }

  public int tcpFlagsToClient() {
    return tcpFlagsTc;
  }

  public TcpState tcpState() {
    return tcpState;
  }

  /** The TCP tracker, or null when the flow is not TCP. */
  public TcpConnection tcp() {
    return tcp;
  }

  /**
   * The {@link io.mirrorsensor.decode.tcp.TcpAnalysis} flags of the last packet {@link
   * FlowTable#packet} accounted to this flow (0 for non-TCP flows): valid until the next packet.
   */
  public int lastTcpAnalysis() {
    return tcpAnalysis;
  }

  /**
   * The 1-based input record number ({@code pcap_cnt}) of the last packet accounted to this flow;
   * 0 when live. During {@link FlowSink#finding} it is the packet that raised the finding.
   */
  public long lastPcapCnt() {
    return lastPcapCnt;
  }

  /** True when a built-in finding was raised or a rule alerted on this flow (EVE {@code flow.alerted}). */
  public boolean alerted() {
    return ruleAlerted || (tcp != null && tcp.raisedFindings() != 0);
  }

  /** Records that a rule alerted on this flow. */
  public void markRuleAlert() {
    ruleAlerted = true;
  }

  /**
   * The consumer of one direction's reassembled stream ({@link StreamConsumerFactory}), or null
   * while that direction is not (or no longer) reassembled.
   */
  public StreamSink streamSink(boolean toServer) {
    return toServer ? sinkTs : sinkTc;
  }

  /** True when the flow's last accounted packet travelled client to server. */
  public boolean lastFromClient() {
    return lastFromClient;
  }

  /**
   * Established in the rule engine's sense (Suricata's): TCP once the handshake completed (and
   * until it closed), other protocols once a packet was seen each way.
   */
  public boolean established() {
    if (key.proto() == 6) {
      return tcpState == TcpState.ESTABLISHED || tcpState == TcpState.FIN_WAIT;
    }
    return pktsToServer > 0 && pktsToClient > 0;
  }

  /** The flow's rule flowbit words, {@code words} zeroed longs on first use. */
  public long[] flowbits(int words) {
    if (flowbits == null || flowbits.length < words) {
      flowbits = flowbits == null ? new long[words] : java.util.Arrays.copyOf(flowbits, words);
    }
    return flowbits;
  }

  /**
   * The flow's rule flowint slots (one long per name of the rule set: set flag and 32-bit value),
   * {@code slots} zeroed longs on first use; a reload with more names grows them, keeping values.
   */
  public long[] flowints(int slots) {
    if (flowints == null || flowints.length < slots) {
      flowints = flowints == null ? new long[slots] : java.util.Arrays.copyOf(flowints, slots);
    }
    return flowints;
  }

  /** EVE {@code app_proto}: the protocol the app layer recognised ("http", "dns"), or null. */
  public String appProto() {
    return appProto;
  }

  public void appProto(String proto) {
    this.appProto = proto;
  }

  /** App-layer state of this flow (its parsers), or null. Owned by the worker's app layer. */
  public Object app() {
    return app;
  }

  public void app(Object state) {
    this.app = state;
  }

  /** The flow's extract state (owned by the {@link FlowPackets.Tap}), null before the first. */
  public Object extract() {
    return extract;
  }

  /** Sets the extract: from now on the flow's packets go to the tap, not to its buffer. */
  public void extract(Object state, String path) {
    this.extract = state;
    this.extractPath = path;
  }

  /** The flow's pcap extract, relative to the output directory (EVE {@code pcap}), or null. */
  public String extractPath() {
    return extractPath;
  }

  /** Packets buffered for this flow's extract now. */
  public int bufferedPackets() {
    return ringCount;
  }

  public long mirrorDuplicates() {
    return mirrorDuplicates;
  }

  public long truncatedPackets() {
    return truncatedPackets;
  }

  public int vniCount() {
    return vniCount;
  }

  public int vni(int i) {
    return vnis[i];
  }

  /** ICMP / ICMPv6 type of the flow's first packet (-1 for other protocols). */
  public int icmpType() {
    return icmpType;
  }

  /** ICMP / ICMPv6 code of the flow's first packet (-1 for other protocols). */
  public int icmpCode() {
    return icmpCode;
  }

  public int outerIpVersion() {
    return outerIpVersion;
  }

  public byte[] outerSrc() {
    return outerSrc;
  }

  /** Which GWLB GENEVE ids the first packet carried (DecodedPacket.GENEVE_* bits); 0: none. */
  public int geneveAwsOptions() {
    return geneveAwsOptions;
  }

  public long geneveEndpointId() {
    return geneveEndpointId;
  }

  public long geneveAttachmentId() {
    return geneveAttachmentId;
  }

  public long geneveFlowCookie() {
    return geneveFlowCookie;
  }

  /** EVE {@code flow.state}: new, established or closed. */
  public String state() {
    if (key.proto() == 6) {
      switch (tcpState) {
        case ESTABLISHED:
        case FIN_WAIT:
          return "established";
        case CLOSED:
          return "closed";
        default:
          return "new";
      }
    }
    return pktsToServer > 0 && pktsToClient > 0 ? "established" : "new";
  }

  /** Which of the table's timeout lanes this flow belongs in now. */
  int timeoutLane() {
    if (key.proto() != 6) {
      return FlowTable.LANE_IDLE;
    }
    switch (tcpState) {
      case ESTABLISHED:
      case FIN_WAIT:
        return FlowTable.LANE_ESTABLISHED;
      case CLOSED:
        return FlowTable.LANE_CLOSED;
      default:
        return FlowTable.LANE_IDLE;
    }
  }

  void recordVni(int vni) {
    for (int i = 0; i < vniCount; i++) {
      if (vnis[i] == vni) {
        return;
      }
    }
    if (vniCount < MAX_VNIS) {
      vnis[vniCount++] = vni;
    } else {
      extraVnis++;
    }
  }

  /** Starts a new record after an active-timeout record: counters to zero, identity kept. */
  void resetCounters(long nowNanos) {
    firstNanos = nowNanos;
    pktsToServer = 0;
    pktsToClient = 0;
    bytesToServer = 0;
    bytesToClient = 0;
    tcpFlagsTs = 0;
    tcpFlagsTc = 0;
    mirrorDuplicates = 0;
    truncatedPackets = 0;
    if (tcp != null) {
      tcp.resetCounters();
      // Acknowledged gaps still pending stay in missedBytes(): they were reported already.
      missedReported = tcp.missedBytes();
    }
    activeRecords++;
  }
}

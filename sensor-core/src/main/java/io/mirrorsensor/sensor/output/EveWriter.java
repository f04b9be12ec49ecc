package io.mirrorsensor.sensor.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.mirrorsensor.decode.Anomaly;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.IpText;
import io.mirrorsensor.decode.tcp.TcpConnection;
import io.mirrorsensor.decode.tcp.TcpFinding;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.config.SensorConfig.VniInfo;
import io.mirrorsensor.sensor.flow.EndReason;
import io.mirrorsensor.sensor.flow.Flow;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes EVE JSON, one object per line, with Suricata's field names (see shared/EVE.md and
 * docs/EVE.md for our additions). Owned by one thread. Nothing is lost on {@link #close()}: the
 * generator and the stream beneath it are flushed.
 */
public final class EveWriter implements Closeable {
  private static final JsonFactory FACTORY = new JsonFactory();
  /** No separator between root values: each event ends its own line. */
  private static final SerializedString NO_SEPARATOR = new SerializedString("");

  private final JsonGenerator g;
  private final SensorConfig config;
  private final Map<String, Long> eventsByType = new TreeMap<>();

  /** Takes ownership of {@code out}: it is closed by {@link #close()}. */
  public EveWriter(OutputStream out, SensorConfig config) throws IOException {
    this.g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    this.g.setRootValueSeparator(NO_SEPARATOR);
    this.config = config;
  }

  /** Events written so far, by event_type. */
  public Map<String, Long> eventsByType() {
    return eventsByType;
  }

  private void begin(String type, long tsNanos, long flowId) throws IOException {
    g.writeStartObject();
    g.writeStringField("timestamp", EveTime.format(tsNanos));
    if (flowId >= 0) {
      g.writeNumberField("flow_id", flowId);
    }
    g.writeStringField("event_type", type);
    eventsByType.merge(type, 1L, Long::sum);
  }

  private void end() throws IOException {
    g.writeEndObject();
    g.writeRaw('\n');
  }

  static String protoName(int proto) {
    switch (proto) {
      case 6:
        return "TCP";
      case 17:
        return "UDP";
      case 1:
        return "ICMP";
      case 58:
        return "IPv6-ICMP";
      case 132:
        return "SCTP";
      case 47:
        return "GRE";
      case 50:
        return "ESP";
      default:
        return Integer.toString(proto);
    }
  }

  private static boolean isIcmp(int proto) {
    return proto == 1 || proto == 58;
  }

  /** The 5-tuple, oriented client to server. */
  private void tuple(FlowKey k, boolean keySrcIsClient) throws IOException {
    tuple(k, keySrcIsClient, k.srcPort(), k.dstPort());
  }

  private void tuple(FlowKey k, boolean keySrcIsClient, int icmpType, int icmpCode)
      throws IOException {
    // Suricata writes IPv6 addresses in full (suricata-verify community-id-ipv6 expects
    // 2607:f8b0:400a:0800:0000:0000:0000:200e); EVE consumers match on that text.
    String a = IpText.formatFull(k.srcAddr(), 0, k.ipVersion());
    String b = IpText.formatFull(k.dstAddr(), 0, k.ipVersion());
    String src = keySrcIsClient ? a : b;
    String dst = keySrcIsClient ? b : a;
    int sp = keySrcIsClient ? k.srcPort() : k.dstPort();
    int dp = keySrcIsClient ? k.dstPort() : k.srcPort();
    g.writeStringField("src_ip", src);
    if (!isIcmp(k.proto())) {
      g.writeNumberField("src_port", sp);
    }
    g.writeStringField("dest_ip", dst);
    if (!isIcmp(k.proto())) {
      g.writeNumberField("dest_port", dp);
    }
    g.writeStringField("proto", protoName(k.proto()));
    if (isIcmp(k.proto())) {
      g.writeNumberField("icmp_type", icmpType);
      g.writeNumberField("icmp_code", icmpCode);
    }
  }

  private void vxlan(Flow f) throws IOException {
    if (f.vniCount() == 0) {
      return;
    }
    g.writeObjectFieldStart("vxlan");
    int first = f.vni(0);
    g.writeNumberField("vni", first);
    if (f.vniCount() > 1) {
      g.writeArrayFieldStart("vnis");
      for (int i = 0; i < f.vniCount(); i++) {
        g.writeNumber(f.vni(i));
      }
      g.writeEndArray();
    }
    VniInfo info = config.vniInfo(first);
    if (info != null && info.session() != null) {
      g.writeStringField("session", info.session());
    }
    if (info != null && info.eni() != null) {
      g.writeStringField("eni", info.eni());
    }
    if (f.outerIpVersion() != 0) {
      g.writeStringField("source_ip", IpText.formatFull(f.outerSrc(), 0, f.outerIpVersion()));
    }
    g.writeEndObject();
  }

  private static String hex(int flags) {
    String s = Integer.toHexString(flags & 0xFF);
    return s.length() == 1 ? "0" + s : s;
  }

  /** Writes a flow record ({@code event_type: flow}). */
  public void flow(Flow f, EndReason reason) throws IOException {
    FlowKey k = f.key();
    begin("flow", f.lastNanos(), f.flowId());
    tuple(k, f.keySrcIsClient(), f.icmpType(), f.icmpCode());
    vxlan(f);
    g.writeObjectFieldStart("flow");
    g.writeNumberField("pkts_toserver", f.pktsToServer());
    g.writeNumberField("pkts_toclient", f.pktsToClient());
    g.writeNumberField("bytes_toserver", f.bytesToServer());
    g.writeNumberField("bytes_toclient", f.bytesToClient());
    g.writeStringField("start", EveTime.format(f.firstNanos()));
    g.writeStringField("end", EveTime.format(f.lastNanos()));
    g.writeNumberField("age", (f.lastNanos() - f.firstNanos()) / 1_000_000_000L);
    g.writeStringField("state", f.state());
    g.writeStringField("reason", reason.id());
    g.writeBooleanField("alerted", f.alerted());
    g.writeNumberField("mirror_duplicates", f.mirrorDuplicates());
    g.writeNumberField("truncated_packets", f.truncatedPackets());
    g.writeEndObject();
    if (k.proto() == 6) {
      int ts = f.tcpFlagsToServer();
      int tc = f.tcpFlagsToClient();
      int all = ts | tc;
      g.writeObjectFieldStart("tcp");
      g.writeStringField("tcp_flags", hex(all));
      g.writeStringField("tcp_flags_ts", hex(ts));
      g.writeStringField("tcp_flags_tc", hex(tc));
      flag("syn", all, 0x02);
      flag("fin", all, 0x01);
      flag("rst", all, 0x04);
      flag("psh", all, 0x08);
      flag("ack", all, 0x10);
      flag("urg", all, 0x20);
      flag("ecn", all, 0x40);
      flag("cwr", all, 0x80);
      g.writeStringField("state", f.tcpState().id());
      if (f.tcp() != null) {
        tcpAnalysis(f.tcp());
      }
      g.writeEndObject();
    }
    g.writeStringField("community_id", k.communityId());
    end();
  }

  /** The tracker's fields of the flow's {@code tcp} object (shared/EVE.md, docs/EVE.md). */
  private void tcpAnalysis(TcpConnection t) throws IOException {
    g.writeStringField("conn_state", t.connState());
    g.writeStringField("history", t.history());
    if (t.synRttNanos() >= 0) {
      g.writeNumberField("syn_rtt_ms", millis(t.synRttNanos()));
    }
    if (t.ackRttNanos() >= 0) {
      g.writeNumberField("ack_rtt_ms", millis(t.ackRttNanos()));
    }
    g.writeNumberField("retransmissions", t.retransmissions());
    g.writeNumberField("fast_retransmissions", t.fastRetransmissions());
    g.writeNumberField("spurious_retransmissions", t.spuriousRetransmissions());
    g.writeNumberField("out_of_order", t.outOfOrder());
    g.writeNumberField("lost_segments", t.lostSegments());
    g.writeNumberField("dup_acks", t.dupAcks());
    g.writeNumberField("zero_windows", t.zeroWindows());
    g.writeNumberField("window_full", t.windowFull());
    g.writeNumberField("keep_alives", t.keepAlives());
    g.writeNumberField("resets", t.resets());
    g.writeNumberField("missed_bytes", t.missedBytes());
  }

  /** Milliseconds with microsecond precision, as a JSON number. */
  private static java.math.BigDecimal millis(long nanos) {
    return java.math.BigDecimal.valueOf(nanos / 1000, 3);
  }

  /**
   * Writes a built-in finding ({@code event_type: alert}, gid {@link TcpFinding#GID}): the flow's
   * tuple (client to server), flow_id, community_id and mirror context, at the packet time of the
   * packet that raised it, and in replay that packet's {@code pcap_cnt} ({@link Flow#lastPcapCnt()}
   * during {@link io.mirrorsensor.sensor.flow.FlowSink#finding}).
   */
  public void alert(Flow f, TcpFinding finding, long tsNanos) throws IOException {
    FlowKey k = f.key();
    begin("alert", tsNanos, f.flowId());
    if (f.lastPcapCnt() > 0) {
      g.writeNumberField("pcap_cnt", f.lastPcapCnt());
    }
    tuple(k, f.keySrcIsClient(), f.icmpType(), f.icmpCode());
    vxlan(f);
    g.writeObjectFieldStart("alert");
    g.writeStringField("action", "allowed");
    g.writeNumberField("gid", TcpFinding.GID);
    g.writeNumberField("signature_id", finding.sid());
    g.writeNumberField("rev", TcpFinding.REV);
    g.writeStringField("signature", finding.signature());
    g.writeStringField("category", finding.category());
    g.writeNumberField("severity", finding.severity());
    g.writeEndObject();
    g.writeStringField("community_id", k.communityId());
    end();
  }

  private void flag(String name, int flags, int bit) throws IOException {
    if ((flags & bit) != 0) {
      g.writeBooleanField(name, true);
    }
  }

  /**
   * Writes a decode anomaly ({@code event_type: anomaly}).
   *
   * @param key the packet's flow key when it had one (tuple written as seen), else null
   * @param vni the packet's VNI or -1
   */
  public void anomaly(Anomaly a, long tsNanos, long pcapCnt, FlowKey key, int vni)
      throws IOException {
    begin("anomaly", tsNanos, -1);
    if (pcapCnt > 0) {
      g.writeNumberField("pcap_cnt", pcapCnt);
    }
    if (key != null) {
      tuple(key, true);
    }
    if (vni >= 0) {
      g.writeObjectFieldStart("vxlan");
      g.writeNumberField("vni", vni);
      VniInfo info = config.vniInfo(vni);
      if (info != null && info.session() != null) {
        g.writeStringField("session", info.session());
      }
      g.writeEndObject();
    }
    g.writeObjectFieldStart("anomaly");
    g.writeStringField("type", "decode");
    g.writeStringField("event", a.id());
    g.writeEndObject();
    end();
  }

  /**
   * Writes a {@code stats} event from nested counter maps (values: Long, BigDecimal, Map, or a
   * {@link StatsValue} written as the object it renders).
   */
  public void stats(long tsNanos, double uptimeSeconds, Map<String, ?> counters)
      throws IOException {
    begin("stats", tsNanos, -1);
    g.writeObjectFieldStart("stats");
    g.writeNumberField("uptime", Math.round(uptimeSeconds));
    writeMap(counters);
    g.writeEndObject();
    end();
  }

  private void writeMap(Map<String, ?> m) throws IOException {
    for (Map.Entry<String, ?> e : m.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Map) {
        g.writeObjectFieldStart(e.getKey());
        @SuppressWarnings("unchecked")
        Map<String, ?> inner = (Map<String, ?>) v;
        writeMap(inner);
        g.writeEndObject();
      } else if (v instanceof StatsValue) {
        g.writeObjectFieldStart(e.getKey());
        writeMap(((StatsValue) v).render());
        g.writeEndObject();
      } else if (v instanceof java.math.BigDecimal) {
        g.writeNumberField(e.getKey(), (java.math.BigDecimal) v);
      } else if (v instanceof Number) {
        g.writeNumberField(e.getKey(), ((Number) v).longValue());
      } else {
        g.writeStringField(e.getKey(), String.valueOf(v));
      }
    }
  }

  public void flush() throws IOException {
    g.flush();
  }

  @Override
  public void close() throws IOException {
    g.close();
  }
}

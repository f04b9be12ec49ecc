package io.mirrorsensor.sensor.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.mirrorsensor.decode.Anomaly;
import io.mirrorsensor.decode.DecodedPacket;
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
    int gw = f.geneveAwsOptions();
    if (gw != 0) { // through a Gateway Load Balancer: its GENEVE TLVs, as fixed-width hex
      g.writeObjectFieldStart("geneve");
      if ((gw & DecodedPacket.GENEVE_ENDPOINT_ID) != 0) {
        g.writeStringField("endpoint_id", String.format("%016x", f.geneveEndpointId()));
      }
      if ((gw & DecodedPacket.GENEVE_ATTACHMENT_ID) != 0) {
        g.writeStringField("attachment_id", String.format("%016x", f.geneveAttachmentId()));
      }
      if ((gw & DecodedPacket.GENEVE_FLOW_COOKIE) != 0) {
        g.writeStringField("flow_cookie", String.format("%08x", f.geneveFlowCookie()));
      }
      g.writeEndObject();
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
    if (f.appProto() != null) {
      g.writeStringField("app_proto", f.appProto());
    }
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
    if (f.extractPath() != null) {
      g.writeStringField("pcap", f.extractPath());
    }
    g.writeStringField("community_id", k.communityId());
    end();
  }

  /**
   * Writes a built-in app-layer finding ({@code event_type: alert}, gid {@link
   * io.mirrorsensor.decode.app.AppFinding#GID}) as {@link #alert} writes a TCP one: the flow's
   * tuple (client to server), flow_id, mirror context, community_id, {@code pcap_cnt} when
   * {@code pcapCnt > 0}; and (+) {@code alert.metadata.detail}: what was measured against which
   * threshold (docs/FINDINGS.md), in Suricata's metadata form.
   */
  public void appAlert(Flow f, io.mirrorsensor.decode.app.AppFinding finding, long tsNanos,
      long pcapCnt, String detail) throws IOException {
    FlowKey k = f.key();
    begin("alert", tsNanos, f.flowId());
    if (pcapCnt > 0) {
      g.writeNumberField("pcap_cnt", pcapCnt);
    }
    tuple(k, f.keySrcIsClient(), f.icmpType(), f.icmpCode());
    if (f.appProto() != null) {
      g.writeStringField("app_proto", f.appProto());
    }
    vxlan(f);
    g.writeObjectFieldStart("alert");
    g.writeStringField("action", "allowed");
    g.writeNumberField("gid", io.mirrorsensor.decode.app.AppFinding.GID);
    g.writeNumberField("signature_id", finding.sid());
    g.writeNumberField("rev", io.mirrorsensor.decode.app.AppFinding.REV);
    g.writeStringField("signature", finding.signature());
    g.writeStringField("category", finding.category());
    g.writeNumberField("severity", finding.severity());
    if (detail != null) {
      g.writeObjectFieldStart("metadata");
      g.writeArrayFieldStart("detail");
      g.writeString(detail);
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndObject();
    if (f.extractPath() != null) {
      g.writeStringField("pcap", f.extractPath());
    }
    g.writeStringField("community_id", k.communityId());
    end();
  }

  /**
   * Writes an app-layer anomaly ({@code event_type: anomaly}, {@code type: applayer}): the id a
   * parser reported ({@code HttpEvent}, {@code DnsEvent}, {@code TlsEvent}), its {@code layer}
   * ({@code http}, {@code dns}, {@code tls}), and the flow's tuple (client to server), flow_id,
   * mirror context and community_id.
   */
  public void appAnomaly(Flow f, String layer, String event, long tsNanos, long pcapCnt)
      throws IOException {
    FlowKey k = f.key();
    begin("anomaly", tsNanos, f.flowId());
    if (pcapCnt > 0) {
      g.writeNumberField("pcap_cnt", pcapCnt);
    }
    tuple(k, f.keySrcIsClient(), f.icmpType(), f.icmpCode());
    if (f.appProto() != null) {
      g.writeStringField("app_proto", f.appProto());
    }
    vxlan(f);
    g.writeObjectFieldStart("anomaly");
    g.writeStringField("type", "applayer");
    g.writeStringField("event", event);
    g.writeStringField("layer", layer);
    g.writeEndObject();
    g.writeStringField("community_id", k.communityId());
    end();
  }

  /**
   * Writes a rule alert ({@code event_type: alert}) as Suricata does: the tuple of the packet that
   * matched (its own direction), {@code direction}, flow_id, pcap_cnt in replay, community_id,
   * the mirror context, and the rule's gid, sid, rev, msg, category, severity and metadata
   * (Suricata's {@code {"key": ["value", ...]}} form). {@code packetFromKeySrc}: the packet
   * travelled from the flow key's source.
   */
  public void ruleAlert(Flow f, io.mirrorsensor.rules.Rule rule, boolean packetFromKeySrc,
      long tsNanos, long pcapCnt) throws IOException {
    ruleAlert(f, rule, packetFromKeySrc, tsNanos, pcapCnt, null);
  }

  /**
   * As above, for an alert raised by an app-layer transaction: the event also carries the
   * transaction's {@code http} or {@code tls} object (as the http and tls events write it), or for
   * DNS the query's {@code dns} {@code {id, rrname, rrtype}}, and {@code app_proto}, as Suricata's
   * alerts do.
   */
  public void ruleAlert(Flow f, io.mirrorsensor.rules.Rule rule, boolean packetFromKeySrc,
      long tsNanos, long pcapCnt, Object tx) throws IOException {
    FlowKey k = f.key();
    begin("alert", tsNanos, f.flowId());
    if (pcapCnt > 0) {
      g.writeNumberField("pcap_cnt", pcapCnt);
    }
    tuple(k, packetFromKeySrc, f.icmpType(), f.icmpCode());
    g.writeStringField("direction",
        packetFromKeySrc == f.keySrcIsClient() ? "to_server" : "to_client");
    vxlan(f);
    g.writeObjectFieldStart("alert");
    g.writeStringField("action", "allowed");
    g.writeNumberField("gid", rule.gid());
    g.writeNumberField("signature_id", rule.sid());
    g.writeNumberField("rev", rule.rev());
    g.writeStringField("signature", rule.msg() == null ? "" : rule.msg());
    if (rule.category() != null && !rule.category().isEmpty()) {
      g.writeStringField("category", rule.category());
    }
    g.writeNumberField("severity", rule.severity());
    if (!rule.metadata().isEmpty()) {
      Map<String, java.util.List<String>> meta = new java.util.LinkedHashMap<>();
      for (String m : rule.metadata()) {
        String t = m.trim();
        int sp = t.indexOf(' ');
        String key = sp < 0 ? t : t.substring(0, sp);
        String value = sp < 0 ? "" : t.substring(sp + 1).trim();
        meta.computeIfAbsent(key, x -> new java.util.ArrayList<>()).add(value);
      }
      g.writeObjectFieldStart("metadata");
      for (Map.Entry<String, java.util.List<String>> e : meta.entrySet()) {
        g.writeArrayFieldStart(e.getKey());
        for (String v : e.getValue()) {
          g.writeString(v);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    g.writeEndObject();
    if (tx instanceof io.mirrorsensor.decode.app.http.HttpTransaction) {
      g.writeStringField("app_proto", "http");
      httpObject((io.mirrorsensor.decode.app.http.HttpTransaction) tx);
    } else if (tx instanceof io.mirrorsensor.decode.app.tls.TlsTransaction) {
      g.writeStringField("app_proto", "tls");
      tlsObject((io.mirrorsensor.decode.app.tls.TlsTransaction) tx);
    } else if (tx instanceof io.mirrorsensor.decode.app.dns.DnsTransaction) {
      io.mirrorsensor.decode.app.dns.DnsTransaction d =
          (io.mirrorsensor.decode.app.dns.DnsTransaction) tx;
      g.writeStringField("app_proto", "dns");
      g.writeObjectFieldStart("dns");
      g.writeNumberField("id", d.id());
      if (d.rrname() != null) {
        g.writeStringField("rrname", d.rrname());
      }
      g.writeStringField("rrtype", io.mirrorsensor.decode.app.dns.DnsMessage.typeText(d.qtype()));
      g.writeEndObject();
    }
    if (f.extractPath() != null) {
      g.writeStringField("pcap", f.extractPath());
    }
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

  // ---- app layer (issue 6): dns and http events, shared/EVE.md ----

  /**
   * Writes a DNS transaction as Suricata's version 2 events: a {@code query} event (at the
   * query's time, with {@code timed_out: true} when no response came) when the query was seen,
   * then an {@code answer} event (with {@code latency_ms} when paired) when a response was.
   * {@code t} is valid only during the call (see {@code DnsParser}).
   */
  public void dns(Flow f, io.mirrorsensor.decode.app.dns.DnsTransaction t) throws IOException {
    dns(f.key(), f.keySrcIsClient(), f.flowId(), f, t);
  }

  /** As {@link #dns(Flow, io.mirrorsensor.decode.app.dns.DnsTransaction)}, without a Flow. */
  public void dns(FlowKey k, boolean keySrcIsClient, long flowId, Flow f,
      io.mirrorsensor.decode.app.dns.DnsTransaction t) throws IOException {
    if (t.hasQuery()) {
      appBegin("dns", t.queryNanos(), flowId, k, keySrcIsClient, f);
      g.writeObjectFieldStart("dns");
      g.writeNumberField("version", 2);
      g.writeStringField("type", "query");
      g.writeNumberField("id", t.id());
      g.writeStringField("flags", hex16(t.queryFlags()));
      dnsFlagBits(t.queryFlags());
      g.writeNumberField("opcode", (t.queryFlags() >>> 11) & 0xF);
      g.writeStringField("rrname", t.rrname());
      g.writeStringField("rrtype", io.mirrorsensor.decode.app.dns.DnsMessage.typeText(t.qtype()));
      if (t.timedOut()) {
        g.writeBooleanField("timed_out", true);
      }
      g.writeEndObject();
      appEnd(k);
    }
    io.mirrorsensor.decode.app.dns.DnsMessage m = t.response();
    if (m == null) {
      return;
    }
    appBegin("dns", t.responseNanos(), flowId, k, keySrcIsClient, f);
    g.writeObjectFieldStart("dns");
    g.writeNumberField("version", 2);
    g.writeStringField("type", "answer");
    g.writeNumberField("id", m.id());
    g.writeStringField("flags", hex16(m.flags()));
    dnsFlagBits(m.flags());
    g.writeNumberField("opcode", m.opcode());
    g.writeStringField("rrname", t.rrname());
    g.writeStringField("rrtype", io.mirrorsensor.decode.app.dns.DnsMessage.typeText(t.qtype()));
    g.writeStringField("rcode", io.mirrorsensor.decode.app.dns.DnsMessage.rcodeText(m.rcode()));
    if (t.latencyNanos() >= 0) {
      g.writeNumberField("latency_ms", millis(t.latencyNanos()));
    }
    dnsRecords("answers", m, io.mirrorsensor.decode.app.dns.DnsMessage.SECTION_ANSWER);
    dnsRecords("authorities", m, io.mirrorsensor.decode.app.dns.DnsMessage.SECTION_AUTHORITY);
    if (m.sectionCount(io.mirrorsensor.decode.app.dns.DnsMessage.SECTION_ANSWER) > 0) {
      // Suricata's "grouped": rdata by rrtype.
      Map<String, java.util.List<String>> grouped = new java.util.LinkedHashMap<>();
      for (int i = 0; i < m.records(); i++) {
        if (m.section(i) == io.mirrorsensor.decode.app.dns.DnsMessage.SECTION_ANSWER
            && m.rdataText(i) != null) {
          grouped.computeIfAbsent(io.mirrorsensor.decode.app.dns.DnsMessage.typeText(m.type(i)),
              x -> new java.util.ArrayList<>()).add(m.rdataText(i));
        }
      }
      g.writeObjectFieldStart("grouped");
      for (Map.Entry<String, java.util.List<String>> e : grouped.entrySet()) {
        g.writeArrayFieldStart(e.getKey());
        for (String v : e.getValue()) {
          g.writeString(v);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    g.writeEndObject();
    appEnd(k);
  }

  private void dnsRecords(String field, io.mirrorsensor.decode.app.dns.DnsMessage m,
      int section) throws IOException {
    if (m.sectionCount(section) == 0) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (int i = 0; i < m.records(); i++) {
      if (m.section(i) != section) {
        continue;
      }
      g.writeStartObject();
      g.writeStringField("rrname", m.nameText(i));
      g.writeStringField("rrtype", io.mirrorsensor.decode.app.dns.DnsMessage.typeText(m.type(i)));
      g.writeNumberField("ttl", m.ttl(i));
      String rdata = m.rdataText(i);
      if (rdata != null) {
        g.writeStringField("rdata", rdata);
      }
      if (m.type(i) == io.mirrorsensor.decode.app.dns.DnsMessage.TYPE_SOA && m.soaField(i, 0) >= 0) {
        g.writeObjectFieldStart("soa");
        g.writeStringField("mname", rdata);
        g.writeStringField("rname", m.soaRname(i));
        g.writeNumberField("serial", m.soaField(i, 0));
        g.writeNumberField("refresh", m.soaField(i, 1));
        g.writeNumberField("retry", m.soaField(i, 2));
        g.writeNumberField("expire", m.soaField(i, 3));
        g.writeNumberField("minimum", m.soaField(i, 4));
        g.writeEndObject();
      }
      if (m.type(i) == io.mirrorsensor.decode.app.dns.DnsMessage.TYPE_SRV && m.srvField(i, 0) >= 0) {
        g.writeObjectFieldStart("srv");
        g.writeNumberField("priority", m.srvField(i, 0));
        g.writeNumberField("weight", m.srvField(i, 1));
        g.writeNumberField("port", m.srvField(i, 2));
        g.writeStringField("name", rdata);
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private void dnsFlagBits(int flags) throws IOException {
    flag("qr", flags, 0x8000);
    flag("aa", flags, 0x0400);
    flag("tc", flags, 0x0200);
    flag("rd", flags, 0x0100);
    flag("ra", flags, 0x0080);
    flag("z", flags, 0x0040);
  }

  private static String hex16(int v) {
    String s = Integer.toHexString(v & 0xFFFF);
    return "0000".substring(s.length()) + s;
  }

  /**
   * Writes an HTTP transaction ({@code event_type: http}) at the time of its request's first
   * byte: Suricata's fields plus {@code response_latency_ms} and {@code response_complete_ms}.
   */
  public void http(Flow f, io.mirrorsensor.decode.app.http.HttpTransaction t) throws IOException {
    http(f.key(), f.keySrcIsClient(), f.flowId(), f, t);
  }

  /** As {@link #http(Flow, io.mirrorsensor.decode.app.http.HttpTransaction)}, without a Flow. */
  public void http(FlowKey k, boolean keySrcIsClient, long flowId, Flow f,
      io.mirrorsensor.decode.app.http.HttpTransaction t) throws IOException {
    appBegin("http", t.requestStartNanos(), flowId, k, keySrcIsClient, f);
    httpObject(t);
    appEnd(k);
  }

  /** The {@code http} object of an http event, or of an alert raised by the transaction. */
  private void httpObject(io.mirrorsensor.decode.app.http.HttpTransaction t) throws IOException {
    g.writeObjectFieldStart("http");
    String host = t.text(io.mirrorsensor.decode.app.http.HttpBuffer.HOST);
    if (host != null) {
      // Suricata's hostname: the Host header without its port.
      int colon = host.lastIndexOf(':');
      g.writeStringField("hostname", colon > 0 && host.indexOf(']') < colon
          ? host.substring(0, colon) : host);
    }
    httpField("url", t, io.mirrorsensor.decode.app.http.HttpBuffer.URI_RAW);
    httpField("http_user_agent", t, io.mirrorsensor.decode.app.http.HttpBuffer.USER_AGENT);
    httpField("http_content_type", t, io.mirrorsensor.decode.app.http.HttpBuffer.CONTENT_TYPE);
    httpField("http_refer", t, io.mirrorsensor.decode.app.http.HttpBuffer.REFERER);
    httpField("http_method", t, io.mirrorsensor.decode.app.http.HttpBuffer.METHOD);
    String protocol = t.text(io.mirrorsensor.decode.app.http.HttpBuffer.PROTOCOL);
    g.writeStringField("protocol", t.http09() ? "HTTP/0.9" : protocol);
    if (t.status() > 0) {
      g.writeNumberField("status", t.status());
    }
    g.writeNumberField("length", t.responseBodyBytes());
    if (t.responseLatencyNanos() >= 0) {
      g.writeNumberField("response_latency_ms", millis(t.responseLatencyNanos()));
    }
    if (t.responseCompleteNanos() >= 0) {
      g.writeNumberField("response_complete_ms", millis(t.responseCompleteNanos()));
    }
    g.writeEndObject();
  }

  private void httpField(String name, io.mirrorsensor.decode.app.http.HttpTransaction t,
      io.mirrorsensor.decode.app.http.HttpBuffer b) throws IOException {
    String v = t.text(b);
    if (v != null) {
      g.writeStringField(name, v);
    }
  }

  private void appBegin(String type, long tsNanos, long flowId, FlowKey k, boolean keySrcIsClient,
      Flow f) throws IOException {
    begin(type, tsNanos, flowId);
    tuple(k, keySrcIsClient);
    if (f != null) {
      vxlan(f);
    }
    g.writeStringField("app_proto", type);
  }

  private void appEnd(FlowKey k) throws IOException {
    g.writeStringField("community_id", k.communityId());
    end();
  }

  public void flush() throws IOException {
    g.flush();
  }

  @Override
  public void close() throws IOException {
    g.close();
  }

  // ---- app layer (issue 9): tls events, shared/EVE.md ----

  /**
   * Writes a TLS handshake ({@code event_type: tls}) at the time of its first hello, once per
   * connection: call from {@code TlsListener.complete}. Suricata's fields, each only when known:
   * {@code sni}, {@code version} ({@code UNDETERMINED} without a ServerHello), the server
   * certificate's {@code subject}, {@code issuerdn}, {@code serial}, {@code notbefore}, {@code
   * notafter} (TLS 1.2 and earlier), {@code ja3} and {@code ja3s} {hash, string}, {@code ja4},
   * {@code client_alpns}, {@code server_alpn}.
   */
  public void tls(Flow f, io.mirrorsensor.decode.app.tls.TlsTransaction t) throws IOException {
    tls(f.key(), f.keySrcIsClient(), f.flowId(), f, t);
  }

  /** As {@link #tls(Flow, io.mirrorsensor.decode.app.tls.TlsTransaction)}, without a Flow. */
  public void tls(FlowKey k, boolean keySrcIsClient, long flowId, Flow f,
      io.mirrorsensor.decode.app.tls.TlsTransaction t) throws IOException {
    appBegin("tls", t.firstNanos(), flowId, k, keySrcIsClient, f);
    tlsObject(t);
    appEnd(k);
  }

  /** The {@code tls} object of a tls event, or of an alert raised by the handshake. */
  private void tlsObject(io.mirrorsensor.decode.app.tls.TlsTransaction t) throws IOException {
    g.writeObjectFieldStart("tls");
    io.mirrorsensor.decode.app.tls.TlsCertificate c = t.certificate();
    if (c != null) {
      g.writeStringField("subject", c.subject());
      g.writeStringField("issuerdn", c.issuer());
      g.writeStringField("serial", c.serial());
    }
    if (t.sni() != null) {
      g.writeStringField("sni", t.sni());
    }
    g.writeStringField("version", t.versionText());
    if (c != null) {
      g.writeStringField("notbefore", c.notBeforeText());
      g.writeStringField("notafter", c.notAfterText());
    }
    io.mirrorsensor.decode.app.tls.TlsHello ch = t.client();
    if (ch != null && ch.ja3String() != null) {
      g.writeObjectFieldStart("ja3");
      g.writeStringField("hash", ch.ja3Hash());
      g.writeStringField("string", ch.ja3String());
      g.writeEndObject();
    }
    io.mirrorsensor.decode.app.tls.TlsHello sh = t.server();
    if (sh != null) {
      g.writeObjectFieldStart("ja3s");
      g.writeStringField("hash", sh.ja3Hash());
      g.writeStringField("string", sh.ja3String());
      g.writeEndObject();
    }
    if (ch != null && ch.ja4() != null) {
      g.writeStringField("ja4", ch.ja4());
    }
    if (ch != null && !ch.alpns().isEmpty()) {
      g.writeArrayFieldStart("client_alpns");
      for (String a : ch.alpns()) {
        g.writeString(a);
      }
      g.writeEndArray();
    }
    if (sh != null && !sh.alpns().isEmpty()) {
      g.writeStringField("server_alpn", sh.alpns().get(0));
    }
    g.writeEndObject();
  }
}

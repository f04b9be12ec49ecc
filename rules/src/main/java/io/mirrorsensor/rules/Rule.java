package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;
import java.util.List;

/**
 * One loaded rule: what an alert reports (gid, sid, rev, msg, classtype and its category, severity,
 * metadata) and, package-private, its compiled header, checks and payload keywords. Immutable after
 * load and shared by every detector of its {@link RuleSet}.
 */
public final class Rule {
  // ---- identity and alert fields (public) ----
  String action = "alert";
  String protocol;
  long gid = 1;
  long sid;
  long rev;
  String msg = "";
  String classtype;
  String category;
  /** 0 = not set by priority or classtype (then 3, Suricata's default). */
  int priority;
  List<String> metadata = List.of();
  List<String> references = List.of();
  String target;
  String file;
  int line;
  String text;

  // ---- compiled (package-private) ----
  int protoClass;
  /** {@link Protocols#APP_NONE} for a packet rule, else the app protocol it inspects per transaction. */
  int app = Protocols.APP_NONE;
  /** App-layer rules: true when evaluated in the to_client direction (response buffers). */
  boolean toClient;
  /** App-layer rules whose direction contradicts their buffers: loaded (as Suricata), never match. */
  boolean never;
  /** Payload keywords grouped by buffer, each group in rule order; parallel to segBuffers. */
  PayloadMatch[][] segments = new PayloadMatch[0][];
  StickyBuffer[] segBuffers = new StickyBuffer[0];
  AddressSet src = AddressSet.ANY;
  AddressSet dst = AddressSet.ANY;
  PortSet srcPorts = PortSet.ANY;
  PortSet dstPorts = PortSet.ANY;
  boolean bidirectional;
  PacketCheck[] checks;
  PayloadMatch[] payload;
  /** The content the prefilter looks for, or null when the rule has none (always evaluated). */
  ContentMatch fastPattern;
  int[] setBits = new int[0];
  int[] unsetBits = new int[0];
  int[] toggleBits = new int[0];
  /** xbits set/unset/toggle done when the rule matches. */
  XbitsKeyword.Op[] xbitActions = new XbitsKeyword.Op[0];
  /** flowint =, +, - done when the rule matches. */
  FlowintKeyword.Op[] flowintActions = new FlowintKeyword.Op[0];
  boolean noalert;
  Threshold threshold;
  /** Lint found while parsing: (offset in the text, message) pairs; turned into diagnostics. */
  List<Object[]> lint = List.of();
  /**
   * How a tcp packet rule meets TCP data ({@link RuleSet} sets it): {@link #PACKET} on each packet
   * only, {@link #STREAM} on the reassembled stream where the packet's direction is reassembled and
   * on the packet elsewhere, {@link #STREAM_ONLY} on the reassembled stream only.
   */
  int streamMode;

  static final int PACKET = 0;
  static final int STREAM = 1;
  static final int STREAM_ONLY = 2;
  /**
   * A stream rule with a content anchored near the start of the stream (pkt_data, not relative,
   * with a fixed offset and depth, as ET's {@code content:"|18 03|"; depth:2;}): the stream offset
   * after which that content cannot lie, so a window starting at or past it cannot match ({@link
   * RuleSet} sets it); else Long.MAX_VALUE.
   */
  long streamEnd = Long.MAX_VALUE;
  /** Position in the evaluation order of its rule set. */
  int index;

  Rule() {}

  /** alert, pass, drop or reject (drop and reject only alert in this passive sensor). */
  public String action() {
    return action;
  }

  /** Protocol as written in the header (ip, tcp, udp, icmp, tcp-pkt, ...). */
  public String protocol() {
    return protocol;
  }

  public long gid() {
    return gid;
  }

  public long sid() {
    return sid;
  }

  public long rev() {
    return rev;
  }

  public String msg() {
    return msg;
  }

  /** The classtype short name, or null. */
  public String classtype() {
    return classtype;
  }

  /** The classtype's description (EVE {@code alert.category}), or "" when none. */
  public String category() {
    return category == null ? "" : category;
  }

  /** EVE {@code alert.severity}: the rule's priority, else its classtype's, else 3. */
  public int severity() {
    return priority == 0 ? 3 : priority;
  }

  /** metadata entries as written, e.g. {@code "created_at 2024_01_01"}. */
  public List<String> metadata() {
    return metadata;
  }

  /** reference entries as written, e.g. {@code "url,example.com"}. */
  public List<String> references() {
    return references;
  }

  /** {@code src_ip}, {@code dest_ip} or null. */
  public String target() {
    return target;
  }

  /**
   * The app-layer protocol whose transactions the rule inspects ({@code http}, {@code dns},
   * {@code tls}), or null for a packet rule.
   */
  public String appLayer() {
    return app == Protocols.APP_NONE ? null : Protocols.APP_NAMES[app];
  }

  /**
   * For an app-layer rule, true when it is evaluated in the to_client direction (it reads response
   * buffers or says flow:to_client): the alert's packet direction is server to client.
   */
  public boolean toClient() {
    return toClient;
  }

  /** File and line the rule was loaded from. */
  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** The rule text (continuation lines joined). */
  public String text() {
    return text;
  }

  /** True when the protocol, addresses and ports of the header accept the packet. */
  boolean headerMatches(DecodedPacket p) {
    if (!protoMatches(p)) {
      return false;
    }
    if (forward(p)) {
      return true;
    }
    return bidirectional && reverse(p);
  }

  // ports first: a few integer compares, and more selective than $HOME_NET / $EXTERNAL_NET
  private boolean forward(DecodedPacket p) {
    return (srcPorts.isAny() || srcPorts.matches(p.srcPort))
        && (dstPorts.isAny() || dstPorts.matches(p.dstPort))
        && src.matches(p.srcAddr, p.ipVersion)
        && dst.matches(p.dstAddr, p.ipVersion);
  }

  private boolean reverse(DecodedPacket p) {
    return (srcPorts.isAny() || srcPorts.matches(p.dstPort))
        && (dstPorts.isAny() || dstPorts.matches(p.srcPort))
        && src.matches(p.dstAddr, p.ipVersion)
        && dst.matches(p.srcAddr, p.ipVersion);
  }

  boolean protoMatches(DecodedPacket p) {
    if (p.ipVersion == 0) {
      return false;
    }
    switch (protoClass) {
      case Protocols.TCP:
        return p.ipProto == 6 && p.l4Offset >= 0;
      case Protocols.UDP:
        return p.ipProto == 17 && p.l4Offset >= 0;
      case Protocols.ICMP:
        return p.ipProto == 1 || p.ipProto == 58;
      default:
        return true;
    }
  }

  @Override
  public String toString() {
    return "[" + gid + ":" + sid + ":" + rev + "] " + msg;
  }
}

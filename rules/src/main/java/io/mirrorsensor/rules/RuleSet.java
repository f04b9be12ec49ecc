package io.mirrorsensor.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A compiled, immutable set of rules: rules in evaluation order, one prefilter per protocol group
 * (ip-other, tcp, udp, icmp; {@code ip} rules are in every group), and the load report. Shared by
 * every worker; each worker calls {@link #newDetector()} once.
 *
 * <p>TCP data is met as Suricata meets it: a tcp rule with payload keywords only (no check on the
 * packet itself, no {@code flow:no_stream}, not {@code tcp-pkt}) is a stream rule ({@link
 * Rule#STREAM}): it runs on the reassembled stream ({@link #stream}) where the direction is
 * reassembled, and on the packet elsewhere; {@code flow:only_stream} and {@code tcp-stream} rules
 * run on the stream only. A TCP packet of a reassembled direction is therefore checked against
 * {@link #coveredTcp} (packet rules only), any other against the tcp group.
 *
 * <p>Evaluation order follows Suricata's default: action (pass, drop, reject, alert), then rules
 * that set flowbits before rules that only read them, the same for flowints, then priority, then
 * file order.
 */
public final class RuleSet {
  final Rule[] rules;
  /** Packet groups for packets without a flow direction (any rule of the protocol). */
  final Group[] groups;
  /**
   * Packet groups by direction ({@link #DIR_ANY}, {@link #DIR_TS}, {@link #DIR_TC}) and protocol:
   * a to_server packet meets only the rules that can match to_server packets (Suricata's
   * per-direction rule groups), so the prefilter of each holds fewer patterns.
   */
  final Group[][] packetGroups = new Group[3][Protocols.GROUPS];
  final int flowbitWords;
  final List<String> flowbitNames;
  final List<String> flowintNames;
  final int regexSlots;
  final RuleOptions options;
  /** The xbits of this set, shared by its detectors. */
  final XbitTable xbits;
  private LoadReport report;
  /**
   * The set in force for this set's lineage: itself until a reload publishes a successor ({@link
   * #publish}). Shared by every set reloaded from this one. Written by the reloading thread;
   * read by each worker once per packet or transaction (a volatile read), so a worker switches at
   * its next packet.
   */
  private final AtomicReference<RuleSet> live;

  /**
   * The tcp group without stream rules, by direction (TS, TC): for packets whose direction is
   * stream-inspected.
   */
  final Group[] coveredTcp = new Group[3];
  /**
   * Stream rules by direction (TS, TC): inspected on windows of reassembled TCP streams ({@link
   * StreamWindow}).
   */
  final Group[] stream = new Group[3];
  private final boolean hasStreamRules;

  static final int DIR_ANY = 0;
  static final int DIR_TS = 1;
  static final int DIR_TC = 2;
  /**
   * Bytes of the previous window a stream window keeps in front of new data, so that a match of up
   * to this many + 1 bytes can span a chunk boundary: the longest span of a stream rule's chained
   * contents, at most {@link #MAX_STREAM_TAIL}.
   */
  final int streamTail;

  /** Upper bound of {@link #streamTail}: per reassembled direction, this much is kept. */
  static final int MAX_STREAM_TAIL = 2048;

  /** Per app protocol (http, dns, tls): the rules inspected on its transactions. */
  final AppGroup[] appGroups = new AppGroup[Protocols.APP_GROUPS];

  /** The rules of one app protocol: one prefilter per (buffer, direction) of their fast patterns. */
  static final class AppGroup {
    /** Rules without a fast pattern: evaluated on every transaction of the protocol. */
    int[] always;
    Prefilter[] prefilters;
  }

  /** A multi-pattern matcher over one buffer, read in one direction. */
  static final class Prefilter {
    StickyBuffer buffer;
    boolean toClient;
    MultiPatternMatcher mpm;
    int[][] patternRules;
    /**
     * Non-null for the prefilter of an http direction's raw message ({@link
     * StickyBuffer#HTTP_RAW_MESSAGE}: head, then body) merged with its body's ({@link
     * StickyBuffer#FILE_DATA}): one scan of the head, continued over the body, finds both, so a
     * body is scanned once, not twice. {@link #patternRules} are then the raw message's rules of
     * each pattern, {@code bodyRules} file.data's (found only by an occurrence wholly in the body);
     * either may be empty.
     */
    int[][] bodyRules;
    /** With {@link #bodyRules}: pattern id to its length. */
    int[] patternLength;
  }

  /** The rules a packet of one protocol can match, and their prefilter. */
  static final class Group {
    /** Null when no rule of the group has a fast pattern. */
    MultiPatternMatcher mpm;
    /** Pattern id to the indexes (evaluation order) of the rules using it. */
    int[][] patternRules;
    /** Pattern id to its length. */
    int[] patternLength;
    /** Pattern id to its bytes (folded). */
    List<byte[]> patterns;
    /**
     * Pattern id to: some rule using it has more keywords than its fast pattern, so an occurrence
     * may start a match that the next stream chunk completes ({@link StreamWindow#pending}).
     */
    boolean[] patternChains;
    /** Rules without a fast pattern: evaluated on every packet of the group. */
    int[] always;
    /**
     * Rules without a fast pattern whose source or destination lists only IPv4 (only IPv6)
     * addresses: evaluated on the IPv4 (IPv6) packets of the group only.
     */
    int[] alwaysV4;
    int[] alwaysV6;
    /**
     * Rules without a fast pattern whose destination port is a short list (not bidirectional),
     * by port: {@link #byPortRules}[i] are the rules of destination port {@link #byPort}[i].
     */
    int[] byPort;
    int[][] byPortRules;
    /**
     * The same by source port, for such rules whose destination port is not a short list (ET's
     * responses from a service: {@code $HOME_NET 3389 -> any any}).
     */
    int[] bySrcPort;
    int[][] bySrcPortRules;
    /** Header-only rules found by address instead (Suricata's IP-only engine), or null. */
    AddressIndex bySrc;
    AddressIndex byDst;
  }

  /**
   * Rules keyed by the IPv4 ranges of one side of their header: the address's elementary
   * interval gives the rules whose ranges hold it. Only rules with no content, no checks and a
   * plain IPv4 list on that side (the IP-reputation rules) go here; the header is still checked
   * in full for each candidate.
   */
  static final class AddressIndex {
    /** Interval i is [starts[i], starts[i + 1]); the last runs to 2^32. */
    final long[] starts;
    final int[][] rules;

    AddressIndex(long[] starts, int[][] rules) {
      this.starts = starts;
      this.rules = rules;
    }

    /** Rules whose ranges hold IPv4 address {@code a} (unsigned), or null. */
    int[] lookup(long a) {
      int lo = 0;
      int hi = starts.length - 1;
      int at = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (starts[mid] <= a) {
          at = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return at < 0 ? null : rules[at];
    }

    static AddressIndex build(List<Rule> rs, boolean src) {
      if (rs.isEmpty()) {
        return null;
      }
      java.util.TreeSet<Long> bounds = new java.util.TreeSet<>();
      for (Rule r : rs) {
        for (long[] x : (src ? r.src : r.dst).v4Ranges()) {
          bounds.add(x[0]);
          bounds.add(x[1] + 1);
        }
      }
      long[] starts = bounds.stream().mapToLong(Long::longValue).toArray();
      List<List<Integer>> lists = new ArrayList<>();
      for (int i = 0; i < starts.length; i++) {
        lists.add(new ArrayList<>());
      }
      for (Rule r : rs) {
        for (long[] x : (src ? r.src : r.dst).v4Ranges()) {
          int i = java.util.Arrays.binarySearch(starts, x[0]);
          for (; i < starts.length && starts[i] <= x[1]; i++) {
            lists.get(i).add(r.index);
          }
        }
      }
      int[][] rules = new int[starts.length][];
      for (int i = 0; i < starts.length; i++) {
        List<Integer> l = lists.get(i);
        l.sort(null);
        rules[i] = l.isEmpty() ? null : RuleBuilder.ints(l);
      }
      return new AddressIndex(starts, rules);
    }
  }

  /** Fast patterns this short are not prefiltered (see buildGroup). */
  static final int SHORT_FAST_PATTERN = 2;

  /** Longest destination port list a rule without a fast pattern is found by (Group.byPort). */
  static final int MAX_PORT_LIST = 64;

  /** Widest side an address-indexed rule may be keyed by (wider ones stay in always). */
  static final long MAX_INDEXED_COVERAGE = 1L << 24;

  /**
   * 0 when {@code r} cannot be found by address, 1 to key it by its source, 2 by destination:
   * a header-only, one-directional rule with a plain list holding IPv4 blocks on the narrower
   * side. IPv4 packets find it through that side's IPv4 ranges; when the list also holds IPv6
   * blocks (ET's reputation lists mix both), IPv6 packets check it as a rule without an index.
   */
  private static int addressKey(Rule r) {
    if (r.payload.length > 0 || r.checks.length > 0 || r.bidirectional || r.fastPattern != null) {
      return 0;
    }
    long s = r.src.v4Indexable() ? r.src.v4Coverage() : Long.MAX_VALUE;
    long d = r.dst.v4Indexable() ? r.dst.v4Coverage() : Long.MAX_VALUE;
    if (Math.min(s, d) > MAX_INDEXED_COVERAGE) {
      return 0;
    }
    return s <= d ? 1 : 2;
  }

  RuleSet(List<Rule> loaded, LoadEnv env, RuleOptions options, LoadReport report,
      RuleSet previous) {
    this.live = previous == null ? new AtomicReference<>(this) : previous.live;
    List<Rule> sorted = new ArrayList<>(loaded);
    sorted.sort((a, b) -> {
      int c = Integer.compare(actionRank(a), actionRank(b));
      if (c == 0) {
        c = Integer.compare(flowbitRank(a), flowbitRank(b));
      }
      if (c == 0) {
        c = Integer.compare(flowintRank(a), flowintRank(b));
      }
      if (c == 0) {
        c = Integer.compare(a.severity(), b.severity());
      }
      return c;
    });
    rules = sorted.toArray(new Rule[0]);
    boolean usesXbits = false;
    for (Rule r : rules) {
      usesXbits |= r.xbitActions.length > 0
          || java.util.Arrays.stream(r.checks).anyMatch(c -> c instanceof XbitsKeyword.Op);
    }
    xbits = new XbitTable(usesXbits ? 1 << 16 : 64);
    for (int i = 0; i < rules.length; i++) {
      rules[i].index = i;
    }
    int tail = 0;
    boolean streams = false;
    for (Rule r : rules) {
      r.streamMode = streamMode(r);
      r.streamEnd = r.streamMode == Rule.PACKET ? Long.MAX_VALUE : streamEnd(r);
      if (r.streamMode != Rule.PACKET) {
        streams = true;
        tail = Math.max(tail, span(r) - 1);
      }
    }
    hasStreamRules = streams;
    streamTail = Math.min(MAX_STREAM_TAIL, tail);
    for (int d = DIR_ANY; d <= DIR_TC; d++) {
      for (int g = 0; g < Protocols.GROUPS; g++) {
        packetGroups[d][g] = buildGroup(g, ON_PACKET, d);
      }
      if (d != DIR_ANY) {
        coveredTcp[d] = buildGroup(Protocols.TCP, ON_COVERED_PACKET, d);
        stream[d] = buildGroup(Protocols.TCP, ON_STREAM, d);
        buildStreamScan(d);
      }
    }
    groups = packetGroups[DIR_ANY];
    addressIndexes = null; // only needed while the groups are built

    for (int a = 0; a < Protocols.APP_GROUPS; a++) {
      appGroups[a] = buildAppGroup(a);
    }
    flowbitNames = List.copyOf(env.flowbits.keySet());
    flowbitWords = Math.max(1, (flowbitNames.size() + 63) >>> 6);
    flowintNames = List.copyOf(env.flowints.keySet());
    regexSlots = env.regexSlots;
    this.options = options;
    this.report = report;
  }

  /** {@link Rule#streamEnd}: the smallest end of its pkt_data contents anchored absolutely. */
  private static long streamEnd(Rule r) {
    long end = Long.MAX_VALUE;
    for (int s = 0; s < r.segments.length; s++) {
      if (r.segBuffers[s] != StickyBuffer.PKT_DATA) {
        continue;
      }
      for (PayloadMatch m : r.segments[s]) {
        if (m instanceof ContentMatch) {
          ContentMatch c = (ContentMatch) m;
          if (!c.negated && !c.relative() && !c.startswith && c.depth >= 0 && c.offsetVar < 0
              && c.depthVar < 0) {
            end = Math.min(end, (long) c.offset + c.depth);
          }
        }
      }
    }
    return end;
  }

  /** What a group is built for (which stream modes it takes). */
  private static final int ON_PACKET = 0;
  private static final int ON_COVERED_PACKET = 1;
  private static final int ON_STREAM = 2;

  private static boolean inGroup(Rule r, int on) {
    switch (on) {
      case ON_PACKET:
        return r.streamMode != Rule.STREAM_ONLY;
      case ON_COVERED_PACKET:
        return r.streamMode == Rule.PACKET;
      default:
        return r.streamMode != Rule.PACKET;
    }
  }

  /**
   * One prefilter per direction over the stream rules' and the packet-only tcp rules' fast
   * patterns: a stream chunk that is exactly the payload of the packet delivering it is scanned
   * once for both (the packet's own scan is then skipped, see {@link Detector#inspect}).
   */
  final MultiPatternMatcher[] streamScan = new MultiPatternMatcher[3];
  /** Per direction: pattern id of {@link #streamScan} to the stream group's id, or -1. */
  final int[][] streamScanToStream = new int[3][];
  /** Per direction: pattern id of {@link #streamScan} to the covered tcp group's id, or -1. */
  final int[][] streamScanToCovered = new int[3][];
  /** Per direction: pattern id of {@link #streamScan} to its length. */
  final int[][] streamScanLength = new int[3][];

  private void buildStreamScan(int d) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    List<byte[]> pats = new ArrayList<>();
    List<int[]> maps = new ArrayList<>();
    Group[] both = {stream[d], coveredTcp[d]};
    for (int k = 0; k < 2; k++) {
      for (int i = 0; i < both[k].patterns.size(); i++) {
        byte[] p = both[k].patterns.get(i);
        String key = new String(p, java.nio.charset.StandardCharsets.ISO_8859_1);
        Integer id = ids.get(key);
        if (id == null) {
          id = pats.size();
          ids.put(key, id);
          pats.add(p);
          maps.add(new int[] {-1, -1});
        }
        maps.get(id)[k] = i;
      }
    }
    if (pats.isEmpty()) {
      return;
    }
    streamScan[d] = new MultiPatternMatcher(pats);
    streamScanToStream[d] = new int[pats.size()];
    streamScanToCovered[d] = new int[pats.size()];
    streamScanLength[d] = new int[pats.size()];
    for (int i = 0; i < pats.size(); i++) {
      streamScanToStream[d][i] = maps.get(i)[0];
      streamScanToCovered[d][i] = maps.get(i)[1];
      streamScanLength[d][i] = pats.get(i).length;
    }
  }

  /** DIR_TS for a flow:to_server rule, DIR_TC for flow:to_client, else DIR_ANY. */
  static int direction(Rule r) {
    for (PacketCheck c : r.checks) {
      if (c instanceof FlowCheck && ((FlowCheck) c).toServer != FlowCheck.ANY) {
        return ((FlowCheck) c).toServer == FlowCheck.YES ? DIR_TS : DIR_TC;
      }
    }
    return DIR_ANY;
  }

  /** Classifies a rule for TCP data (see the class comment). */
  static int streamMode(Rule r) {
    if (r.app != Protocols.APP_NONE || r.protoClass != Protocols.TCP
        || "tcp-pkt".equals(r.protocol)) {
      return Rule.PACKET;
    }
    boolean only = "tcp-stream".equals(r.protocol);
    boolean packetChecks = false;
    for (PacketCheck c : r.checks) {
      if (c instanceof FlowCheck) {
        if (((FlowCheck) c).noStream) {
          return Rule.PACKET;
        }
        only |= ((FlowCheck) c).onlyStream;
      }
      packetChecks |= c.needsPacket();
    }
    if (only) {
      return Rule.STREAM_ONLY;
    }
    if (r.segments.length == 0 || packetChecks) {
      return Rule.PACKET;
    }
    for (StickyBuffer b : r.segBuffers) {
      if (b != StickyBuffer.PKT_DATA) {
        return Rule.PACKET;
      }
    }
    return Rule.STREAM;
  }

  /**
   * Longest run of bytes one match of the rule can cover, estimated from its chains of relative
   * contents (a content, then contents at a distance/within of it); other keywords add nothing.
   */
  static int span(Rule r) {
    long best = 0;
    long chain = 0;
    for (PayloadMatch m : r.payload) {
      if (!(m instanceof ContentMatch)) {
        continue;
      }
      ContentMatch c = (ContentMatch) m;
      int len = c.pattern.length;
      if (c.negated) {
        continue;
      }
      if (c.relative()) {
        chain += Math.max(0, c.distance) + (c.within >= 0 ? Math.max(c.within, len) : len);
      } else {
        chain = len;
      }
      best = Math.max(best, chain);
    }
    return (int) Math.min(Integer.MAX_VALUE, best);
  }

  /** Address indexes built so far, by side and rules (the groups of each direction share them). */
  private Map<List<Object>, AddressIndex> addressIndexes = new java.util.HashMap<>();

  private AddressIndex addressIndex(List<Rule> rs, boolean src) {
    List<Object> key = new ArrayList<>(rs);
    key.add(src);
    return addressIndexes.computeIfAbsent(key, k -> AddressIndex.build(rs, src));
  }

  private static int actionRank(Rule r) {
    switch (r.action) {
      case "pass":
        return 0;
      case "drop":
        return 1;
      case "reject":
        return 2;
      default:
        return 3;
    }
  }

  /** Suricata's SCSigOrderByFlowintCompare: setters, then setters that read, then the rest, then readers. */
  private static int flowintRank(Rule r) {
    boolean sets = r.flowintActions.length > 0;
    boolean reads = false;
    for (PacketCheck c : r.checks) {
      reads |= c instanceof FlowintKeyword.Op;
    }
    if (sets) {
      return reads ? 1 : 0;
    }
    return reads ? 3 : 2;
  }

  private static int flowbitRank(Rule r) {
    boolean sets = r.setBits.length + r.unsetBits.length + r.toggleBits.length > 0;
    boolean reads = false;
    for (PacketCheck c : r.checks) {
      reads |= c instanceof FlowbitCheck;
    }
    if (sets) {
      return reads ? 1 : 0;
    }
    return reads ? 3 : 2;
  }

  /**
   * The buffer a fast pattern is prefiltered on: the buffer itself, except that a body buffer
   * read in its own direction is the same bytes as file.data in that direction (the response
   * body to the client, the request body to the server), so their rules share one prefilter and
   * each body is scanned once. The prefilter only picks candidates: every rule is then evaluated
   * on its own buffers.
   */
  static StickyBuffer prefilterBuffer(StickyBuffer b, boolean toClient) {
    if (b == StickyBuffer.HTTP_RESPONSE_BODY && toClient
        || b == StickyBuffer.HTTP_REQUEST_BODY && !toClient) {
      return StickyBuffer.FILE_DATA;
    }
    return b;
  }

  private AppGroup buildAppGroup(int app) {
    AppGroup grp = new AppGroup();
    List<Integer> always = new ArrayList<>();
    // key: buffer id * 2 + direction
    Map<Integer, Map<String, List<Integer>>> byBuffer = new java.util.TreeMap<>();
    Map<Integer, StickyBuffer> buffers = new java.util.HashMap<>();
    for (Rule r : rules) {
      if (r.app != app) {
        continue;
      }
      if (r.fastPattern == null) {
        always.add(r.index);
        continue;
      }
      StickyBuffer b = prefilterBuffer(r.fastPattern.buffer, r.toClient);
      int key = b.id * 2 + (r.toClient ? 1 : 0);
      buffers.put(key, b);
      String pat = new String(r.fastPattern.prefilterBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
      byBuffer.computeIfAbsent(key, k -> new LinkedHashMap<>())
          .computeIfAbsent(pat, k -> new ArrayList<>()).add(r.index);
    }
    grp.always = RuleBuilder.ints(always);
    List<Prefilter> pfs = new ArrayList<>();
    for (int dir = 0; dir < 2; dir++) {
      Map<String, List<Integer>> raw = byBuffer.get(StickyBuffer.HTTP_RAW_MESSAGE.id * 2 + dir);
      Map<String, List<Integer>> body = byBuffer.get(StickyBuffer.FILE_DATA.id * 2 + dir);
      if (raw != null && body != null) {
        pfs.add(rawAndBody(raw, body, dir == 1));
        byBuffer.remove(StickyBuffer.HTTP_RAW_MESSAGE.id * 2 + dir);
        byBuffer.remove(StickyBuffer.FILE_DATA.id * 2 + dir);
      }
    }
    byBuffer.forEach((key, pats) -> {
      Prefilter pf = new Prefilter();
      pf.buffer = buffers.get(key);
      pf.toClient = (key & 1) == 1;
      List<byte[]> patterns = new ArrayList<>();
      pf.patternRules = new int[pats.size()][];
      int i = 0;
      for (Map.Entry<String, List<Integer>> e : pats.entrySet()) {
        patterns.add(e.getKey().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        pf.patternRules[i++] = RuleBuilder.ints(e.getValue());
      }
      pf.mpm = new MultiPatternMatcher(patterns);
      pfs.add(pf);
    });
    grp.prefilters = pfs.toArray(new Prefilter[0]);
    return grp;
  }

  /** The merged raw message and body prefilter of one http direction (see {@link Prefilter}). */
  private static Prefilter rawAndBody(Map<String, List<Integer>> raw,
      Map<String, List<Integer>> body, boolean toClient) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (String p : raw.keySet()) {
      ids.putIfAbsent(p, ids.size());
    }
    for (String p : body.keySet()) {
      ids.putIfAbsent(p, ids.size());
    }
    Prefilter pf = new Prefilter();
    pf.buffer = StickyBuffer.FILE_DATA;
    pf.toClient = toClient;
    pf.patternRules = new int[ids.size()][];
    pf.bodyRules = new int[ids.size()][];
    pf.patternLength = new int[ids.size()];
    List<byte[]> patterns = new ArrayList<>();
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      int i = e.getValue();
      patterns.add(e.getKey().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      pf.patternRules[i] = RuleBuilder.ints(raw.getOrDefault(e.getKey(), List.of()));
      pf.bodyRules[i] = RuleBuilder.ints(body.getOrDefault(e.getKey(), List.of()));
      pf.patternLength[i] = e.getKey().length();
    }
    pf.mpm = new MultiPatternMatcher(patterns);
    return pf;
  }

  /**
   * True when an ip rule's ip_proto check rejects every packet of group {@code g} (tcp: protocol
   * 6, udp: 17, icmp: 1 and 58): ET's {@code alert ip ... (ip_proto:41; ...)} would otherwise be
   * evaluated on every tcp and udp packet. The ip group keeps it.
   */
  static boolean ipProtoExcludes(Rule r, int g) {
    int[] protos;
    switch (g) {
      case Protocols.TCP:
        protos = new int[] {6};
        break;
      case Protocols.UDP:
        protos = new int[] {17};
        break;
      case Protocols.ICMP:
        protos = new int[] {1, 58};
        break;
      default:
        return false;
    }
    for (PacketCheck c : r.checks) {
      if (c instanceof PacketCheck.UintCheck && c.keyword.equals("ip_proto")) {
        boolean any = false;
        for (int proto : protos) {
          any |= ((PacketCheck.UintCheck) c).match.matches(proto);
        }
        if (!any) {
          return true;
        }
      }
    }
    return false;
  }

  private Group buildGroup(int g, int on, int dir) {
    Group grp = new Group();
    Map<String, Integer> ids = new LinkedHashMap<>();
    List<byte[]> patterns = new ArrayList<>();
    List<List<Integer>> users = new ArrayList<>();
    List<Integer> always = new ArrayList<>();
    List<Integer> alwaysV4 = new ArrayList<>();
    List<Integer> alwaysV6 = new ArrayList<>();
    java.util.TreeMap<Integer, List<Integer>> byPort = new java.util.TreeMap<>();
    java.util.TreeMap<Integer, List<Integer>> bySrcPort = new java.util.TreeMap<>();
    List<Rule> bySrc = new ArrayList<>();
    List<Rule> byDst = new ArrayList<>();
    for (Rule r : rules) {
      if (r.app != Protocols.APP_NONE || r.protoClass != g && r.protoClass != Protocols.IP
          || !inGroup(r, on) || ipProtoExcludes(r, g)) {
        continue;
      }
      int rd = direction(r);
      if (dir != DIR_ANY && rd != DIR_ANY && rd != dir) {
        continue;
      }
      // a fast pattern of 1-2 bytes occurs every few bytes of binary data: such a rule is not
      // prefiltered but checked on each packet or chunk its header (port, address) admits, its
      // contents found by the full evaluation
      if (r.fastPattern == null || r.fastPattern.prefilterBytes().length <= SHORT_FAST_PATTERN) {
        int key = addressKey(r);
        if (key == 1 || key == 2) {
          (key == 1 ? bySrc : byDst).add(r);
          if ((key == 1 ? r.src : r.dst).hasV6()) {
            alwaysV6.add(r.index);
          }
        } else if (!r.bidirectional && r.dstPorts.ports(MAX_PORT_LIST) != null) {
          for (int port : r.dstPorts.ports(MAX_PORT_LIST)) {
            byPort.computeIfAbsent(port, k -> new ArrayList<>()).add(r.index);
          }
        } else if (!r.bidirectional && r.srcPorts.ports(MAX_PORT_LIST) != null) {
          for (int port : r.srcPorts.ports(MAX_PORT_LIST)) {
            bySrcPort.computeIfAbsent(port, k -> new ArrayList<>()).add(r.index);
          }
        } else if (r.src.v6Only() || r.dst.v6Only()) {
          alwaysV6.add(r.index);
        } else if (r.src.v4Only() || r.dst.v4Only()) {
          alwaysV4.add(r.index);
        } else {
          always.add(r.index);
        }
        continue;
      }
      byte[] p = r.fastPattern.prefilterBytes();
      String key = new String(p, java.nio.charset.StandardCharsets.ISO_8859_1);
      Integer id = ids.get(key);
      if (id == null) {
        id = patterns.size();
        ids.put(key, id);
        patterns.add(p);
        users.add(new ArrayList<>());
      }
      users.get(id).add(r.index);
    }
    grp.always = RuleBuilder.ints(always);
    grp.alwaysV4 = RuleBuilder.ints(alwaysV4);
    grp.alwaysV6 = RuleBuilder.ints(alwaysV6);
    grp.byPort = byPort.keySet().stream().mapToInt(Integer::intValue).toArray();
    grp.byPortRules = new int[grp.byPort.length][];
    int pi = 0;
    for (List<Integer> l : byPort.values()) {
      grp.byPortRules[pi++] = RuleBuilder.ints(l);
    }
    grp.bySrcPort = bySrcPort.keySet().stream().mapToInt(Integer::intValue).toArray();
    grp.bySrcPortRules = new int[grp.bySrcPort.length][];
    pi = 0;
    for (List<Integer> l : bySrcPort.values()) {
      grp.bySrcPortRules[pi++] = RuleBuilder.ints(l);
    }
    grp.bySrc = addressIndex(bySrc, true);
    grp.byDst = addressIndex(byDst, false);
    grp.patternRules = new int[users.size()][];
    grp.patternLength = new int[users.size()];
    grp.patternChains = new boolean[users.size()];
    for (int i = 0; i < users.size(); i++) {
      grp.patternRules[i] = RuleBuilder.ints(users.get(i));
      grp.patternLength[i] = patterns.get(i).length;
      for (int r : grp.patternRules[i]) {
        grp.patternChains[i] |= rules[r].payload.length > 1;
      }
    }
    // the stream group is scanned through streamScan only: no matcher of its own
    grp.mpm = patterns.isEmpty() || on == ON_STREAM ? null : new MultiPatternMatcher(patterns);
    grp.patterns = patterns;
    return grp;
  }

  /**
   * The set currently in force for this set's lineage: this one, or the latest set reloaded from
   * it and {@link #publish published}.
   */
  public RuleSet current() {
    return live.get();
  }

  /**
   * Makes this set (reloaded from an earlier one with {@link RuleLoader#reload}) the one in force:
   * every worker holding an earlier set of the lineage switches at its next packet.
   */
  public void publish() {
    live.set(this);
  }

  /** True when some rule inspects reassembled TCP streams (then streams are worth reassembling). */
  public boolean hasStreamRules() {
    return hasStreamRules;
  }

  /** Flowbit names in bit order (a reload keeps them, so flows' bits keep their meaning). */
  public List<String> flowbitNames() {
    return flowbitNames;
  }

  /** A detector for one worker thread: owns its scratch, threshold state and regex matchers. */
  public Detector newDetector() {
    return new Detector(this);
  }

  /** Attaches the report once the load (which builds this set) has timed itself. */
  RuleSet withReport(LoadReport r) {
    this.report = r;
    return this;
  }

  public LoadReport report() {
    return report;
  }

  /**
   * True when a rule reads an HTTP body (http.request_body, http.response_body, file.data, pcre
   * P/Q, or an http rule's pkt_data, which includes the body): without one, the app layer need
   * not keep bodies at all.
   */
  public boolean readsHttpBodies() {
    int known = readsBodies;
    if (known == 0) {
      known = scanForBodyRules() ? 2 : 1;
      readsBodies = known; // racy but idempotent: every thread computes the same answer
    }
    return known == 2;
  }

  /** 0 not computed yet, 1 no, 2 yes ({@link #readsHttpBodies}). */
  private int readsBodies;

  private boolean scanForBodyRules() {
    for (Rule r : rules) {
      for (StickyBuffer b : r.segBuffers) {
        StickyBuffer root = b.root;
        if (root == StickyBuffer.HTTP_REQUEST_BODY || root == StickyBuffer.HTTP_RESPONSE_BODY
            || root == StickyBuffer.FILE_DATA || root == StickyBuffer.HTTP_RAW_MESSAGE) {
          return true;
        }
      }
    }
    return false;
  }

  /** Loaded rules in evaluation order. */
  public List<Rule> rules() {
    return Collections.unmodifiableList(java.util.Arrays.asList(rules));
  }

  /** The rule with this gid:sid, or null. */
  public Rule rule(long gid, long sid) {
    for (Rule r : rules) {
      if (r.sid == sid && r.gid == gid) {
        return r;
      }
    }
    return null;
  }

  /**
   * Flowint names in slot order (a reload keeps them, so flows' values keep their meaning); a
   * backoff threshold's per-flow counter is a slot too, named {@code "\0threshold gid:sid"}.
   */
  public List<String> flowintNames() {
    return flowintNames;
  }

  /** Longs a flow must hold for its flowints ({@link FlowContext#flowints()}); 0 when none. */
  public int flowintSlots() {
    return flowintNames.size();
  }

  /** Longs each flow must hold for its flowbits ({@link FlowContext#flowbits()}). */
  public int flowbitWords() {
    return flowbitWords;
  }

  /** Distinct patterns in the prefilter of the tcp group (reports, benchmarks). */
  public int prefilterPatterns(String protocol) {
    Group g = groups[Protocols.packetProtocol(protocol)];
    return g.patternRules.length;
  }
}

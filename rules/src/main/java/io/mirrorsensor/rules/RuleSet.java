package io.mirrorsensor.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled, immutable set of rules: rules in evaluation order, one prefilter per protocol group
 * (ip-other, tcp, udp, icmp; {@code ip} rules are in every group), and the load report. Shared by
 * every worker; each worker calls {@link #newDetector()} once.
 *
 * <p>Evaluation order follows Suricata's default: action (pass, drop, reject, alert), then rules
 * that set flowbits before rules that only read them, then priority, then file order.
 */
public final class RuleSet {
  final Rule[] rules;
  final Group[] groups = new Group[Protocols.GROUPS];
  final int flowbitWords;
  final List<String> flowbitNames;
  final int regexSlots;
  final RuleOptions options;
  private LoadReport report;

  /** The rules a packet of one protocol can match, and their prefilter. */
  static final class Group {
    /** Null when no rule of the group has a fast pattern. */
    MultiPatternMatcher mpm;
    /** Pattern id to the indexes (evaluation order) of the rules using it. */
    int[][] patternRules;
    /** Rules without a fast pattern: evaluated on every packet of the group. */
    int[] always;
  }

  RuleSet(List<Rule> loaded, LoadEnv env, RuleOptions options, LoadReport report) {
    List<Rule> sorted = new ArrayList<>(loaded);
    sorted.sort((a, b) -> {
      int c = Integer.compare(actionRank(a), actionRank(b));
      if (c == 0) {
        c = Integer.compare(flowbitRank(a), flowbitRank(b));
      }
      if (c == 0) {
        c = Integer.compare(a.severity(), b.severity());
      }
      return c;
    });
    rules = sorted.toArray(new Rule[0]);
    for (int i = 0; i < rules.length; i++) {
      rules[i].index = i;
    }
    for (int g = 0; g < Protocols.GROUPS; g++) {
      groups[g] = buildGroup(g);
    }
    flowbitNames = List.copyOf(env.flowbits.keySet());
    flowbitWords = Math.max(1, (flowbitNames.size() + 63) >>> 6);
    regexSlots = env.regexSlots;
    this.options = options;
    this.report = report;
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

  private Group buildGroup(int g) {
    Group grp = new Group();
    Map<String, Integer> ids = new LinkedHashMap<>();
    List<byte[]> patterns = new ArrayList<>();
    List<List<Integer>> users = new ArrayList<>();
    List<Integer> always = new ArrayList<>();
    for (Rule r : rules) {
      if (r.protoClass != g && r.protoClass != Protocols.IP) {
        continue;
      }
      if (r.fastPattern == null) {
        always.add(r.index);
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
    grp.patternRules = new int[users.size()][];
    for (int i = 0; i < users.size(); i++) {
      grp.patternRules[i] = RuleBuilder.ints(users.get(i));
    }
    grp.mpm = patterns.isEmpty() ? null : new MultiPatternMatcher(patterns);
    return grp;
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

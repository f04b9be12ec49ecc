package io.mirrorsensor.rules;

import java.util.ArrayList;
import java.util.List;

/** The rule being parsed: keywords add to it in order, then {@link #build} validates it. */
final class RuleBuilder {
  final Rule rule = new Rule();
  final LoadEnv env;
  final List<PacketCheck> checks = new ArrayList<>();
  final List<PayloadMatch> payload = new ArrayList<>();
  final List<String> metadata = new ArrayList<>();
  final List<String> references = new ArrayList<>();
  final List<Integer> setBits = new ArrayList<>();
  final List<Integer> unsetBits = new ArrayList<>();
  final List<Integer> toggleBits = new ArrayList<>();
  /** (offset, message) pairs of warnings found while parsing. */
  final List<Object[]> warnings = new ArrayList<>();
  StickyBuffer buffer = StickyBuffer.PKT_DATA;
  boolean sidSet;
  boolean readsFlowbits;
  boolean hasFastPatternFlag;
  /** True while priority came from the classtype (a later priority keyword wins). */
  boolean rulePriorityFromClass;

  /** Largest payload size dsize allows (for the never-matches lint). */
  long dsizeMax = Long.MAX_VALUE;

  RuleBuilder(LoadEnv env) {
    this.env = env;
  }

  void warn(int pos, String message) {
    warnings.add(new Object[] {pos, message});
  }

  /** The most recent content, which a modifier (nocase, depth ...) applies to. */
  ContentMatch lastContent(String keyword, int pos) throws RuleSyntaxException {
    for (int i = payload.size() - 1; i >= 0; i--) {
      if (payload.get(i) instanceof ContentMatch) {
        return (ContentMatch) payload.get(i);
      }
    }
    throw RuleSyntaxException.error(pos, keyword, "needs a preceding content");
  }

  /** Notes that {@code keyword} only matches ICMP packets: a warning on tcp/udp rules. */
  void icmpOnly(int pos, String keyword) {
    if (rule.protoClass == Protocols.TCP || rule.protoClass == Protocols.UDP) {
      warn(pos, keyword + " on a " + rule.protocol + " rule: " + rule.protocol + " packets have no ICMP header, never matches");
    }
  }

  /** Notes that {@code keyword} only matches TCP packets: a warning on udp/icmp rules. */
  void tcpOnly(int pos, String keyword) {
    if (rule.protoClass == Protocols.UDP || rule.protoClass == Protocols.ICMP) {
      warn(pos, keyword + " on a " + rule.protocol + " rule: " + rule.protocol + " packets have no TCP header, never matches");
    }
  }

  static int[] ints(List<Integer> l) {
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }
}

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
  /** byte_extract variables defined so far: name to slot in {@link Detector#extracted}. */
  final java.util.Map<String, Integer> vars = new java.util.HashMap<>();
  boolean sidSet;
  /**
   * Direction {@code =>}: the rule matches one transaction, its request and response buffers
   * together. Transactions are inspected whole here, so it compiles as an app-layer rule.
   */
  boolean transactional;
  /** A base64_decode was seen (base64_data needs one before it). */
  boolean hasBase64Decode;
  /** App-layer buffers and keywords used (an http/dns/tls rule needs at least one). */
  int appKeywords;
  boolean readsFlowbits;
  boolean hasFastPatternFlag;
  /** True while priority came from the classtype (a later priority keyword wins). */
  boolean rulePriorityFromClass;

  /** Largest payload size dsize allows (for the never-matches lint). */
  long dsizeMax = Long.MAX_VALUE;

  RuleBuilder(LoadEnv env) {
    this.env = env;
  }

  /** Adds a payload keyword on the current sticky buffer. */
  void add(PayloadMatch m) {
    m.buffer = buffer;
    payload.add(m);
  }

  /**
   * Notes that the rule inspects {@code buf}: an app-layer buffer makes the rule an app-layer
   * rule of that protocol (as Suricata infers the rule's app protocol from its buffers).
   *
   * @throws RuleSyntaxException when the rule already belongs to another app protocol
   */
  void useBuffer(StickyBuffer buf, String kw, int pos) throws RuleSyntaxException {
    useApp(buf.app, kw, pos);
  }

  /** Notes that the rule needs app protocol {@code app} (a buffer or tls.version). */
  void useApp(int app, String kw, int pos) throws RuleSyntaxException {
    if (app == Protocols.APP_NONE) {
      return;
    }
    if (rule.app != Protocols.APP_NONE && rule.app != app) {
      throw RuleSyntaxException.error(pos, kw, "is a " + Protocols.APP_NAMES[app] + " keyword in a "
          + Protocols.APP_NAMES[rule.app] + " rule");
    }
    rule.app = app;
    appKeywords++;
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

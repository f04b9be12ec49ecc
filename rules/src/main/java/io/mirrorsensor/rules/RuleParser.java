package io.mirrorsensor.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses one rule: header ({@code action proto src sport dir dst dport}) then the option list
 * {@code (name[:value]; ...)}. An option value ends at the first {@code ;} not escaped by a
 * backslash (quotes do not protect it, as in Suricata: write {@code \;} or {@code |3B|}).
 */
final class RuleParser {
  /** Bound on a rule's length in characters (after joining continuation lines). */
  static final int MAX_RULE_CHARS = 1 << 20;

  private RuleParser() {}

  static Rule parse(RuleSource src, LoadEnv env) throws RuleSyntaxException {
    String t = src.text;
    if (t.length() > MAX_RULE_CHARS) {
      throw RuleSyntaxException.error(0, null, "rule longer than " + MAX_RULE_CHARS + " characters");
    }
    RuleBuilder b = new RuleBuilder(env);
    Rule r = b.rule;
    r.file = src.file;
    r.line = src.firstLine();
    r.text = t.strip();
    int open = t.indexOf('(');
    if (open < 0) {
      throw RuleSyntaxException.error(t.length(), null, "missing '(': a rule is 'action proto src sport -> dst dport (options)'");
    }
    String skipProto = header(t, open, b);
    int close = t.length();
    while (close > 0 && Character.isWhitespace(t.charAt(close - 1))) {
      close--;
    }
    if (close == 0 || t.charAt(close - 1) != ')') {
      throw RuleSyntaxException.error(close, null, "the option list is not closed: the rule must end with ')'");
    }
    close--;
    options(t, open + 1, close, b);
    if (!b.sidSet) {
      throw RuleSyntaxException.error(open, "sid", "the rule has no sid");
    }
    if (skipProto != null) {
      throw RuleSyntaxException.skip(0, null, "protocol " + skipProto + " needs app-layer detection or stream reassembly, which this engine does not have yet", "protocol " + skipProto);
    }
    if (b.transactional && b.appKeywords == 0) {
      throw RuleSyntaxException.error(open, null, "a transactional rule ('=>') needs app-layer keywords: it matches one transaction, request and response together");
    }
    if (r.app != Protocols.APP_NONE && b.appKeywords == 0) {
      // an http, dns or tls rule without keywords of its protocol: Suricata inspects the packets
      // of the protocol's flows with it
      b.checks.add(new AppProtoCheck(Protocols.APP_NAMES[r.app]));
      r.app = Protocols.APP_NONE;
    }
    finish(b);
    return r;
  }

  /** Parses the header; returns the protocol name when the rule must be skipped for it. */
  private static String header(String t, int end, RuleBuilder b) throws RuleSyntaxException {
    List<int[]> tokens = new ArrayList<>();
    int i = 0;
    while (i < end) {
      while (i < end && Character.isWhitespace(t.charAt(i))) {
        i++;
      }
      if (i >= end) {
        break;
      }
      int s = i;
      int depth = 0;
      while (i < end && (depth > 0 || !Character.isWhitespace(t.charAt(i)))) {
        char c = t.charAt(i);
        if (c == '[') {
          depth++;
        } else if (c == ']') {
          depth--;
        }
        i++;
      }
      if (depth > 0) {
        throw RuleSyntaxException.error(s, null, "unterminated list '" + t.substring(s, Math.min(i, s + 40)).strip() + "': missing ']'");
      }
      tokens.add(new int[] {s, i});
    }
    String[] names = {"action", "protocol", "source address", "source port", "direction", "destination address", "destination port"};
    if (tokens.size() < 7) {
      int at = tokens.isEmpty() ? 0 : tokens.get(tokens.size() - 1)[1];
      throw RuleSyntaxException.error(at, null, "incomplete header: expected " + names[tokens.size()] + " before '('");
    }
    if (tokens.size() > 7) {
      throw RuleSyntaxException.error(tokens.get(7)[0], null, "unexpected '" + tok(t, tokens.get(7)) + "' after the destination port");
    }
    Rule r = b.rule;
    String action = tok(t, tokens.get(0));
    switch (action) {
      case "alert":
      case "pass":
      case "drop":
      case "reject":
        break;
      case "rejectsrc":
      case "rejectdst":
      case "rejectboth":
        action = "reject";
        break;
      default:
        throw RuleSyntaxException.error(tokens.get(0)[0], null, "unknown action '" + action + "' (alert, pass, drop, reject)");
    }
    r.action = action;
    String proto = tok(t, tokens.get(1)).toLowerCase(java.util.Locale.ROOT);
    r.protocol = proto;
    int pc = Protocols.packetProtocol(proto);
    String skip = null;
    if (pc < 0) {
      int app = Protocols.appProtocol(proto);
      if (app != Protocols.APP_NONE) {
        r.app = app;
        pc = app == Protocols.APP_DNS ? Protocols.IP : Protocols.TCP;
      } else if (Protocols.APP_LAYER.contains(proto) || Protocols.PACKET_UNSUPPORTED.contains(proto)) {
        skip = proto;
        pc = Protocols.TCP;
      } else {
        throw RuleSyntaxException.error(tokens.get(1)[0], null, "unknown protocol '" + proto + "'");
      }
    }
    r.protoClass = pc;
    String dir = tok(t, tokens.get(4));
    switch (dir) {
      case "->":
        break;
      case "<>":
        r.bidirectional = true;
        break;
      case "<-":
        throw RuleSyntaxException.error(tokens.get(4)[0], null, "'<-' is not a direction: swap source and destination and use '->'");
      case "=>":
        // transactional (Suricata 8): both directions of one transaction; app-layer rules only
        b.transactional = true;
        break;
      default:
        throw RuleSyntaxException.error(tokens.get(4)[0], null, "unknown direction '" + dir + "' ('->' or '<>')");
    }
    r.src = AddressSet.parse(tok(t, tokens.get(2)), tokens.get(2)[0], b.env.vars, "source address");
    r.srcPorts = PortSet.parse(tok(t, tokens.get(3)), tokens.get(3)[0], b.env.vars, "source port");
    r.dst = AddressSet.parse(tok(t, tokens.get(5)), tokens.get(5)[0], b.env.vars, "destination address");
    r.dstPorts = PortSet.parse(tok(t, tokens.get(6)), tokens.get(6)[0], b.env.vars, "destination port");
    return skip;
  }

  private static String tok(String t, int[] se) {
    return t.substring(se[0], se[1]);
  }

  private static void options(String t, int from, int to, RuleBuilder b) throws RuleSyntaxException {
    int i = from;
    while (true) {
      while (i < to && Character.isWhitespace(t.charAt(i))) {
        i++;
      }
      if (i >= to) {
        return;
      }
      int nameStart = i;
      while (i < to && t.charAt(i) != ':' && t.charAt(i) != ';') {
        i++;
      }
      String name = t.substring(nameStart, i).strip();
      if (name.isEmpty()) {
        throw RuleSyntaxException.error(nameStart, null, "empty option (a stray ';'?)");
      }
      if (name.chars().anyMatch(Character::isWhitespace)) {
        throw RuleSyntaxException.error(nameStart, null, "'" + name + "' is not an option name (missing ';' before it?)");
      }
      String value = null;
      int valuePos = nameStart;
      if (i < to && t.charAt(i) == ':') {
        i++;
        valuePos = i;
        while (i < to && t.charAt(i) != ';') {
          if (t.charAt(i) == '\\' && i + 1 < to) {
            i++;
          }
          i++;
        }
        value = t.substring(valuePos, i);
      }
      Keyword k = b.env.registry.get(name);
      if (k == null) {
        if (KeywordRegistry.isSuricataKeyword(name)) {
          throw RuleSyntaxException.skip(nameStart, name, "keyword not supported yet", name);
        }
        throw RuleSyntaxException.error(nameStart, name, "unknown keyword");
      }
      k.apply(b, value, valuePos);
      if (i < to) {
        i++; // the ';'
      }
    }
  }

  /**
   * Groups the payload keywords by buffer and, for an app-layer rule, checks that everything it
   * uses exists on a transaction and sets its direction: to_client when it reads a response
   * buffer or says {@code flow:to_client} (Suricata inspects such rules on the response).
   */
  /** Shortest content outside the HTTP bodies that is preferred over a longer one in a body. */
  static final int CHEAP_FAST_PATTERN = 4;

  /** True for the HTTP body buffers and those that contain a body (an http rule's pkt_data). */
  static boolean inBody(StickyBuffer b) {
    StickyBuffer root = b.root;
    return root == StickyBuffer.HTTP_REQUEST_BODY || root == StickyBuffer.HTTP_RESPONSE_BODY
        || root == StickyBuffer.FILE_DATA || root == StickyBuffer.HTTP_RAW_MESSAGE;
  }

  private static void appLayer(RuleBuilder b) throws RuleSyntaxException {
    Rule r = b.rule;
    java.util.Map<StickyBuffer, List<PayloadMatch>> seg = new java.util.LinkedHashMap<>();
    boolean response = false;
    for (PayloadMatch m : r.payload) {
      if (r.app == Protocols.APP_HTTP && m.buffer.app == Protocols.APP_NONE
          && m.buffer != StickyBuffer.BASE64_DATA) {
        // pkt_data of an http rule (base64_data follows whatever buffer was decoded): the transaction's raw message in the rule's direction
        m.buffer = StickyBuffer.HTTP_RAW_MESSAGE;
      }
      seg.computeIfAbsent(m.buffer, k -> new ArrayList<>()).add(m);
      if (r.app != Protocols.APP_NONE && m.buffer.app == Protocols.APP_NONE
          && m.buffer != StickyBuffer.BASE64_DATA) {
        throw RuleSyntaxException.skip(m.pos, m.keyword, "inspects the packet payload in a " + Protocols.APP_NAMES[r.app] + " rule, which this engine evaluates on transactions only", "pkt_data in an app-layer rule");
      }
      response |= m.buffer.side == StickyBuffer.RESPONSE;
    }
    r.segBuffers = seg.keySet().toArray(new StickyBuffer[0]);
    r.segments = new PayloadMatch[r.segBuffers.length][];
    for (int i = 0; i < r.segBuffers.length; i++) {
      r.segments[i] = seg.get(r.segBuffers[i]).toArray(new PayloadMatch[0]);
    }
    if (r.app == Protocols.APP_NONE) {
      return;
    }
    boolean flowToServer = false;
    for (PacketCheck c : r.checks) {
      if (c.needsPacket()) {
        throw RuleSyntaxException.skip(c.pos, c.keyword, "reads the packet in a " + Protocols.APP_NAMES[r.app] + " rule, which this engine evaluates on transactions only", c.keyword + " in an app-layer rule");
      }
      response |= c.toClient();
      flowToServer |= c instanceof FlowCheck && ((FlowCheck) c).toServer == FlowCheck.YES;
    }
    if (!flowToServer && seg.containsKey(StickyBuffer.FILE_DATA)) {
      // file_data without flow:to_server is the response body (Suricata before 7 had no other)
      response = true;
    }
    boolean flowToClient = false;
    boolean requestOnly = r.segBuffers.length > 0;
    for (StickyBuffer sb : r.segBuffers) {
      requestOnly &= sb.side == StickyBuffer.REQUEST;
    }
    for (PacketCheck c : r.checks) {
      flowToClient |= c instanceof FlowCheck && ((FlowCheck) c).toServer == FlowCheck.NO;
    }
    r.toClient = response;
    if (response && flowToServer) {
      b.warn(0, "reads a response buffer but says flow:to_server: never matches");
      r.never = true;
    } else if (flowToClient && requestOnly) {
      // Suricata registers these buffers for the to_server direction only
      b.warn(0, "reads only request buffers but says flow:to_client: never matches");
      r.never = true;
    }
  }

  /** Cross-keyword validation, fast pattern choice and lint. */
  private static void finish(RuleBuilder b) throws RuleSyntaxException {
    Rule r = b.rule;
    r.checks = b.checks.toArray(new PacketCheck[0]);
    r.payload = b.payload.toArray(new PayloadMatch[0]);
    appLayer(b);
    r.metadata = List.copyOf(b.metadata);
    r.references = List.copyOf(b.references);
    r.setBits = RuleBuilder.ints(b.setBits);
    r.unsetBits = RuleBuilder.ints(b.unsetBits);
    r.toggleBits = RuleBuilder.ints(b.toggleBits);
    if (r.threshold != null && r.threshold.type == Threshold.Type.BACKOFF) {
      // a flowint slot no rule can name (a NUL in it), per gid:sid so a reload keeps it
      String slot = "\u0000threshold " + r.gid + ":" + r.sid;
      if (!b.env.flowints.containsKey(slot) && b.env.flowints.size() >= FlowintKeyword.MAX_FLOWINTS) {
        throw RuleSyntaxException.error(0, "threshold", "more than " + FlowintKeyword.MAX_FLOWINTS + " flowints and backoff thresholds");
      }
      r.threshold = r.threshold.withFlowSlot(b.env.flowint(slot));
    }
    ContentMatch best = null;
    // the longest content outside the HTTP bodies: preferred as the fast pattern when it has at
    // least CHEAP_FAST_PATTERN bytes (a body is the longest buffer of a transaction, and the
    // prefilter only picks candidates, so matching is the same; an explicit fast_pattern wins)
    ContentMatch bestOutsideBodies = null;
    boolean explicit = false;
    boolean hasPcre = false;
    for (PayloadMatch m : r.payload) {
      if (m instanceof PcreMatch) {
        hasPcre = true;
      }
      if (!(m instanceof ContentMatch)) {
        continue;
      }
      ContentMatch c = (ContentMatch) m;
      if (c.negated || c.buffer == StickyBuffer.BASE64_DATA) {
        continue; // base64_data exists only once the rule runs: never the fast pattern
      }
      if (c.fastPattern) {
        best = c;
        explicit = true;
        break;
      }
      if (best == null || c.pattern.length > best.pattern.length) {
        best = c;
      }
      if (!inBody(c.buffer)
          && (bestOutsideBodies == null || c.pattern.length > bestOutsideBodies.pattern.length)) {
        bestOutsideBodies = c;
      }
      if (b.dsizeMax != Long.MAX_VALUE && c.pattern.length > b.dsizeMax) {
        b.warn(c.pos, "content of " + c.pattern.length + " bytes cannot fit the payload dsize allows (at most " + b.dsizeMax + "): never matches");
      }
      if (c.hasOffset && c.depth < 0 && b.dsizeMax != Long.MAX_VALUE && c.offset + c.pattern.length > b.dsizeMax) {
        b.warn(c.pos, "offset " + c.offset + " puts the content past the payload dsize allows: never matches");
      }
    }
    if (!explicit && bestOutsideBodies != null
        && bestOutsideBodies.pattern.length >= CHEAP_FAST_PATTERN) {
      best = bestOutsideBodies;
    }
    r.fastPattern = best;
    r.lint = b.warnings;
    if (best == null && r.payload.length > 0) {
      b.warn(r.payload[0].pos, hasPcre
          ? "pcre without a content: no fast pattern, the regex runs on every " + r.protocol + " packet the header accepts (slow)"
          : "no content to use as fast pattern: evaluated on every " + r.protocol + " packet the header accepts (slow)");
    } else if (best != null && best.prefilterBytes().length < 3) {
      b.warnings.add(new Object[] {best.pos, "fast pattern is only " + best.prefilterBytes().length + " byte(s): the prefilter will pass many packets (slow)"});
    }
  }
}

package io.mirrorsensor.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code flowbits:set|unset|toggle,name;} (applied when the rule matches), {@code
 * flowbits:isset|isnotset,a[|b...|&b...];} (conditions) and {@code flowbits:noalert;}.
 */
final class FlowbitsKeyword implements Keyword {
  /** Bound on distinct flowbit names in one rule set (the per-flow words grow with it). */
  static final int MAX_FLOWBITS = 4096;

  @Override
  public String name() {
    return "flowbits";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.required(value, pos, name()).strip();
    int comma = v.indexOf(',');
    String cmd = (comma < 0 ? v : v.substring(0, comma)).strip();
    String names = comma < 0 ? "" : v.substring(comma + 1).strip();
    if (cmd.equals("noalert")) {
      if (!names.isEmpty()) {
        throw RuleSyntaxException.error(pos, name(), "noalert takes no flowbit name");
      }
      b.rule.noalert = true;
      return;
    }
    if (names.isEmpty()) {
      throw RuleSyntaxException.error(pos, name(), "'" + cmd + "' needs a flowbit name");
    }
    boolean and = names.indexOf('&') >= 0;
    boolean or = names.indexOf('|') >= 0;
    if (and && or) {
      throw RuleSyntaxException.error(pos, name(), "cannot mix '|' and '&' in one flowbits");
    }
    List<Integer> bits = new ArrayList<>();
    for (String n : names.split("[|&]")) {
      String t = n.strip();
      if (t.isEmpty() || t.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
        throw RuleSyntaxException.error(pos, name(), "invalid flowbit name '" + t + "'");
      }
      if (!b.env.flowbits.containsKey(t) && b.env.flowbits.size() >= MAX_FLOWBITS) {
        throw RuleSyntaxException.error(pos, name(), "more than " + MAX_FLOWBITS + " distinct flowbit names");
      }
      bits.add(b.env.flowbit(t));
      if (cmd.equals("isset") || cmd.equals("isnotset")) {
        b.env.flowbitCheckedAt.putIfAbsent(t, b.rule.file + ":" + b.rule.line);
      } else {
        b.env.flowbitSet.put(t, Boolean.TRUE);
      }
    }
    switch (cmd) {
      case "isset":
      case "isnotset":
        b.checks.add(new FlowbitCheck(pos, cmd.equals("isset"), and, RuleBuilder.ints(bits)));
        b.readsFlowbits = true;
        return;
      case "set":
      case "unset":
      case "toggle":
        break;
      default:
        throw RuleSyntaxException.error(pos, name(), "unknown command '" + cmd + "' (set, unset, toggle, isset, isnotset, noalert)");
    }
    if (or) {
      throw RuleSyntaxException.error(pos, name(), "'|' is only allowed with isset and isnotset");
    }
    List<Integer> target = cmd.equals("set") ? b.setBits : cmd.equals("unset") ? b.unsetBits : b.toggleBits;
    target.addAll(bits);
  }
}

package io.mirrorsensor.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The port part of a rule header: {@code any}, {@code 80}, ranges {@code 1024:}, {@code :1023},
 * {@code 80:90}, variables, lists and negation, nested; flattened with polarity like {@link
 * AddressSet}.
 */
final class PortSet {
  static final PortSet ANY = new PortSet(new int[0], new int[0]);

  /** Pairs lo, hi (inclusive). */
  private final int[] include;
  private final int[] exclude;

  private PortSet(int[] include, int[] exclude) {
    this.include = include;
    this.exclude = exclude;
  }

  boolean isAny() {
    return include.length == 0 && exclude.length == 0;
  }

  /**
   * The ports of a plain list or range of at most {@code max} ports (no negation), ascending; null
   * for any other set.
   */
  int[] ports(int max) {
    if (include.length == 0 || exclude.length > 0) {
      return null;
    }
    java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
    for (int i = 0; i < include.length; i += 2) {
      if (include[i + 1] - include[i] + 1 > max) {
        return null;
      }
      for (int p = include[i]; p <= include[i + 1]; p++) {
        out.add(p);
      }
      if (out.size() > max) {
        return null;
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  boolean matches(int port) {
    boolean in = include.length == 0;
    for (int i = 0; i < include.length; i += 2) {
      if (port >= include[i] && port <= include[i + 1]) {
        in = true;
        break;
      }
    }
    if (!in) {
      return false;
    }
    for (int i = 0; i < exclude.length; i += 2) {
      if (port >= exclude[i] && port <= exclude[i + 1]) {
        return false;
      }
    }
    return true;
  }

  static PortSet parse(String text, int base, Map<String, String> vars, String what)
      throws RuleSyntaxException {
    List<Integer> inc = new ArrayList<>();
    List<Integer> exc = new ArrayList<>();
    parse(text, 0, text.length(), base, false, inc, exc, vars, what, 0);
    if (inc.isEmpty() && exc.isEmpty()) {
      return ANY;
    }
    return new PortSet(toArray(inc), toArray(exc));
  }

  private static int[] toArray(List<Integer> l) {
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  private static void parse(String s, int from, int to, int base, boolean neg, List<Integer> inc,
      List<Integer> exc, Map<String, String> vars, String what, int depth)
      throws RuleSyntaxException {
    int lead = 0;
    while (from + lead < to && Character.isWhitespace(s.charAt(from + lead))) {
      lead++;
    }
    String t = s.substring(from, to).strip();
    int at = base + from + lead;
    if (t.isEmpty()) {
      throw RuleSyntaxException.error(at, what, "empty port");
    }
    if (t.startsWith("!")) {
      parse(s, from + lead + 1, to, base, !neg, inc, exc, vars, what, depth);
      return;
    }
    if (t.startsWith("[")) {
      if (!t.endsWith("]")) {
        throw RuleSyntaxException.error(at, what, "unterminated port list '" + t + "'");
      }
      int open = from + lead;
      int close = open + t.length() - 1;
      int d = 0;
      int start = open + 1;
      for (int i = open + 1; i <= close; i++) {
        char c = s.charAt(i);
        if (c == '[') {
          d++;
        } else if (c == ']' && i < close) {
          d--;
        } else if ((c == ',' && d == 0) || i == close) {
          parse(s, start, i, base, neg, inc, exc, vars, what, depth);
          start = i + 1;
        }
      }
      if (d != 0) {
        throw RuleSyntaxException.error(at, what, "unbalanced brackets in '" + t + "'");
      }
      return;
    }
    if (t.equals("any")) {
      if (neg) {
        throw RuleSyntaxException.error(at, what, "'!any' matches nothing");
      }
      return;
    }
    if (t.startsWith("$")) {
      String name = t.substring(1);
      String val = vars.get(name);
      if (val == null) {
        throw RuleSyntaxException.error(at, what, "undefined variable $" + name);
      }
      if (depth >= AddressSet.MAX_VAR_DEPTH) {
        throw RuleSyntaxException.error(at, what, "variable $" + name + " nests too deep (a loop?)");
      }
      try {
        parse(val, 0, val.length(), 0, neg, inc, exc, vars, what, depth + 1);
      } catch (RuleSyntaxException e) {
        throw RuleSyntaxException.error(at, what, "in $" + name + " = \"" + val + "\": " + e.reason);
      }
      return;
    }
    int lo;
    int hi;
    int colon = t.indexOf(':');
    if (colon < 0) {
      lo = port(t, at, what);
      hi = lo;
    } else {
      lo = colon == 0 ? 0 : port(t.substring(0, colon), at, what);
      hi = colon == t.length() - 1 ? 65535 : port(t.substring(colon + 1), at, what);
      if (lo > hi) {
        throw RuleSyntaxException.error(at, what, "empty port range '" + t + "'");
      }
    }
    List<Integer> l = neg ? exc : inc;
    l.add(lo);
    l.add(hi);
  }

  private static int port(String p, int at, String what) throws RuleSyntaxException {
    int v = -1;
    if (!p.isEmpty() && p.length() <= 5 && p.chars().allMatch(c -> c >= '0' && c <= '9')) {
      v = Integer.parseInt(p);
    }
    if (v < 0 || v > 65535) {
      throw RuleSyntaxException.error(at, what, "invalid port '" + p + "'");
    }
    return v;
  }
}

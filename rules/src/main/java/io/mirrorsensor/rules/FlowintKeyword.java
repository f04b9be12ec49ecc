package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code flowint:name,op[,value];} (Suricata's detect-flowint.c): an unsigned 32-bit integer per
 * flow and name. {@code =}, {@code +} and {@code -} change it when the rule matches; {@code ==},
 * {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=} compare it, {@code isset} and {@code
 * notset}/{@code isnotset} test whether it was ever set. The value is a number up to 4294967295 or
 * another flowint's name (0 while that one is unset).
 *
 * <p>Exactly as Suricata: a comparison with an unset flowint is false; {@code +} on an unset one
 * sets it to the value, {@code -} on an unset one does nothing; arithmetic wraps at 2^32. Without a
 * flow nothing matches and nothing is stored.
 *
 * <p>Storage: names are numbered at load in order of first mention (a hot reload numbers the old
 * names first, so a flow's values keep their meaning); each flow holds one long per name ({@link
 * FlowContext#flowints()}): bit 32 set once the flowint was set, the value in the low 32 bits.
 */
final class FlowintKeyword implements Keyword {
  /** Bound on distinct flowint names in one rule set (a long per name per flow that uses one). */
  static final int MAX_FLOWINTS = 64;

  static final long SET = 1L << 32;
  static final long VALUE = 0xffff_ffffL;

  private static final Pattern SYNTAX = Pattern.compile(
      "^\\s*([a-zA-Z][\\w./]+)\\s*,\\s*(==|!=|<=|>=|<|>|=|\\+|-|isset|notset|isnotset)\\s*(?:,\\s*([a-zA-Z][\\w./]*|\\d{1,10}))?\\s*$");

  static final int OP_SET = 0;
  static final int OP_ADD = 1;
  static final int OP_SUB = 2;
  static final int OP_EQ = 3;
  static final int OP_NE = 4;
  static final int OP_LT = 5;
  static final int OP_LE = 6;
  static final int OP_GT = 7;
  static final int OP_GE = 8;
  static final int OP_ISSET = 9;
  static final int OP_NOTSET = 10;

  @Override
  public String name() {
    return "flowint";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.required(value, pos, name());
    Matcher m = SYNTAX.matcher(v);
    if (!m.matches()) {
      throw RuleSyntaxException.error(pos, name(), "expected 'name,op[,value]' with op one of = + - == != < <= > >= isset notset isnotset, got '" + v.strip() + "'");
    }
    int op;
    switch (m.group(2)) {
      case "=": op = OP_SET; break;
      case "+": op = OP_ADD; break;
      case "-": op = OP_SUB; break;
      case "==": op = OP_EQ; break;
      case "!=": op = OP_NE; break;
      case "<": op = OP_LT; break;
      case "<=": op = OP_LE; break;
      case ">": op = OP_GT; break;
      case ">=": op = OP_GE; break;
      case "isset": op = OP_ISSET; break;
      default: op = OP_NOTSET; break;
    }
    String target = m.group(3);
    boolean unary = op == OP_ISSET || op == OP_NOTSET;
    if (unary && target != null) {
      throw RuleSyntaxException.error(pos, name(), "'" + m.group(2) + "' takes no value");
    }
    if (!unary && target == null) {
      throw RuleSyntaxException.error(pos, name(), "'" + m.group(2) + "' needs a value (a number or a flowint name)");
    }
    int slot = slot(b, m.group(1), pos);
    long constant = 0;
    int targetSlot = -1;
    if (target != null) {
      if (Character.isDigit(target.charAt(0))) {
        constant = Long.parseLong(target);
        if (constant > VALUE) {
          throw RuleSyntaxException.error(pos, name(), "value " + target + " is above 4294967295");
        }
      } else {
        targetSlot = slot(b, target, pos);
      }
    }
    Op o = new Op(pos, op, slot, constant, targetSlot);
    if (op <= OP_SUB) {
      Op[] a = java.util.Arrays.copyOf(b.rule.flowintActions, b.rule.flowintActions.length + 1);
      a[a.length - 1] = o;
      b.rule.flowintActions = a;
    } else {
      b.checks.add(o);
    }
  }

  private int slot(RuleBuilder b, String n, int pos) throws RuleSyntaxException {
    if (!b.env.flowints.containsKey(n) && b.env.flowints.size() >= MAX_FLOWINTS) {
      throw RuleSyntaxException.error(pos, name(), "more than " + MAX_FLOWINTS + " distinct flowint names");
    }
    return b.env.flowint(n);
  }

  /** One flowint command: a condition, or (=, +, -) an update when its rule matches. */
  static final class Op extends PacketCheck {
    final int op;
    final int slot;
    final long constant;
    /** The slot of the flowint named as the value, or -1 for {@link #constant}. */
    final int targetSlot;

    Op(int pos, int op, int slot, long constant, int targetSlot) {
      super("flowint", pos);
      this.op = op;
      this.slot = slot;
      this.constant = constant;
      this.targetSlot = targetSlot;
    }

    private long target(long[] v) {
      return targetSlot < 0 ? constant : v[targetSlot] & VALUE;
    }

    @Override
    boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
      long[] v = flow == null ? null : flow.flowints();
      if (v == null) {
        return false;
      }
      long s = v[slot];
      boolean isSet = (s & SET) != 0;
      if (op == OP_ISSET) {
        return isSet;
      }
      if (op == OP_NOTSET) {
        return !isSet;
      }
      if (!isSet) {
        return false;
      }
      long a = s & VALUE;
      long t = target(v);
      switch (op) {
        case OP_EQ: return a == t;
        case OP_NE: return a != t;
        case OP_LT: return a < t;
        case OP_LE: return a <= t;
        case OP_GT: return a > t;
        default: return a >= t;
      }
    }

    /** Valid on a transaction too: it reads only the flow. */
    @Override
    boolean needsPacket() {
      return false;
    }

    /** Performs =, + or - for a matching rule on the flow's slots {@code v} (null: no flow). */
    void act(long[] v) {
      if (v == null) {
        return;
      }
      long s = v[slot];
      boolean isSet = (s & SET) != 0;
      long t = target(v);
      if (op == OP_SET) {
        v[slot] = SET | t;
      } else if (op == OP_ADD) {
        v[slot] = SET | ((isSet ? (s & VALUE) + t : t) & VALUE);
      } else if (isSet) {
        v[slot] = SET | (((s & VALUE) - t) & VALUE);
      }
    }
  }
}

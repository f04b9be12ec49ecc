package io.mirrorsensor.rules;

/**
 * Suricata's unsigned-integer comparison syntax, shared by dsize, ttl, itype, icode and ip_proto:
 * {@code N}, {@code !N}, {@code <N}, {@code >N}, {@code <=N}, {@code >=N}, and the exclusive range
 * {@code A<>B} or {@code A-B} ({@code A < x < B}), optionally negated with a leading {@code !}.
 */
final class UintMatch {
  private static final int EQ = 0;
  private static final int LT = 1;
  private static final int GT = 2;
  private static final int LE = 3;
  private static final int GE = 4;
  private static final int RANGE = 5;

  private final int mode;
  private final long a;
  private final long b;
  private final boolean negated;

  private UintMatch(int mode, long a, long b, boolean negated) {
    this.mode = mode;
    this.a = a;
    this.b = b;
    this.negated = negated;
  }

  boolean matches(long v) {
    boolean r;
    switch (mode) {
      case EQ:
        r = v == a;
        break;
      case LT:
        r = v < a;
        break;
      case GT:
        r = v > a;
        break;
      case LE:
        r = v <= a;
        break;
      case GE:
        r = v >= a;
        break;
      default:
        r = v > a && v < b;
        break;
    }
    return r != negated;
  }

  /** Largest value that can match, or Long.MAX_VALUE (for lint: dsize vs content length). */
  long maxMatching() {
    if (negated) {
      return Long.MAX_VALUE;
    }
    switch (mode) {
      case EQ:
      case LE:
        return a;
      case LT:
        return a - 1;
      case RANGE:
        return b - 1;
      default:
        return Long.MAX_VALUE;
    }
  }

  /**
   * Parses {@code value} (errors at {@code pos}, naming {@code keyword}); values above {@code max}
   * are refused.
   */
  static UintMatch parse(String value, int pos, String keyword, long max)
      throws RuleSyntaxException {
    if (value == null || value.isBlank()) {
      throw RuleSyntaxException.error(pos, keyword, "needs a value");
    }
    String v = value.strip();
    boolean neg = false;
    if (v.startsWith("!")) {
      neg = true;
      v = v.substring(1).strip();
    }
    int mode;
    long a;
    long b = 0;
    if (v.startsWith("<=")) {
      mode = LE;
      a = num(v.substring(2), pos, keyword, max);
    } else if (v.startsWith(">=")) {
      mode = GE;
      a = num(v.substring(2), pos, keyword, max);
    } else if (v.startsWith("<")) {
      mode = LT;
      a = num(v.substring(1), pos, keyword, max);
    } else if (v.startsWith(">")) {
      mode = GT;
      a = num(v.substring(1), pos, keyword, max);
    } else if (v.startsWith("=")) {
      mode = EQ;
      a = num(v.substring(1), pos, keyword, max);
    } else if (v.contains("<>") || v.indexOf('-') > 0) {
      int i = v.indexOf("<>");
      int w = 2;
      if (i < 0) {
        i = v.indexOf('-');
        w = 1;
      }
      mode = RANGE;
      a = num(v.substring(0, i), pos, keyword, max);
      b = num(v.substring(i + w), pos, keyword, max);
      if (a >= b) {
        throw RuleSyntaxException.error(pos, keyword, "range '" + value.strip() + "' is empty (the lower bound must be below the upper)");
      }
    } else {
      mode = EQ;
      a = num(v, pos, keyword, max);
    }
    return new UintMatch(mode, a, b, neg);
  }

  static long num(String s, int pos, String keyword, long max) throws RuleSyntaxException {
    String t = s.strip();
    if (t.isEmpty() || t.length() > 19 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw RuleSyntaxException.error(pos, keyword, "'" + t + "' is not a number");
    }
    long v = Long.parseLong(t);
    if (v > max) {
      throw RuleSyntaxException.error(pos, keyword, t + " is out of range (at most " + max + ")");
    }
    return v;
  }
}

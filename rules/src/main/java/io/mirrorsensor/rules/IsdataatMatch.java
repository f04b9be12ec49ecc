package io.mirrorsensor.rules;

/** {@code isdataat:[!]N[,relative]}: is there a byte at offset N (from the previous match)? */
final class IsdataatMatch extends PayloadMatch {
  final int n;
  final boolean negated;
  final boolean isRelative;

  IsdataatMatch(int pos, int n, boolean negated, boolean relative) {
    super("isdataat", pos);
    this.n = n;
    this.negated = negated;
    this.isRelative = relative;
  }

  @Override
  boolean relative() {
    return isRelative;
  }

  @Override
  int eval(Span s, int prevEnd, Detector d) {
    long at = (isRelative ? (long) prevEnd : 0L) + n;
    boolean has = at < s.len;
    return has != negated ? prevEnd : -1;
  }
}

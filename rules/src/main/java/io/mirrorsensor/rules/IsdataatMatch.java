package io.mirrorsensor.rules;

/** {@code isdataat:[!]N[,relative]}: is there a byte at offset N (from the previous match)? */
final class IsdataatMatch extends RelativeMatch {
  final int n;
  final boolean negated;

  IsdataatMatch(int pos, int n, boolean negated, boolean relative) {
    super("isdataat", pos, relative);
    this.n = n;
    this.negated = negated;
  }


  @Override
  int eval(Span s, int prevEnd, Detector d) {
    long at = from(prevEnd, n);
    boolean has = at < s.len;
    return has != negated ? prevEnd : -1;
  }
}

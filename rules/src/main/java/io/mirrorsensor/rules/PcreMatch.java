package io.mirrorsensor.rules;

import com.google.re2j.Pattern;

/**
 * A compiled {@code pcre}, run by RE2/J (linear time, no catastrophic backtracking). A relative
 * pcre ({@code R}) searches from the previous match end, with {@code ^} anchored there as in
 * Suricata; a match moves the previous-match end to the end of the regex match.
 */
final class PcreMatch extends PayloadMatch {
  final Pattern pattern;
  final boolean negated;
  final boolean isRelative;
  /** Index of this regex's matcher in the detector's scratch. */
  final int slot;

  PcreMatch(int pos, Pattern pattern, boolean negated, boolean relative, int slot, StickyBuffer buffer) {
    super("pcre", pos);
    this.pattern = pattern;
    this.negated = negated;
    this.isRelative = relative;
    this.slot = slot;
    this.buffer = buffer;
  }

  @Override
  boolean relative() {
    return isRelative;
  }

  @Override
  int eval(Span s, int prevEnd, Detector d) {
    int start = isRelative ? prevEnd : 0;
    if (start > s.len) {
      return negated ? prevEnd : -1;
    }
    com.google.re2j.Matcher m = d.regexMatcher(slot, pattern, s.buf, s.off + start, s.len - start);
    boolean found = m.find();
    if (negated) {
      return found ? -1 : prevEnd;
    }
    return found ? start + m.end() : -1;
  }
}

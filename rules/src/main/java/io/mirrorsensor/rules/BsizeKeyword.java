package io.mirrorsensor.rules;

/**
 * {@code bsize:[!<>]N|A<>B;} the size of the current sticky buffer, with Suricata's integer
 * syntax (detect-bsize.c); checked where it stands among the buffer's payload keywords.
 */
final class BsizeKeyword implements Keyword {
  @Override
  public String name() {
    return "bsize";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    UintMatch m = UintMatch.parse(value, pos, name(), 0xFFFF_FFFFL);
    b.add(new Match(pos, m));
  }

  /** The buffer-size check; does not move the previous-match end. */
  static final class Match extends PayloadMatch {
    final UintMatch size;

    Match(int pos, UintMatch size) {
      super("bsize", pos);
      this.size = size;
    }

    @Override
    boolean relative() {
      return false;
    }

    @Override
    int eval(Span s, int prevEnd, Detector d) {
      return size.matches(s.len) ? prevEnd : -1;
    }
  }
}

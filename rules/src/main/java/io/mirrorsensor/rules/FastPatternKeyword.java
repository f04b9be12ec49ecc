package io.mirrorsensor.rules;

/**
 * {@code fast_pattern[:only|:offset,length];} makes the preceding content the rule's prefilter
 * pattern ({@code only} is accepted as Suricata 7 does: it changes nothing).
 */
final class FastPatternKeyword implements Keyword {
  @Override
  public String name() {
    return "fast_pattern";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    ContentMatch c = b.lastContent(name(), pos);
    if (b.hasFastPatternFlag) {
      throw RuleSyntaxException.error(pos, name(), "only one content of a rule may be the fast_pattern");
    }
    if (c.negated) {
      throw RuleSyntaxException.error(pos, name(), "cannot be used on a negated content");
    }
    if (value != null && !value.isBlank()) {
      String v = value.strip();
      if (v.equals("only")) {
        c.fastPatternOnly = true;
      } else {
        String[] f = v.split(",");
        if (f.length != 2) {
          throw RuleSyntaxException.error(pos, name(), "expected 'only' or 'offset,length', got '" + v + "'");
        }
        int off = (int) UintMatch.num(f[0], pos, name(), 65535);
        int len = (int) UintMatch.num(f[1], pos, name(), 65535);
        if (len == 0 || off + len > c.pattern.length) {
          throw RuleSyntaxException.error(pos, name(), "chop " + off + "," + len + " is outside the content (" + c.pattern.length + " bytes)");
        }
        c.fpOffset = off;
        c.fpLength = len;
      }
    }
    c.fastPattern = true;
    b.hasFastPatternFlag = true;
  }
}

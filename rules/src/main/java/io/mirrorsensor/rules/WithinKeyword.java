package io.mirrorsensor.rules;

/** {@code within:N;} the preceding content ends within N bytes of the previous match (after distance). */
final class WithinKeyword implements Keyword {
  @Override
  public String name() {
    return "within";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    ContentMatch c = b.lastContent(name(), pos);
    Modifiers.relative(c, name(), pos);
    if (c.within >= 0) {
      throw RuleSyntaxException.error(pos, name(), "already set for this content");
    }
    int var = ByteExtractKeyword.var(b, value, pos, name());
    if (var >= 0) {
      c.withinVar = var;
      c.within = 0;
      return;
    }
    long v = Values.uint(value, pos, name(), 65535L * 16);
    if (v == 0) {
      throw RuleSyntaxException.error(pos, name(), "must be positive");
    }
    c.within = (int) v;
    if (v < c.pattern.length) {
      b.warn(pos, "within " + v + " is shorter than the content (" + c.pattern.length + " bytes): never matches");
    }
  }
}

package io.mirrorsensor.rules;

/** {@code nocase;} the preceding content matches ASCII letters case-insensitively. */
final class NocaseKeyword implements Keyword {
  @Override
  public String name() {
    return "nocase";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    Values.none(value, pos, name());
    ContentMatch c = b.lastContent(name(), pos);
    if (c.nocase) {
      throw RuleSyntaxException.error(pos, name(), "already set for this content");
    }
    c.nocase = true;
  }
}

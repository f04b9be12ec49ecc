package io.mirrorsensor.rules;

/** {@code endswith;} the preceding content ends at the end of the buffer. */
final class EndswithKeyword implements Keyword {
  @Override
  public String name() {
    return "endswith";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    Values.none(value, pos, name());
    ContentMatch c = b.lastContent(name(), pos);
    if (c.negated) {
      throw RuleSyntaxException.error(pos, name(), "cannot be used on a negated content");
    }
    c.endswith = true;
  }
}

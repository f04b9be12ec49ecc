package io.mirrorsensor.rules;

/** {@code startswith;} the preceding content is at the start of the buffer (offset 0, depth = its length). */
final class StartswithKeyword implements Keyword {
  @Override
  public String name() {
    return "startswith";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    Values.none(value, pos, name());
    ContentMatch c = b.lastContent(name(), pos);
    if (c.absolute() || c.relative()) {
      throw RuleSyntaxException.error(pos, name(), "cannot be combined with offset, depth, distance or within");
    }
    c.startswith = true;
  }
}

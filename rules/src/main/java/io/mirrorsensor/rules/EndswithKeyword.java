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
    // negated is fine (ET Open has ~50 such rules, Suricata loads them): "does not end with"
    c.endswith = true;
  }
}

package io.mirrorsensor.rules;

/** {@code noalert;} the rule runs (sets flowbits) but never alerts. */
final class NoalertKeyword implements Keyword {
  @Override
  public String name() {
    return "noalert";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    Values.none(value, pos, name());
    b.rule.noalert = true;
  }
}

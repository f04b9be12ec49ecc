package io.mirrorsensor.rules;

/** {@code rev:N;} the rule's revision. */
final class RevKeyword implements Keyword {
  @Override
  public String name() {
    return "rev";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    b.rule.rev = Values.uint(value, pos, name(), 0xFFFF_FFFFL);
  }
}

package io.mirrorsensor.rules;

/** {@code priority:N;} 1 (highest) to 255; overrides the classtype's. */
final class PriorityKeyword implements Keyword {
  @Override
  public String name() {
    return "priority";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    long v = Values.uint(value, pos, name(), 255);
    if (v == 0) {
      throw RuleSyntaxException.error(pos, name(), "must be 1..255");
    }
    b.rule.priority = (int) v;
    b.rulePriorityFromClass = false;
  }
}

package io.mirrorsensor.rules;

/** {@code sid:N;} the rule id, required, positive. */
final class SidKeyword implements Keyword {
  @Override
  public String name() {
    return "sid";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    long v = Values.uint(value, pos, name(), 0xFFFF_FFFFL);
    if (v == 0) {
      throw RuleSyntaxException.error(pos, name(), "must be positive");
    }
    if (b.sidSet) {
      throw RuleSyntaxException.error(pos, name(), "given twice");
    }
    b.sidSet = true;
    b.rule.sid = v;
  }
}

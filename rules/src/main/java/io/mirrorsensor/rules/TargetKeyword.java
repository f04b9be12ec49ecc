package io.mirrorsensor.rules;

/** {@code target:src_ip|dest_ip;} which side of the alert is the target. */
final class TargetKeyword implements Keyword {
  @Override
  public String name() {
    return "target";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.required(value, pos, name()).strip();
    if (!v.equals("src_ip") && !v.equals("dest_ip")) {
      throw RuleSyntaxException.error(pos, name(), "expected src_ip or dest_ip, got '" + v + "'");
    }
    b.rule.target = v;
  }
}

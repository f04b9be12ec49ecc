package io.mirrorsensor.rules;

/** {@code gid:N;} the generator id (default 1). */
final class GidKeyword implements Keyword {
  @Override
  public String name() {
    return "gid";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    b.rule.gid = Values.uint(value, pos, name(), 0xFFFF_FFFFL);
  }
}

package io.mirrorsensor.rules;

/** {@code msg:"text";} the alert's signature text; {@code \"}, {@code \;}, {@code \\} unescaped. */
final class MsgKeyword implements Keyword {
  @Override
  public String name() {
    return "msg";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    b.rule.msg = Values.quoted(value, pos, name());
  }
}

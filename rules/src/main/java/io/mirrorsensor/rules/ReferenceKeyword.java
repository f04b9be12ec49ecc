package io.mirrorsensor.rules;

/** {@code reference:type,value;} kept as written for output. */
final class ReferenceKeyword implements Keyword {
  @Override
  public String name() {
    return "reference";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.required(value, pos, name()).strip();
    int comma = v.indexOf(',');
    if (comma <= 0 || comma == v.length() - 1) {
      throw RuleSyntaxException.error(pos, name(), "expected 'type,value', got '" + v + "'");
    }
    b.references.add(v.substring(0, comma).strip() + "," + v.substring(comma + 1).strip());
  }
}

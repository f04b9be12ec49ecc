package io.mirrorsensor.rules;

/**
 * {@code classtype:name;} looked up in the classification table: gives the alert's category text
 * and, unless {@code priority} says otherwise, its severity.
 */
final class ClasstypeKeyword implements Keyword {
  @Override
  public String name() {
    return "classtype";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.required(value, pos, name()).strip();
    Classification.Entry e = b.env.classes.get(v);
    if (e == null) {
      throw RuleSyntaxException.error(pos, name(), "unknown classtype '" + v + "' (not in the classification table)");
    }
    if (b.rule.classtype != null) {
      throw RuleSyntaxException.error(pos, name(), "given twice");
    }
    b.rule.classtype = e.name();
    b.rule.category = e.description();
    if (b.rule.priority == 0 || b.rulePriorityFromClass) {
      b.rule.priority = e.priority();
      b.rulePriorityFromClass = true;
    }
  }
}

package io.mirrorsensor.rules;

/** {@code metadata:key value, key value;} kept as written for the alert's metadata. */
final class MetadataKeyword implements Keyword {
  @Override
  public String name() {
    return "metadata";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.required(value, pos, name());
    for (String item : v.split(",")) {
      String t = item.strip();
      if (!t.isEmpty()) {
        b.metadata.add(t);
      }
    }
  }
}

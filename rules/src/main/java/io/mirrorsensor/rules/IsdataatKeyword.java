package io.mirrorsensor.rules;

/** {@code isdataat:[!]N[,relative];} whether the buffer has a byte at offset N. */
final class IsdataatKeyword implements Keyword {
  @Override
  public String name() {
    return "isdataat";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String[] f = Values.required(value, pos, name()).split(",");
    String n = f[0].strip();
    boolean neg = n.startsWith("!");
    if (neg) {
      n = n.substring(1);
    }
    int v = (int) UintMatch.num(n, pos, name(), 65535L * 16);
    boolean rel = false;
    for (int i = 1; i < f.length; i++) {
      String o = f[i].strip();
      if (o.equals("relative")) {
        rel = true;
      } else if (!o.equals("rawbytes")) {
        throw RuleSyntaxException.error(pos, name(), "unknown option '" + o + "' (expected relative or rawbytes)");
      }
    }
    b.add(new IsdataatMatch(pos, v, neg, rel));
  }
}

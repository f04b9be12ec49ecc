package io.mirrorsensor.rules;

/**
 * {@code tag:session|host[,count,packets|seconds|bytes][,src|dst];} (detect-tag.c): Suricata then
 * logs the flow's or host's following packets as "tagged". This sensor writes no tagged-packet
 * records, so the keyword is checked and accepted without effect: the rule still alerts.
 */
final class TagKeyword implements Keyword {
  @Override
  public String name() {
    return "tag";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String[] f = Values.required(value, pos, name()).split(",");
    String type = f[0].strip();
    if (!type.equals("session") && !type.equals("host")) {
      throw RuleSyntaxException.error(pos, name(), "type is session or host, got '" + type + "'");
    }
    if (f.length == 2 || f.length > 4) {
      throw RuleSyntaxException.error(pos, name(), "expected type[,count,metric][,direction]");
    }
    if (f.length >= 3) {
      UintMatch.num(f[1], pos, name(), 0xFFFF_FFFFL);
      String metric = f[2].strip();
      if (!metric.equals("packets") && !metric.equals("seconds") && !metric.equals("bytes")) {
        throw RuleSyntaxException.error(pos, name(), "metric is packets, seconds or bytes, got '" + metric + "'");
      }
    }
    if (f.length == 4 && !f[3].strip().equals("src") && !f[3].strip().equals("dst")) {
      throw RuleSyntaxException.error(pos, name(), "direction is src or dst, got '" + f[3].strip() + "'");
    }
  }
}

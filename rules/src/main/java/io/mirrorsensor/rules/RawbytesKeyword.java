package io.mirrorsensor.rules;

/** {@code rawbytes;} accepted and ignored, as Suricata does (there is no telnet normalisation). */
final class RawbytesKeyword implements Keyword {
  @Override
  public String name() {
    return "rawbytes";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    Values.none(value, pos, name());
    b.lastContent(name(), pos);
  }
}

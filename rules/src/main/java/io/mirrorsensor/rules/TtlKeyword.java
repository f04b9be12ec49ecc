package io.mirrorsensor.rules;

/** {@code ttl:[<>=!]N|A-B;} IPv4 TTL / IPv6 hop limit. */
final class TtlKeyword implements Keyword {
  @Override
  public String name() {
    return "ttl";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    UintMatch m = UintMatch.parse(value, pos, name(), 255);
    b.checks.add(new PacketCheck.UintCheck(name(), pos, m, p -> p.ipVersion == 0 ? -1 : p.ttl));
  }
}

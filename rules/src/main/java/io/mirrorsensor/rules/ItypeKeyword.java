package io.mirrorsensor.rules;

/** {@code itype:[<>!]N|A<>B;} ICMP / ICMPv6 type; never matches other packets. */
final class ItypeKeyword implements Keyword {
  @Override
  public String name() {
    return "itype";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    UintMatch m = UintMatch.parse(value, pos, name(), 255);
    b.checks.add(new PacketCheck.UintCheck(name(), pos, m, p -> p.icmpType));
    b.icmpOnly(pos, name());
  }
}

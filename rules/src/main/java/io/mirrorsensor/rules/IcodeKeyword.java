package io.mirrorsensor.rules;

/** {@code icode:[<>!]N|A<>B;} ICMP / ICMPv6 code; never matches other packets. */
final class IcodeKeyword implements Keyword {
  @Override
  public String name() {
    return "icode";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    UintMatch m = UintMatch.parse(value, pos, name(), 255);
    b.checks.add(new PacketCheck.UintCheck(name(), pos, m, p -> p.icmpCode));
    b.icmpOnly(pos, name());
  }
}

package io.mirrorsensor.rules;

/** {@code dsize:[!<>]N|A<>B;} the packet's payload size. */
final class DsizeKeyword implements Keyword {
  @Override
  public String name() {
    return "dsize";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    UintMatch m = UintMatch.parse(value, pos, name(), 65535);
    b.checks.add(new PacketCheck.UintCheck(name(), pos, m, p -> p.payloadOffset < 0 ? 0 : p.payloadLength));
    b.dsizeMax = m.maxMatching();
  }
}

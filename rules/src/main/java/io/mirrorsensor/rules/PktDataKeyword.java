package io.mirrorsensor.rules;

/** {@code pkt_data;} sticky buffer: the packet payload (the default buffer). */
final class PktDataKeyword implements Keyword {
  @Override
  public String name() {
    return "pkt_data";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    Values.none(value, pos, name());
    b.buffer = StickyBuffer.PKT_DATA;
  }
}

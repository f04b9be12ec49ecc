package io.mirrorsensor.rules;

/**
 * {@code base64_data;} sticky buffer: the bytes the rule's last {@code base64_decode} decoded
 * (detect-base64-data.c). It must follow a base64_decode; as in Suricata its contents cannot be
 * the fast pattern (they do not exist before the rule is evaluated).
 */
final class Base64DataKeyword implements Keyword {
  @Override
  public String name() {
    return "base64_data";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    Values.none(value, pos, name());
    if (!b.hasBase64Decode) {
      throw RuleSyntaxException.error(pos, name(), "needs a base64_decode before it");
    }
    b.buffer = StickyBuffer.BASE64_DATA;
  }
}

package io.mirrorsensor.rules;

/** {@code uricontent:"x";} the legacy form of {@code content:"x"; http_uri;}. */
final class UricontentKeyword implements Keyword {
  private final ContentKeyword content = new ContentKeyword();

  @Override
  public String name() {
    return "uricontent";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    content.apply(b, value, pos);
    b.useBuffer(StickyBuffer.HTTP_URI, name(), pos);
    b.lastContent(name(), pos).buffer = StickyBuffer.HTTP_URI;
  }
}

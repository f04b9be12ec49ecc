package io.mirrorsensor.rules;

/**
 * A legacy content modifier ({@code content:"x"; http_uri;}): moves the preceding content to an
 * app-layer buffer. The modifiers differ only in the buffer, so each is an instance of this
 * class, listed by name in {@link KeywordRegistry#standard()}.
 */
final class BufferModifierKeyword implements Keyword {
  private final String name;
  private final StickyBuffer buffer;

  BufferModifierKeyword(String name, StickyBuffer buffer) {
    this.name = name;
    this.buffer = buffer;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    Values.none(value, pos, name);
    ContentMatch c = b.lastContent(name, pos);
    b.useBuffer(buffer, name, pos);
    c.buffer = buffer;
  }
}

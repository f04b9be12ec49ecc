package io.mirrorsensor.rules;

/**
 * A sticky-buffer keyword ({@code http.uri;}, {@code dns.query;}, {@code tls.sni;} ...): the
 * payload keywords after it inspect its buffer. Sticky-buffer keywords differ only in the buffer
 * they select, so each is an instance of this class, listed by name in {@link
 * KeywordRegistry#standard()}; the buffer's one {@link BufferSupplier} serves both the prefilter
 * and the full match.
 */
final class StickyBufferKeyword implements Keyword {
  private final String name;
  private final StickyBuffer buffer;
  private final String[] aliases;

  StickyBufferKeyword(StickyBuffer buffer, String... aliases) {
    this.name = buffer.name;
    this.buffer = buffer;
    this.aliases = aliases;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String[] aliases() {
    return aliases.clone();
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    Values.none(value, pos, name);
    b.useBuffer(buffer, name, pos);
    b.buffer = buffer;
  }
}

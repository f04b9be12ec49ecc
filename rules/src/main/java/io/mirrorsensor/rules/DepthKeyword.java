package io.mirrorsensor.rules;

/** {@code depth:N;} the preceding content must lie within N bytes from its offset. */
final class DepthKeyword implements Keyword {
  @Override
  public String name() {
    return "depth";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    ContentMatch c = b.lastContent(name(), pos);
    Modifiers.absolute(c, name(), pos);
    if (c.depth >= 0) {
      throw RuleSyntaxException.error(pos, name(), "already set for this content");
    }
    int var = ByteExtractKeyword.var(b, value, pos, name());
    if (var >= 0) {
      c.depthVar = var;
      c.depth = 0;
      return;
    }
    long v = Values.uint(value, pos, name(), ContentKeyword.MAX_CONTENT_BYTES * 16L);
    if (v == 0) {
      throw RuleSyntaxException.error(pos, name(), "must be positive");
    }
    c.depth = (int) v;
    if (v < c.pattern.length) {
      b.warn(pos, "depth " + v + " is shorter than the content (" + c.pattern.length + " bytes): never matches");
    }
  }
}

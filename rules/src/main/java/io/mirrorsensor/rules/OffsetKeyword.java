package io.mirrorsensor.rules;

/** {@code offset:N;} the preceding content starts at or after byte N of the buffer. */
final class OffsetKeyword implements Keyword {
  @Override
  public String name() {
    return "offset";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    ContentMatch c = b.lastContent(name(), pos);
    Modifiers.absolute(c, name(), pos);
    if (c.hasOffset) {
      throw RuleSyntaxException.error(pos, name(), "already set for this content");
    }
    int var = ByteExtractKeyword.var(b, value, pos, name());
    if (var >= 0) {
      c.offsetVar = var;
    } else {
      c.offset = (int) Values.uint(value, pos, name(), 65535L * 16);
    }
    c.hasOffset = true;
  }
}

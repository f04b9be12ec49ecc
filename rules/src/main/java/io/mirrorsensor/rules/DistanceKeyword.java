package io.mirrorsensor.rules;

/** {@code distance:N;} the preceding content starts N bytes (may be negative) after the previous match. */
final class DistanceKeyword implements Keyword {
  @Override
  public String name() {
    return "distance";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    ContentMatch c = b.lastContent(name(), pos);
    Modifiers.relative(c, name(), pos);
    if (c.hasDistance) {
      throw RuleSyntaxException.error(pos, name(), "already set for this content");
    }
    int var = ByteExtractKeyword.var(b, value, pos, name());
    if (var >= 0) {
      c.distanceVar = var;
    } else {
      c.distance = Values.sint(value, pos, name());
    }
    c.hasDistance = true;
  }
}

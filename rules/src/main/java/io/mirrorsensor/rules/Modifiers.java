package io.mirrorsensor.rules;

/** Checks shared by the content modifiers (Suricata refuses mixing absolute and relative ones). */
final class Modifiers {
  private Modifiers() {}

  static void absolute(ContentMatch c, String kw, int pos) throws RuleSyntaxException {
    if (c.relative()) {
      throw RuleSyntaxException.error(pos, kw, "cannot mix absolute (offset, depth) and relative (distance, within) modifiers on one content");
    }
    if (c.startswith) {
      throw RuleSyntaxException.error(pos, kw, "cannot be combined with startswith");
    }
  }

  static void relative(ContentMatch c, String kw, int pos) throws RuleSyntaxException {
    if (c.absolute()) {
      throw RuleSyntaxException.error(pos, kw, "cannot mix absolute (offset, depth) and relative (distance, within) modifiers on one content");
    }
    if (c.startswith) {
      throw RuleSyntaxException.error(pos, kw, "cannot be combined with startswith");
    }
  }
}

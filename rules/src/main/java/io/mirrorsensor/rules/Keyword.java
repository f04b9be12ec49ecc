package io.mirrorsensor.rules;

/**
 * One rule keyword: parses its value and records what it means into the rule being built. One
 * class per keyword ({@code XxxKeyword}), listed in {@link KeywordRegistry#standard()}.
 */
interface Keyword {
  /** The name as written in rules; {@link #aliases()} may add others. */
  String name();

  default String[] aliases() {
    return new String[0];
  }

  /**
   * Applies the keyword.
   *
   * @param value the text after {@code :} with escapes intact, or null when there was none
   * @param pos offset of {@code value} (or of the name, when no value) in the rule text
   * @throws RuleSyntaxException with the exact reason, at the offending offset
   */
  void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException;
}

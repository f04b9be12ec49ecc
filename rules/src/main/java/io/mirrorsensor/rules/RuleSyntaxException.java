package io.mirrorsensor.rules;

/**
 * A rule could not be used. Thrown while parsing one rule and turned into a {@link Diagnostic} by
 * the loader; never escapes the module. {@link #skip} marks valid Suricata syntax that this engine
 * does not support (a missing keyword, an app-layer protocol): the rule is skipped, counted under
 * {@link #reasonKey}, and only strict mode fails the load.
 */
final class RuleSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Offset in the rule text the problem starts at. */
  final int pos;

  final String keyword;
  final String reason;
  final boolean skip;
  /** Name the load report counts a skip under (the keyword or {@code protocol <name>}). */
  final String reasonKey;

  private RuleSyntaxException(int pos, String keyword, String reason, boolean skip, String key) {
    super((keyword == null ? "" : keyword + ": ") + reason, null, false, false);
    this.pos = pos;
    this.keyword = keyword;
    this.reason = reason;
    this.skip = skip;
    this.reasonKey = key;
  }

  static RuleSyntaxException error(int pos, String keyword, String reason) {
    return new RuleSyntaxException(pos, keyword, reason, false, null);
  }

  static RuleSyntaxException skip(int pos, String keyword, String reason, String reasonKey) {
    return new RuleSyntaxException(pos, keyword, reason, true, reasonKey);
  }
}

package io.mirrorsensor.rules;

/**
 * One payload keyword of a compiled rule, evaluated in rule order on one buffer. Relative keywords
 * ({@code distance}, {@code within}, pcre {@code R}, {@code isdataat ...,relative}) start at the
 * end of the previous match ({@code prevEnd}). Stateless and shared by all detectors; per-detector
 * scratch (regex matchers) comes in through {@link Detector}.
 */
abstract class PayloadMatch {
  /** Keyword name as written, for explain and lint. */
  final String keyword;
  /** Offset of the keyword in the rule text. */
  final int pos;
  /**
   * The sticky buffer the keyword inspects: the one in force when it was added, or the one a
   * legacy content modifier ({@code http_uri} ...) or a pcre buffer flag moved it to. Set while
   * the rule is parsed, read-only after.
   */
  StickyBuffer buffer = StickyBuffer.PKT_DATA;

  PayloadMatch(String keyword, int pos) {
    this.keyword = keyword;
    this.pos = pos;
  }

  /** True when this keyword is evaluated relative to the previous match. */
  abstract boolean relative();

  /**
   * Evaluates at {@code prevEnd} (0 for the first keyword) on {@code s}; returns the new previous
   * match end, or -1 when the keyword does not match. Content is handled by {@link
   * Detector} itself (it backtracks), so this is for the other keywords.
   */
  abstract int eval(Span s, int prevEnd, Detector d);
}

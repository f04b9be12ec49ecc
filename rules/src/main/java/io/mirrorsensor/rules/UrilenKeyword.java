package io.mirrorsensor.rules;

/**
 * {@code urilen:[<>]N[,norm|raw];} or {@code urilen:A<>B[,norm|raw];}: the length of the
 * normalised URI ({@code http.uri}, the default and {@code norm}) or of the raw request-target
 * ({@code http.uri.raw}, {@code raw}), with Suricata's integer syntax (detect-urilen.c; the range
 * is exclusive). Checked on that buffer as {@code bsize} would be, wherever it stands in the rule.
 */
final class UrilenKeyword implements Keyword {
  @Override
  public String name() {
    return "urilen";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.required(value, pos, name());
    StickyBuffer buf = StickyBuffer.HTTP_URI;
    int comma = v.indexOf(',');
    String num = v;
    if (comma >= 0) {
      String mode = v.substring(comma + 1).strip();
      num = v.substring(0, comma);
      switch (mode) {
        case "raw":
          buf = StickyBuffer.HTTP_URI_RAW;
          break;
        case "norm":
          break;
        default:
          throw RuleSyntaxException.error(pos + comma + 1, name(),
              "unknown mode '" + mode + "' (norm or raw)");
      }
    }
    int lead = 0;
    while (lead < num.length() && Character.isWhitespace(num.charAt(lead))) {
      lead++;
    }
    UintMatch m = UintMatch.parse(num.strip(), pos + lead, name(), 0xFFFF);
    b.useBuffer(buf, name(), pos);
    Match match = new Match(pos, m);
    b.add(match);
    match.buffer = buf;
  }

  /** The URI-length check; does not move the previous-match end. */
  static final class Match extends PayloadMatch {
    final UintMatch length;

    Match(int pos, UintMatch length) {
      super("urilen", pos);
      this.length = length;
    }

    @Override
    boolean relative() {
      return false;
    }

    @Override
    int eval(Span s, int prevEnd, Detector d) {
      return length.matches(s.len) ? prevEnd : -1;
    }
  }
}

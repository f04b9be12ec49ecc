package io.mirrorsensor.rules;

/** {@code content:[!]"text|hex|";} a byte string to find in the current sticky buffer. */
final class ContentKeyword implements Keyword {
  /** Bound on one content's length (Suricata has none; a bound keeps the prefilter sane). */
  static final int MAX_CONTENT_BYTES = 65535;

  @Override
  public String name() {
    return "content";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.required(value, pos, name());
    int i = 0;
    while (i < v.length() && Character.isWhitespace(v.charAt(i))) {
      i++;
    }
    boolean neg = false;
    if (i < v.length() && v.charAt(i) == '!') {
      neg = true;
      i++;
      while (i < v.length() && Character.isWhitespace(v.charAt(i))) {
        i++;
      }
    }
    int end = v.length();
    while (end > i && Character.isWhitespace(v.charAt(end - 1))) {
      end--;
    }
    String body;
    int bodyPos;
    if (i < end && v.charAt(i) == '"') {
      int close = -1;
      for (int k = i + 1; k < end; k++) {
        if (v.charAt(k) == '"' && !Values.isEscaped(v, k)) {
          close = k;
          break;
        }
      }
      if (close < 0) {
        throw RuleSyntaxException.error(pos + i, name(), "unterminated string: missing closing '\"'");
      }
      if (close != end - 1) {
        throw RuleSyntaxException.error(pos + close + 1, name(), "unexpected text after the closing quote: '" + v.substring(close + 1, end).strip() + "'");
      }
      body = v.substring(i + 1, close);
      bodyPos = pos + i + 1;
    } else {
      body = v.substring(i, end);
      bodyPos = pos + i;
    }
    byte[] bytes = Values.contentBytes(body, bodyPos, name());
    if (bytes.length == 0) {
      throw RuleSyntaxException.error(pos, name(), "empty content");
    }
    if (bytes.length > MAX_CONTENT_BYTES) {
      throw RuleSyntaxException.error(pos, name(), "longer than " + MAX_CONTENT_BYTES + " bytes");
    }
    b.add(new ContentMatch(pos, bytes, neg, b.buffer));
  }
}

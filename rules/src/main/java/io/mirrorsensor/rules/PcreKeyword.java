package io.mirrorsensor.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * {@code pcre:[!]"/regex/flags";} run by RE2/J. Flags: i s m x (PCRE options), A (anchored), G
 * (ungreedy), E and O (accepted, no effect), R (relative to the previous match), B (rawbytes,
 * ignored). Buffer flags select HTTP buffers: U http.uri, I http.uri.raw, H http.header, D
 * http.header.raw, M http.method, C http.cookie, S http.stat_code, Y http.stat_msg, V
 * http.user_agent, W http.host, Z http.host.raw, P http.request_body, Q file.data. A pattern
 * RE2/J cannot run
 * (backreferences, lookaround, atomic groups, possessive quantifiers: constructs that need a
 * backtracking engine) is skipped with RE2/J's reason, counted under {@code pcre (needs
 * backtracking)}.
 */
final class PcreKeyword implements Keyword {
  /** Bound on the pattern's compiled program (RE2 memory per detector grows with it). */
  static final int MAX_PROGRAM_SIZE = 20_000;

  @Override
  public String name() {
    return "pcre";
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
    }
    String t = v.substring(i).strip();
    int tpos = pos + v.indexOf(t.isEmpty() ? "\u0000" : t.substring(0, 1), i);
    if (!t.startsWith("\"") || t.length() < 2 || !t.endsWith("\"")) {
      throw RuleSyntaxException.error(tpos, name(), "expected a quoted \"/regex/flags\"");
    }
    String body = t.substring(1, t.length() - 1);
    if (!body.startsWith("/")) {
      throw RuleSyntaxException.error(tpos + 1, name(), "the regex must start with '/'");
    }
    int slash = body.lastIndexOf('/');
    if (slash == 0) {
      throw RuleSyntaxException.error(tpos + 1, name(), "missing the closing '/' of the regex");
    }
    String re = body.substring(1, slash);
    String flags = body.substring(slash + 1);
    int reFlags = Pattern.DISABLE_UNICODE_GROUPS;
    boolean relative = false;
    boolean anchored = false;
    boolean ungreedy = false;
    boolean extended = false;
    StickyBuffer flagBuffer = null;
    for (int k = 0; k < flags.length(); k++) {
      char f = flags.charAt(k);
      int fpos = tpos + 1 + slash + 1 + k;
      switch (f) {
        case 'i':
          reFlags |= Pattern.CASE_INSENSITIVE;
          break;
        case 's':
          reFlags |= Pattern.DOTALL;
          break;
        case 'm':
          reFlags |= Pattern.MULTILINE;
          break;
        case 'x':
          extended = true;
          break;
        case 'A':
          anchored = true;
          break;
        case 'G':
          ungreedy = true;
          break;
        case 'R':
          relative = true;
          break;
        case 'E':
        case 'O':
        case 'B':
          break;
        case 'P':
        case 'Q':
        case 'U':
        case 'I':
        case 'H':
        case 'D':
        case 'M':
        case 'C':
        case 'S':
        case 'Y':
        case 'V':
        case 'W':
        case 'Z':
          flagBuffer = flagBuffer(f);
          b.useBuffer(flagBuffer, name(), fpos);
          break;
        default:
          throw RuleSyntaxException.error(fpos, name(), "unknown flag '" + f + "'");
      }
    }
    if (extended) {
      re = stripExtended(re);
    }
    if (ungreedy) {
      re = "(?U)" + re;
    }
    if (anchored) {
      re = "\\A(?:" + re + ")";
    }
    Pattern p;
    try {
      p = Pattern.compile(re, reFlags);
    } catch (PatternSyntaxException e) {
      throw RuleSyntaxException.skip(tpos, name(), "RE2/J cannot run this regex (" + e.getDescription() + (e.getPattern() == null || e.getPattern().isEmpty() ? "" : " at '" + e.getPattern() + "'") + "): backreferences, lookaround, atomic groups and possessive quantifiers need a backtracking engine", "pcre (needs backtracking)");
    }
    if (p.programSize() > MAX_PROGRAM_SIZE) {
      throw RuleSyntaxException.error(tpos, name(), "regex too large (" + p.programSize() + " instructions, at most " + MAX_PROGRAM_SIZE + ")");
    }
    PcreMatch m = new PcreMatch(pos, p, neg, relative, b.env.regexSlots++, b.buffer);
    b.add(m);
    if (flagBuffer != null) {
      m.buffer = flagBuffer;
    }
  }

  /** Suricata's pcre buffer flags (detect-pcre.c). */
  private static StickyBuffer flagBuffer(char f) {
    switch (f) {
      case 'U':
        return StickyBuffer.HTTP_URI;
      case 'I':
        return StickyBuffer.HTTP_URI_RAW;
      case 'H':
        return StickyBuffer.HTTP_HEADER;
      case 'D':
        return StickyBuffer.HTTP_HEADER_RAW;
      case 'M':
        return StickyBuffer.HTTP_METHOD;
      case 'C':
        return StickyBuffer.HTTP_COOKIE;
      case 'S':
        return StickyBuffer.HTTP_STAT_CODE;
      case 'Y':
        return StickyBuffer.HTTP_STAT_MSG;
      case 'V':
        return StickyBuffer.HTTP_USER_AGENT;
      case 'W':
        return StickyBuffer.HTTP_HOST;
      case 'P':
        return StickyBuffer.HTTP_REQUEST_BODY;
      case 'Q':
        return StickyBuffer.FILE_DATA;
      default:
        return StickyBuffer.HTTP_HOST_RAW; // 'Z'
    }
  }

  /** PCRE_EXTENDED: drops unescaped whitespace and {@code #} comments outside classes. */
  static String stripExtended(String re) {
    StringBuilder sb = new StringBuilder(re.length());
    boolean inClass = false;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\' && i + 1 < re.length()) {
        sb.append(c).append(re.charAt(++i));
        continue;
      }
      if (inClass) {
        if (c == ']') {
          inClass = false;
        }
        sb.append(c);
        continue;
      }
      if (c == '[') {
        inClass = true;
        sb.append(c);
      } else if (c == '#') {
        while (i < re.length() && re.charAt(i) != '\n') {
          i++;
        }
      } else if (!Character.isWhitespace(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}

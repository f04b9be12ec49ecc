package io.mirrorsensor.rules;

import java.io.ByteArrayOutputStream;

/** Small parsers for keyword values; every failure names the keyword and the offending text. */
final class Values {
  private Values() {}

  static String required(String value, int pos, String kw) throws RuleSyntaxException {
    if (value == null || value.isBlank()) {
      throw RuleSyntaxException.error(pos, kw, "needs a value");
    }
    return value;
  }

  static void none(String value, int pos, String kw) throws RuleSyntaxException {
    if (value != null && !value.isBlank()) {
      throw RuleSyntaxException.error(pos, kw, "takes no value, got '" + value.strip() + "'");
    }
  }

  static long uint(String value, int pos, String kw, long max) throws RuleSyntaxException {
    return UintMatch.num(required(value, pos, kw), pos, kw, max);
  }

  /** A signed int (distance, byte_* offsets). */
  static int sint(String value, int pos, String kw) throws RuleSyntaxException {
    String t = required(value, pos, kw).strip();
    try {
      return Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw RuleSyntaxException.error(pos, kw, "'" + t + "' is not a number");
    }
  }

  /** A number in decimal or 0x hex (byte_test values, bitmasks). */
  static long number(String t, int pos, String kw) throws RuleSyntaxException {
    String s = t.strip();
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return Long.parseUnsignedLong(s.substring(2), 16);
      }
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw RuleSyntaxException.error(pos, kw, "'" + s + "' is not a number");
    }
  }

  /** A quoted string with Suricata's escapes ({@code \" \; \\ \:}); quotes are optional. */
  static String quoted(String value, int pos, String kw) throws RuleSyntaxException {
    String v = required(value, pos, kw);
    int lead = v.length() - v.stripLeading().length();
    String t = v.strip();
    int base = pos + lead;
    if (t.startsWith("\"")) {
      if (t.length() < 2 || !t.endsWith("\"") || isEscaped(t, t.length() - 1)) {
        throw RuleSyntaxException.error(base, kw, "unterminated string: missing closing '\"'");
      }
      t = t.substring(1, t.length() - 1);
      base++;
    }
    StringBuilder sb = new StringBuilder(t.length());
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '\\' && i + 1 < t.length()) {
        sb.append(t.charAt(++i));
      } else if (c == '"') {
        throw RuleSyntaxException.error(base + i, kw, "unescaped '\"' inside the string");
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static boolean isEscaped(String s, int i) {
    int n = 0;
    while (i - 1 - n >= 0 && s.charAt(i - 1 - n) == '\\') {
      n++;
    }
    return (n & 1) == 1;
  }

  /**
   * Content bytes from the text between the quotes: literal characters, {@code |41 42|} hex
   * groups, and the escapes {@code \" \; \\ \: \|}.
   *
   * @param base offset of {@code s} in the rule text, for error columns
   */
  static byte[] contentBytes(String s, int base, String kw) throws RuleSyntaxException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '|') {
        int start = i;
        int end = s.indexOf('|', i + 1);
        if (end < 0) {
          throw RuleSyntaxException.error(base + start, kw, "unterminated hex sequence");
        }
        int hi = -1;
        for (int k = i + 1; k < end; k++) {
          char h = s.charAt(k);
          if (h == ' ' || h == '\t') {
            if (hi >= 0) {
              throw RuleSyntaxException.error(base + k, kw, "hex byte split by a space");
            }
            continue;
          }
          int d = Character.digit(h, 16);
          if (d < 0) {
            throw RuleSyntaxException.error(base + k, kw, "invalid hex digit '" + h + "' in hex sequence");
          }
          if (hi < 0) {
            hi = d;
          } else {
            out.write(hi << 4 | d);
            hi = -1;
          }
        }
        if (hi >= 0) {
          throw RuleSyntaxException.error(base + start, kw, "odd number of hex digits in hex sequence");
        }
        i = end + 1;
        continue;
      }
      if (c == '\\') {
        if (i + 1 >= s.length()) {
          throw RuleSyntaxException.error(base + i, kw, "'\\' at the end of the content");
        }
        char e = s.charAt(i + 1);
        if (e != '"' && e != ';' && e != '\\' && e != ':' && e != '|') {
          throw RuleSyntaxException.error(base + i, kw, "invalid escape '\\" + e + "' (only \\\" \\; \\\\ \\: \\| are allowed; use |hex| for other bytes)");
        }
        out.write(e);
        i += 2;
        continue;
      }
      if (c == '"') {
        throw RuleSyntaxException.error(base + i, kw, "unescaped '\"' inside the content");
      }
      if (c > 0xFF) {
        throw RuleSyntaxException.error(base + i, kw, "character '" + c + "' is not a byte; use |hex|");
      }
      out.write(c);
      i++;
    }
    return out.toByteArray();
  }
}

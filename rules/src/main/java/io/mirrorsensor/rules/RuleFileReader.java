package io.mirrorsensor.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits the text of a rule file into rules. Blank lines and {@code #} comments are skipped; a
 * comment that is itself a rule ({@code # alert tcp ...}) is counted as disabled, as Suricata's
 * shipped rule files use that form to turn rules off. A line ending in {@code \} continues on the
 * next line (the backslash and line break are removed, the rest is kept verbatim so columns stay
 * true).
 */
final class RuleFileReader {
  /** A commented-out rule: an action word, a space, and an option list with a sid. */
  private static final Pattern DISABLED =
      Pattern.compile("^#+\\s*(alert|drop|pass|reject|rejectsrc|rejectdst|rejectboth)\\s+\\S+.*\\(.*sid\\s*:.*");

  /** Bound on lines joined into one rule (a missing rule end must not swallow a whole file). */
  static final int MAX_CONTINUATION_LINES = 1000;

  final List<RuleSource> rules = new ArrayList<>();
  int disabled;

  void read(String file, String content) {
    String[] lines = content.split("\r?\n", -1);
    int i = 0;
    while (i < lines.length) {
      String line = lines[i];
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        i++;
        continue;
      }
      if (trimmed.startsWith("#")) {
        if (DISABLED.matcher(trimmed).matches()) {
          disabled++;
        }
        i++;
        continue;
      }
      StringBuilder sb = new StringBuilder();
      List<Integer> starts = new ArrayList<>();
      List<Integer> lineNos = new ArrayList<>();
      int joined = 0;
      while (true) {
        starts.add(sb.length());
        lineNos.add(i + 1);
        String l = lines[i];
        i++;
        String r = stripTrailing(l);
        if (r.endsWith("\\") && i < lines.length && ++joined < MAX_CONTINUATION_LINES) {
          sb.append(r, 0, r.length() - 1);
          continue;
        }
        sb.append(l);
        break;
      }
      int[] s = new int[starts.size()];
      int[] n = new int[starts.size()];
      for (int k = 0; k < s.length; k++) {
        s[k] = starts.get(k);
        n[k] = lineNos.get(k);
      }
      rules.add(new RuleSource(file, sb.toString(), s, n));
    }
  }

  private static String stripTrailing(String s) {
    int e = s.length();
    while (e > 0 && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
      e--;
    }
    return s.substring(0, e);
  }
}

package io.mirrorsensor.bench;

import java.util.Map;

/**
 * Rewrites the generated parts of a Markdown document and keeps the rest: a part named NAME is
 * everything between {@code <!-- generated:NAME -->} and {@code <!-- /generated:NAME -->}, each
 * marker on a line of its own. A part whose markers are missing is appended at the end, under a
 * heading of its name, so a new section shows up once and can then be moved anywhere in the file.
 */
final class DocSections {
  private DocSections() {}

  static String begin(String name) {
    return "<!-- generated:" + name + " -->";
  }

  static String end(String name) {
    return "<!-- /generated:" + name + " -->";
  }

  /** {@code doc} with each named part's body replaced (bodies end with a newline or not). */
  static String apply(String doc, Map<String, String> parts) {
    String out = doc;
    for (Map.Entry<String, String> e : parts.entrySet()) {
      String body = e.getValue().endsWith("\n") ? e.getValue() : e.getValue() + "\n";
      String b = begin(e.getKey());
      String en = end(e.getKey());
      int i = out.indexOf(b);
      int j = i < 0 ? -1 : out.indexOf(en, i);
      if (i < 0 || j < 0) {
        out = (out.endsWith("\n") || out.isEmpty() ? out : out + "\n") + "\n## " + e.getKey()
            + "\n\n" + b + "\n" + body + en + "\n";
      } else {
        out = out.substring(0, i + b.length()) + "\n" + body + out.substring(j);
      }
    }
    return out;
  }
}

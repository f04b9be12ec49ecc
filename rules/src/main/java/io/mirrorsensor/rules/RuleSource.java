package io.mirrorsensor.rules;

/**
 * The text of one rule as it sits in its file: the physical lines joined (a trailing {@code \}
 * continues a rule on the next line), with enough bookkeeping to turn an offset in the joined
 * text back into {@code line:column} of the file.
 */
final class RuleSource {
  final String file;
  final String text;
  /** Offset in {@link #text} at which each physical line starts, ascending. */
  private final int[] segStart;
  /** 1-based line number of each segment. */
  private final int[] segLine;

  RuleSource(String file, String text, int[] segStart, int[] segLine) {
    this.file = file;
    this.text = text;
    this.segStart = segStart;
    this.segLine = segLine;
  }

  /** A one-line rule (tests and the API's string form). */
  static RuleSource single(String file, int line, String text) {
    return new RuleSource(file, text, new int[] {0}, new int[] {line});
  }

  int firstLine() {
    return segLine[0];
  }

  /** 1-based line in the file of offset {@code pos} of the joined text. */
  int line(int pos) {
    return segLine[segment(pos)];
  }

  /** 1-based column in the file of offset {@code pos} of the joined text. */
  int column(int pos) {
    return pos - segStart[segment(pos)] + 1;
  }

  private int segment(int pos) {
    int s = 0;
    while (s + 1 < segStart.length && segStart[s + 1] <= pos) {
      s++;
    }
    return s;
  }
}

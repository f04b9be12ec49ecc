package io.mirrorsensor.rules;

/**
 * One finding about one rule: where it is ({@code file:line:column}), which keyword, and why.
 * {@link #toString()} is the form printed to rule authors, e.g. {@code
 * local.rules:12:48: content: unterminated hex sequence}.
 *
 * @param severity ERROR (the rule is not loaded), SKIP (valid Suricata, but uses something this
 *     engine does not have: the rule is not loaded) or WARNING (loaded, but slow or never matching)
 * @param file the file name as given to the loader
 * @param line 1-based line of the offending text
 * @param column 1-based column of the offending text
 * @param keyword the keyword concerned, or null for the header / rule framing
 * @param reason what is wrong, in words
 * @param sid the rule's sid when known, else 0
 */
public record Diagnostic(
    Severity severity, String file, int line, int column, String keyword, String reason, long sid) {

  /** How bad a diagnostic is. */
  public enum Severity {
    ERROR,
    SKIP,
    WARNING
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(file).append(':').append(line).append(':').append(column).append(": ");
    if (severity == Severity.WARNING) {
      sb.append("warning: ");
    } else if (severity == Severity.SKIP) {
      sb.append("skipped: ");
    }
    if (keyword != null) {
      sb.append(keyword).append(": ");
    }
    sb.append(reason);
    if (sid != 0) {
      sb.append(" (sid ").append(sid).append(')');
    }
    return sb.toString();
  }
}

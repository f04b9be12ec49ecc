package io.mirrorsensor.rules;

import java.util.List;
import java.util.Map;

/**
 * What a load did: rules loaded, skipped (by reason: the keyword or protocol missing), failed
 * (syntax errors), disabled (commented out), every diagnostic with its position, and the time.
 *
 * @param skippedByReason reason key to count, most frequent first
 */
public record LoadReport(
    int loaded,
    int failed,
    int disabled,
    Map<String, Integer> skippedByReason,
    List<Diagnostic> diagnostics,
    long loadNanos,
    int withFastPattern) {

  public int skipped() {
    return skippedByReason.values().stream().mapToInt(Integer::intValue).sum();
  }

  public long errors() {
    return diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).count();
  }

  public long warnings() {
    return diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.WARNING).count();
  }

  /** One-paragraph summary for logs and the CLI. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(loaded).append(" rules loaded (").append(withFastPattern).append(" with a fast pattern), ")
        .append(skipped()).append(" skipped, ").append(failed).append(" failed, ")
        .append(disabled).append(" disabled, in ").append(loadNanos / 1_000_000).append(" ms");
    if (!skippedByReason.isEmpty()) {
      sb.append("\nskipped by reason:");
      skippedByReason.forEach((k, v) -> sb.append("\n  ").append(v).append("  ").append(k));
    }
    return sb.toString();
  }
}

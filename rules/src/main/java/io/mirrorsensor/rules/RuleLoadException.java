package io.mirrorsensor.rules;

/** A strict load found rules that failed or would be skipped; {@link #report()} says which. */
public final class RuleLoadException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient LoadReport report;

  RuleLoadException(LoadReport report) {
    super(report.failed() + " rules failed and " + report.skipped() + " would be skipped (strict mode)");
    this.report = report;
  }

  public LoadReport report() {
    return report;
  }
}

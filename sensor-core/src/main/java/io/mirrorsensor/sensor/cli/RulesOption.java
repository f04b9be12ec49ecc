package io.mirrorsensor.sensor.cli;

import io.mirrorsensor.rules.Diagnostic;
import io.mirrorsensor.rules.LoadReport;
import io.mirrorsensor.rules.RuleLoadException;
import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Loads the rules given with {@code --rules} for replay and listen, and says what it loaded. */
final class RulesOption {
  private RulesOption() {}

  /**
   * Loads {@code files}; prints each rule error (file:line:column: reason) and the load report to
   * {@code err}.
   *
   * @return the rule set, or null when a file cannot be read (the message says which)
   */
  static RuleSet load(List<Path> files, PrintStream err) {
    RuleSet set;
    try {
      set = RuleLoader.load(files, RuleOptions.defaults());
    } catch (IOException e) {
      err.println("mirrorsensor: cannot read rules: " + e.getMessage());
      return null;
    } catch (RuleLoadException e) {
      err.println("mirrorsensor: " + e.getMessage());
      return null;
    }
    LoadReport r = set.report();
    for (Diagnostic d : r.diagnostics()) {
      if (d.severity() != Diagnostic.Severity.WARNING) {
        err.println("mirrorsensor: " + d);
      }
    }
    err.println("mirrorsensor: rules: " + r.summary());
    return set;
  }
}

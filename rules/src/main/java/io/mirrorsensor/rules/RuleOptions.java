package io.mirrorsensor.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to load rules: variable values (Suricata's defaults, overridable), strict mode, an optional
 * classification table, and the detector's state bounds. Immutable; {@code with...} returns a copy.
 */
public final class RuleOptions {
  private final Map<String, String> vars;
  private final boolean strict;
  private final String classificationText;
  private final int thresholdEntries;

  private RuleOptions(Map<String, String> vars, boolean strict, String classificationText,
      int thresholdEntries) {
    this.vars = vars;
    this.strict = strict;
    this.classificationText = classificationText;
    this.thresholdEntries = thresholdEntries;
  }

  /** Suricata's default address and port groups, not strict, the bundled classification table. */
  public static RuleOptions defaults() {
    Map<String, String> v = new LinkedHashMap<>(Vars.defaultAddressGroups());
    v.putAll(Vars.defaultPortGroups());
    return new RuleOptions(Map.copyOf(v), false, null, 1 << 16);
  }

  /** Sets (or adds) a variable, e.g. {@code withVar("HOME_NET", "[10.0.0.0/8]")}. */
  public RuleOptions withVar(String name, String value) {
    Map<String, String> v = new LinkedHashMap<>(vars);
    v.put(name, value);
    return new RuleOptions(Map.copyOf(v), strict, classificationText, thresholdEntries);
  }

  /** Strict: a rule that would be skipped (unsupported keyword or protocol) fails the load. */
  public RuleOptions withStrict(boolean on) {
    return new RuleOptions(vars, on, classificationText, thresholdEntries);
  }

  /** Replaces the bundled classification table with this classification.config text. */
  public RuleOptions withClassification(String text) {
    return new RuleOptions(vars, strict, text, thresholdEntries);
  }

  /** Bound on threshold / detection_filter tracking entries per detector (default 65536). */
  public RuleOptions withThresholdEntries(int n) {
    if (n < 16) {
      throw new IllegalArgumentException("thresholdEntries must be at least 16");
    }
    return new RuleOptions(vars, strict, classificationText, Integer.highestOneBit(n - 1) << 1);
  }

  public Map<String, String> vars() {
    return vars;
  }

  public boolean strict() {
    return strict;
  }

  public String classificationText() {
    return classificationText;
  }

  public int thresholdEntries() {
    return thresholdEntries;
  }
}

package io.mirrorsensor.rules;

/** {@code detection_filter:track by_src|by_dst, count N, seconds M;} alert after N matches in the window. */
final class DetectionFilterKeyword implements Keyword {
  @Override
  public String name() {
    return "detection_filter";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    b.rule.threshold = ThresholdKeyword.parse(b, value, pos, name(), false);
  }
}

package io.mirrorsensor.rules;

/**
 * {@code threshold:type limit|threshold|both, track by_src|by_dst|by_rule|by_both, count N, seconds
 * M;} and {@code threshold:type backoff, track by_flow, count N, multiplier M;}.
 */
final class ThresholdKeyword implements Keyword {
  @Override
  public String name() {
    return "threshold";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    b.rule.threshold = parse(b, value, pos, name(), true);
  }

  static Threshold parse(RuleBuilder b, String value, int pos, String kw, boolean needType)
      throws RuleSyntaxException {
    if (b.rule.threshold != null) {
      throw RuleSyntaxException.error(pos, kw, "a rule may have one threshold or detection_filter");
    }
    Threshold.Type type = needType ? null : Threshold.Type.DETECTION_FILTER;
    Threshold.Track track = null;
    long count = -1;
    long seconds = -1;
    long multiplier = -1;
    for (String part : Values.required(value, pos, kw).split(",")) {
      String[] kv = part.strip().split("\\s+");
      if (kv.length != 2) {
        throw RuleSyntaxException.error(pos, kw, "expected 'name value', got '" + part.strip() + "'");
      }
      switch (kv[0]) {
        case "type":
          if (!needType) {
            throw RuleSyntaxException.error(pos, kw, "takes no type");
          }
          switch (kv[1]) {
            case "limit":
              type = Threshold.Type.LIMIT;
              break;
            case "threshold":
              type = Threshold.Type.THRESHOLD;
              break;
            case "both":
              type = Threshold.Type.BOTH;
              break;
            case "backoff":
              type = Threshold.Type.BACKOFF;
              break;
            default:
              throw RuleSyntaxException.error(pos, kw, "unknown type '" + kv[1] + "' (limit, threshold, both)");
          }
          break;
        case "track":
          switch (kv[1]) {
            case "by_src":
              track = Threshold.Track.BY_SRC;
              break;
            case "by_dst":
              track = Threshold.Track.BY_DST;
              break;
            case "by_rule":
              track = Threshold.Track.BY_RULE;
              break;
            case "by_both":
              track = Threshold.Track.BY_BOTH;
              break;
            case "by_flow":
              track = Threshold.Track.BY_FLOW;
              break;
            default:
              throw RuleSyntaxException.error(pos, kw, "unknown track '" + kv[1] + "' (by_src, by_dst, by_rule, by_both)");
          }
          break;
        case "count":
          count = UintMatch.num(kv[1], pos, kw, Integer.MAX_VALUE);
          break;
        case "seconds":
          seconds = UintMatch.num(kv[1], pos, kw, 86_400L * 365);
          break;
        case "multiplier":
          multiplier = UintMatch.num(kv[1], pos, kw, Integer.MAX_VALUE);
          break;
        default:
          throw RuleSyntaxException.error(pos, kw, "unknown setting '" + kv[0] + "' (type, track, count, seconds)");
      }
    }
    if (type == null) {
      throw RuleSyntaxException.error(pos, kw, "missing 'type'");
    }
    if (track == null) {
      throw RuleSyntaxException.error(pos, kw, "missing 'track'");
    }
    if (type == Threshold.Type.BACKOFF || track == Threshold.Track.BY_FLOW) {
      return backoff(b, pos, kw, type, track, count, multiplier);
    }
    if (multiplier >= 0) {
      throw RuleSyntaxException.error(pos, kw, "'multiplier' is only for type backoff");
    }
    if (count < 0) {
      throw RuleSyntaxException.error(pos, kw, "missing 'count'");
    }
    if (seconds < 0) {
      throw RuleSyntaxException.error(pos, kw, "missing 'seconds'");
    }
    if (count == 0 && type != Threshold.Type.DETECTION_FILTER) {
      throw RuleSyntaxException.error(pos, kw, "count must be positive");
    }
    return new Threshold(type, track, (int) count, seconds);
  }

  /** Suricata (detect-threshold.c): backoff goes with track by_flow, takes no seconds. */
  private static Threshold backoff(RuleBuilder b, int pos, String kw, Threshold.Type type,
      Threshold.Track track, long count, long multiplier) throws RuleSyntaxException {
    if (type != Threshold.Type.BACKOFF) {
      throw RuleSyntaxException.skip(pos, kw, "track by_flow is supported only with type backoff", kw + ":by_flow");
    }
    if (track != Threshold.Track.BY_FLOW) {
      throw RuleSyntaxException.error(pos, kw, "type backoff needs 'track by_flow'");
    }
    if (count <= 0) {
      throw RuleSyntaxException.error(pos, kw, "missing or zero 'count'");
    }
    if (multiplier <= 0) {
      throw RuleSyntaxException.error(pos, kw, "type backoff needs a positive 'multiplier'");
    }
    // the flow's match counter gets its flowint slot once the sid is known (RuleParser.finish)
    return new Threshold(type, track, (int) count, 0, (int) multiplier, -1);
  }
}

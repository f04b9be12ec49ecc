package io.mirrorsensor.rules;

/**
 * {@code flow:opt[,opt]...;} with established, not_established, stateless, to_server,
 * from_client, to_client, from_server, only_stream, no_stream.
 */
final class FlowKeyword implements Keyword {
  @Override
  public String name() {
    return "flow";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    int est = FlowCheck.ANY;
    int dir = FlowCheck.ANY;
    boolean onlyStream = false;
    boolean noStream = false;
    boolean stateless = false;
    for (String o : Values.required(value, pos, name()).split(",")) {
      String t = o.strip();
      int e = est;
      int d = dir;
      switch (t) {
        case "established":
          e = FlowCheck.YES;
          break;
        case "not_established":
          e = FlowCheck.NO;
          break;
        case "stateless":
          stateless = true;
          break;
        case "to_server":
        case "from_client":
          d = FlowCheck.YES;
          break;
        case "to_client":
        case "from_server":
          d = FlowCheck.NO;
          break;
        case "only_stream":
          onlyStream = true;
          break;
        case "no_stream":
          noStream = true;
          break;
        case "only_frag":
        case "no_frag":
          throw RuleSyntaxException.skip(pos, name(), "option '" + t + "' is not supported yet", "flow:" + t);
        default:
          throw RuleSyntaxException.error(pos, name(), "unknown option '" + t + "'");
      }
      if (est != FlowCheck.ANY && e != est) {
        throw RuleSyntaxException.error(pos, name(), "established and not_established contradict each other");
      }
      if (dir != FlowCheck.ANY && d != dir) {
        throw RuleSyntaxException.error(pos, name(), "to_server and to_client contradict each other");
      }
      est = e;
      dir = d;
    }
    if (onlyStream && noStream) {
      throw RuleSyntaxException.error(pos, name(), "only_stream and no_stream contradict each other");
    }
    b.checks.add(new FlowCheck(pos, est, dir, onlyStream, noStream, stateless));
  }
}

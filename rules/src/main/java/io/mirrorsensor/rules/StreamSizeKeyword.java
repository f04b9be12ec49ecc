package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * {@code stream_size:<server|client|both|either>,<op>,<N>;} (detect-stream_size.c): compares the
 * TCP sequence space each side has used ({@link FlowContext#streamSize}, SYN and FIN counting one
 * each) with {@code <, <=, =, !=, >=, >}. {@code both} needs both sides to compare true, {@code
 * either} one. Packets without a tracked TCP flow (or picked up midstream) do not match.
 */
final class StreamSizeKeyword implements Keyword {
  private static final int SERVER = 0;
  private static final int CLIENT = 1;
  private static final int BOTH = 2;
  private static final int EITHER = 3;

  @Override
  public String name() {
    return "stream_size";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String[] f = Values.required(value, pos, name()).split(",");
    if (f.length != 3) {
      throw RuleSyntaxException.error(pos, name(), "expected side,operator,number (client,<,100)");
    }
    int side;
    switch (f[0].strip()) {
      case "server":
        side = SERVER;
        break;
      case "client":
        side = CLIENT;
        break;
      case "both":
        side = BOTH;
        break;
      case "either":
        side = EITHER;
        break;
      default:
        throw RuleSyntaxException.error(pos, name(), "side is server, client, both or either, got '" + f[0].strip() + "'");
    }
    String op = f[1].strip();
    long n = UintMatch.num(f[2], pos, name(), 0xFFFF_FFFFL);
    String expr;
    switch (op) {
      case "<":
      case ">":
      case "<=":
      case ">=":
        expr = op + n;
        break;
      case "=":
        expr = Long.toString(n);
        break;
      case "!=":
        expr = "!" + n;
        break;
      default:
        throw RuleSyntaxException.error(pos, name(), "unknown operator '" + op + "' (< <= = != >= >)");
    }
    b.tcpOnly(pos, name());
    b.checks.add(new Check(pos, UintMatch.parse(expr, pos, name(), 0xFFFF_FFFFL), side));
  }

  static final class Check extends PacketCheck {
    final UintMatch match;
    final int side;

    Check(int pos, UintMatch match, int side) {
      super("stream_size", pos);
      this.match = match;
      this.side = side;
    }

    @Override
    boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
      if (flow == null || p.ipProto != 6) {
        return false;
      }
      long c = flow.streamSize(true);
      long s = flow.streamSize(false);
      switch (side) {
        case SERVER:
          return s >= 0 && match.matches(s);
        case CLIENT:
          return c >= 0 && match.matches(c);
        case BOTH:
          return c >= 0 && s >= 0 && match.matches(c) && match.matches(s);
        default:
          return c >= 0 && match.matches(c) || s >= 0 && match.matches(s);
      }
    }
  }
}

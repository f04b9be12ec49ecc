package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code xbits:<set|unset|toggle|isset|isnotset>,<name>,track <ip_src|ip_dst|ip_pair>[,expire
 * <seconds>];} (detect-xbits.c): bits like flowbits, but on a host or host pair, so one flow can
 * mark an address for rules on its other flows. Conditions are checked with the rule's other
 * checks; set/unset/toggle happen when the rule matches (like flowbits). Kept in the rule set's
 * {@link XbitTable}; {@code expire} defaults to 30 seconds of packet time, as in Suricata.
 */
final class XbitsKeyword implements Keyword {
  static final int DEFAULT_EXPIRE_SECONDS = 30;
  /** Xbit names to ids, process-wide (names are few: those of the loaded rule files). */
  private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "xbits";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String[] f = Values.required(value, pos, name()).split(",");
    if (f.length < 3) {
      throw RuleSyntaxException.error(pos, name(), "expected command,name,track ip_src|ip_dst|ip_pair[,expire N]");
    }
    String cmd = f[0].strip();
    int op;
    switch (cmd) {
      case "isset":
        op = 0;
        break;
      case "set":
        op = 1;
        break;
      case "unset":
        op = 2;
        break;
      case "toggle":
        op = 3;
        break;
      case "isnotset":
        op = 4;
        break;
      default:
        throw RuleSyntaxException.error(pos, name(), "unknown command '" + cmd + "' (set, unset, toggle, isset, isnotset)");
    }
    String n = f[1].strip();
    if (n.isEmpty() || n.chars().anyMatch(Character::isWhitespace)) {
      throw RuleSyntaxException.error(pos, name(), "invalid xbit name '" + n + "'");
    }
    int track = -1;
    long expire = DEFAULT_EXPIRE_SECONDS;
    for (int i = 2; i < f.length; i++) {
      String[] kv = f[i].strip().split("\\s+");
      if (kv.length == 2 && kv[0].equals("track")) {
        switch (kv[1]) {
          case "ip_src":
            track = XbitTable.TRACK_SRC;
            break;
          case "ip_dst":
            track = XbitTable.TRACK_DST;
            break;
          case "ip_pair":
            track = XbitTable.TRACK_PAIR;
            break;
          case "tx":
            throw RuleSyntaxException.skip(pos, name(), "track tx (transaction xbits) is not supported yet", "xbits track tx");
          default:
            throw RuleSyntaxException.error(pos, name(), "track is ip_src, ip_dst or ip_pair, got '" + kv[1] + "'");
        }
      } else if (kv.length == 2 && kv[0].equals("expire")) {
        expire = UintMatch.num(kv[1], pos, name(), 0xFFFF_FFFFL);
        if (expire == 0) {
          throw RuleSyntaxException.error(pos, name(), "expire must be positive");
        }
      } else {
        throw RuleSyntaxException.error(pos, name(), "unknown option '" + f[i].strip() + "'");
      }
    }
    if (track < 0) {
      throw RuleSyntaxException.error(pos, name(), "needs 'track ip_src', 'track ip_dst' or 'track ip_pair'");
    }
    int id = IDS.computeIfAbsent(n, k -> IDS.size());
    Op o = new Op(pos, op, id, track, expire * 1_000_000_000L);
    if (op == 0 || op == 4) {
      b.checks.add(o);
    } else {
      Op[] a = java.util.Arrays.copyOf(b.rule.xbitActions, b.rule.xbitActions.length + 1);
      a[a.length - 1] = o;
      b.rule.xbitActions = a;
    }
  }

  /** One xbits command: a condition (isset, isnotset) or an action on match. */
  static final class Op extends PacketCheck {
    final int op;
    final int bit;
    final int track;
    final long expireNanos;

    Op(int pos, int op, int bit, int track, long expireNanos) {
      super("xbits", pos);
      this.op = op;
      this.bit = bit;
      this.track = track;
      this.expireNanos = expireNanos;
    }

    @Override
    boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
      return false; // needs the rule set's table: see test(Inspection ...)
    }

    @Override
    boolean test(Inspection in, DecodedPacket p, FlowContext flow, long[] bits) {
      boolean set = in.xbits.apply(0, bit, track, p, 0);
      return op == 0 ? set : !set;
    }

    /** On a transaction the endpoints in the rule's direction stand in for the packet. */
    @Override
    boolean needsPacket() {
      return false;
    }

    /** Performs set/unset/toggle for a matching rule on {@code p} (its endpoints and time). */
    void act(XbitTable t, DecodedPacket p) {
      t.apply(op, bit, track, p, expireNanos);
    }
  }
}

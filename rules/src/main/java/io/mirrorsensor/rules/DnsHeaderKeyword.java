package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.app.dns.DnsMessage;
import io.mirrorsensor.decode.app.dns.DnsTransaction;

/**
 * {@code dns.opcode:[!]N;} and {@code dns.rcode:[!]N;} (detect-dns-opcode.c, detect-dns-rcode.c):
 * a field of the DNS header flags, with Suricata's integer syntax, read from the query for
 * {@code flow:to_server} rules and from the response for to_client ones. Without a flow
 * direction it matches when the query's or the response's field does (Suricata inspects both
 * directions; it may then alert twice on one transaction, this engine once). The two differ only
 * in the bits they read, so each is an instance of this class.
 */
final class DnsHeaderKeyword implements Keyword {
  private final String name;
  /** Flag bits: opcode is bits 11-14, rcode bits 0-3 (RFC 1035 section 4.1.1). */
  private final int shift;

  DnsHeaderKeyword(String name) {
    this.name = name;
    this.shift = name.equals("dns.opcode") ? 11 : 0;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    UintMatch m = UintMatch.parse(value, pos, name, 15);
    b.useApp(Protocols.APP_DNS, name, pos);
    b.checks.add(new Check(name, pos, m, shift, b.rule));
  }

  /** Compares the header field of the message in the rule's direction. */
  static final class Check extends PacketCheck {
    final UintMatch match;
    final int shift;
    private final Rule rule;
    /** 0 until first used, then 1 when the rule gives a flow direction, 2 when it does not. */
    private int directed;

    Check(String keyword, int pos, UintMatch match, int shift, Rule rule) {
      super(keyword, pos);
      this.match = match;
      this.shift = shift;
      this.rule = rule;
    }

    /** Whether the rule says flow:to_server or to_client (known once the rule is compiled). */
    private boolean directed() {
      int d = directed;
      if (d == 0) {
        d = 2;
        for (PacketCheck c : rule.checks) {
          if (c instanceof FlowCheck && ((FlowCheck) c).toServer != FlowCheck.ANY) {
            d = 1;
          }
        }
        directed = d; // benign race: every thread computes the same value
      }
      return d == 1;
    }

    @Override
    boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
      return false; // only meaningful on a transaction
    }

    @Override
    boolean test(Inspection in, DecodedPacket p, FlowContext flow, long[] bits) {
      DnsTransaction t = in.dns;
      if (t == null) {
        return false;
      }
      boolean both = !in.toClient && !directed();
      if (!in.toClient && t.hasQuery() && match.matches((t.queryFlags() >>> shift) & 0xF)) {
        return true;
      }
      if (in.toClient || both) {
        DnsMessage r = t.response();
        return r != null && match.matches((r.flags() >>> shift) & 0xF);
      }
      return false;
    }

    @Override
    boolean needsPacket() {
      return false;
    }
  }
}

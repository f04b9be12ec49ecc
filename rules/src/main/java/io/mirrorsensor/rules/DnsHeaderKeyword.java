package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.app.dns.DnsMessage;
import io.mirrorsensor.decode.app.dns.DnsTransaction;

/**
 * {@code dns.opcode:[!]N;} and {@code dns.rcode:[!]N;} (detect-dns-opcode.c, detect-dns-rcode.c):
 * a field of the DNS header flags, with Suricata's integer syntax, read from the query for
 * to_server rules and from the response for to_client rules (Suricata inspects both directions).
 * The two differ only in the bits they read, so each is an instance of this class.
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
    b.checks.add(new Check(name, pos, m, shift));
  }

  /** Compares the header field of the message in the rule's direction. */
  static final class Check extends PacketCheck {
    final UintMatch match;
    final int shift;

    Check(String keyword, int pos, UintMatch match, int shift) {
      super(keyword, pos);
      this.match = match;
      this.shift = shift;
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
      int flags;
      if (in.toClient) {
        DnsMessage r = t.response();
        if (r == null) {
          return false;
        }
        flags = r.flags();
      } else {
        if (!t.hasQuery()) {
          return false;
        }
        flags = t.queryFlags();
      }
      return match.matches((flags >>> shift) & 0xF);
    }

    @Override
    boolean needsPacket() {
      return false;
    }
  }
}

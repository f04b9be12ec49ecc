package io.mirrorsensor.rules;

import java.util.Map;

/** {@code ip_proto:[!<>]N|name;} the IP protocol number (after IPv6 extension headers). */
final class IpProtoKeyword implements Keyword {
  private static final Map<String, Integer> NAMES =
      Map.ofEntries(
          Map.entry("icmp", 1), Map.entry("igmp", 2), Map.entry("ipip", 4), Map.entry("tcp", 6),
          Map.entry("udp", 17), Map.entry("ipv6", 41), Map.entry("rsvp", 46),
          Map.entry("gre", 47), Map.entry("esp", 50), Map.entry("ah", 51),
          Map.entry("ipv6-icmp", 58), Map.entry("icmpv6", 58), Map.entry("pim", 103),
          Map.entry("vrrp", 112), Map.entry("sctp", 132));

  @Override
  public String name() {
    return "ip_proto";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.required(value, pos, name()).strip();
    String prefix = "";
    String body = v;
    while (!body.isEmpty() && "!<>=".indexOf(body.charAt(0)) >= 0) {
      prefix += body.charAt(0);
      body = body.substring(1).strip();
    }
    Integer n = NAMES.get(body.toLowerCase(java.util.Locale.ROOT));
    String num = n == null ? body : n.toString();
    UintMatch m = UintMatch.parse(prefix + num, pos, name(), 255);
    b.checks.add(new PacketCheck.UintCheck(name(), pos, m, p -> p.ipVersion == 0 ? -1 : p.ipProto));
  }
}

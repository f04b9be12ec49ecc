package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * The implicit check of a dns or tls rule without any keyword of its protocol ({@code alert tls
 * ... (content:"|16 03|"; ...)}): as in Suricata, such a rule inspects the packets of flows whose
 * app-layer protocol was recognised as the rule's, so it is compiled as a packet rule with this
 * check (the flow's {@link FlowContext#appProtocol()}). Packets without a flow, or of a flow whose
 * protocol is not known yet, do not match.
 */
final class AppProtoCheck extends PacketCheck {
  final String protocol;

  private AppProtoCheck(String protocol) {
    super("protocol " + protocol, 0);
    this.protocol = protocol;
  }

  @Override
  boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
    return flow != null && protocol.equals(flow.appProtocol());
  }

  /**
   * Turns the dns/tls rule being built into a packet rule of its protocol's flows: called when
   * the rule used no keyword of its protocol.
   */
  static void packetRule(RuleBuilder b) {
    Rule r = b.rule;
    String name = Protocols.APP_NAMES[r.app];
    r.app = Protocols.APP_NONE;
    b.checks.add(0, new AppProtoCheck(name));
  }
}

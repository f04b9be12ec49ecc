package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * The app protocol of an http, dns or tls rule that reads none of its protocol's buffers
 * ({@code alert http ... (content:"x"; ...)}): Suricata inspects the packets of the flows its app
 * layer identified as that protocol with such a rule, so it is a packet rule that passes only on
 * packets of a flow whose {@link FlowContext#appProto()} is that protocol.
 */
final class AppProtoCheck extends PacketCheck {
  private final String proto;

  AppProtoCheck(String proto) {
    super("protocol " + proto, 0);
    this.proto = proto;
  }

  /**
   * A property of the flow, not of the packet: such a rule with only pkt_data contents is
   * inspected on the reassembled stream like a tcp rule (Suricata's payload engines apply the
   * app-protocol check to both).
   */
  @Override
  boolean needsPacket() {
    return false;
  }

  @Override
  boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
    return flow != null && proto.equals(flow.appProto());
  }
}

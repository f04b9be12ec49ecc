package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * A non-payload condition of a rule (dsize, flags, ttl, flow, flowbits isset ...), checked before
 * the payload keywords. Immutable, shared by all detectors, must not allocate.
 */
abstract class PacketCheck {
  final String keyword;
  final int pos;

  PacketCheck(String keyword, int pos) {
    this.keyword = keyword;
    this.pos = pos;
  }

  /**
   * @param flow the packet's flow, or null
   * @param bits the flowbits in force for this packet (the flow's, or the detector's per-packet
   *     scratch when there is no flow)
   */
  abstract boolean test(DecodedPacket p, FlowContext flow, long[] bits);

  /**
   * The check as the detector calls it: {@code in} is what is inspected (a packet, or a
   * transaction whose {@code p} carries only the flow's endpoints in the rule's direction).
   */
  boolean test(Inspection in, DecodedPacket p, FlowContext flow, long[] bits) {
    return test(p, flow, bits);
  }

  /**
   * True when the check reads the packet itself (sizes, flags, header fields): such a check cannot
   * be part of an app-layer rule, which is evaluated on a transaction.
   */
  boolean needsPacket() {
    return true;
  }

  /** True when the check is about the server's side (an app-layer rule then runs to_client). */
  boolean toClient() {
    return false;
  }

  /** A check on a number taken from the packet, with Suricata's integer syntax. */
  static final class UintCheck extends PacketCheck {
    interface Field {
      long get(DecodedPacket p);
    }

    final UintMatch match;
    final Field field;

    UintCheck(String keyword, int pos, UintMatch match, Field field) {
      super(keyword, pos);
      this.match = match;
      this.field = field;
    }

    @Override
    boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
      long v = field.get(p);
      return v >= 0 && match.matches(v);
    }
  }
}

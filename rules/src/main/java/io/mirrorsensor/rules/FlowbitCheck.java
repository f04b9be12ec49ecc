package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * {@code flowbits:isset,a|b} (any of them set), {@code isset,a&b} (all set), {@code
 * isnotset,a|b} (any of them unset), {@code isnotset,a&b} (all unset), as Suricata's
 * detect-flowbits.c evaluates them.
 */
final class FlowbitCheck extends PacketCheck {
  final boolean isset;
  final boolean and;
  final int[] bits;

  FlowbitCheck(int pos, boolean isset, boolean and, int[] bits) {
    super("flowbits", pos);
    this.isset = isset;
    this.and = and;
    this.bits = bits;
  }

  static boolean get(long[] words, int bit) {
    return (words[bit >>> 6] & (1L << bit)) != 0;
  }

  @Override
  boolean test(DecodedPacket p, FlowContext flow, long[] words) {
    if (and) {
      for (int b : bits) {
        if (get(words, b) != isset) {
          return false;
        }
      }
      return true;
    }
    for (int b : bits) {
      if (get(words, b) == isset) {
        return true;
      }
    }
    return false;
  }
  @Override
  boolean needsPacket() {
    return false;
  }
}

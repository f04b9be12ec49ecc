package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * {@code flags:[+*!]FSRPAUCE0[,mask]} on TCP packets (Suricata detect-tcp-flags.c): no modifier =
 * exactly these flags (ignoring the masked ones), {@code +} = these and maybe others, {@code *} =
 * any of these, {@code !} = not all of these (Suricata's MODIFIER_NOT). Non-TCP packets never match.
 */
final class FlagsCheck extends PacketCheck {
  static final char EXACT = '=';

  final char modifier;
  final int flags;
  /** Bits to ignore. */
  final int ignore;

  FlagsCheck(String keyword, int pos, char modifier, int flags, int ignore) {
    super(keyword, pos);
    this.modifier = modifier;
    this.flags = flags;
    this.ignore = ignore;
  }

  @Override
  boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
    if (!p.isTcp()) {
      return false;
    }
    int f = p.tcpFlags & 0xFF & ~ignore;
    switch (modifier) {
      case '+':
        return (f & flags) == flags;
      case '*':
        return (f & flags) != 0;
      case '!':
        return (f & flags) != flags;
      default:
        return f == flags;
    }
  }
}

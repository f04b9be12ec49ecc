package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * {@code flow:}: state and direction. In this packet engine every packet is a "packet", never a
 * reassembled stream chunk: {@code only_stream} never matches and {@code no_stream} always does
 * (until stream reassembly feeds the detector).
 */
final class FlowCheck extends PacketCheck {
  static final int ANY = 0;
  static final int YES = 1;
  static final int NO = 2;

  /** ANY, YES (established) or NO (not_established). */
  final int established;
  /** ANY, YES (to_server) or NO (to_client). */
  final int toServer;
  final boolean onlyStream;
  final boolean noStream;
  final boolean stateless;

  FlowCheck(int pos, int established, int toServer, boolean onlyStream, boolean noStream,
      boolean stateless) {
    super("flow", pos);
    this.established = established;
    this.toServer = toServer;
    this.onlyStream = onlyStream;
    this.noStream = noStream;
    this.stateless = stateless;
  }

  @Override
  boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
    if (onlyStream) {
      return false;
    }
    if (established != ANY) {
      boolean e = flow != null && flow.established();
      if (e != (established == YES)) {
        return false;
      }
    }
    if (toServer != ANY) {
      if (flow == null || flow.toServer() != (toServer == YES)) {
        return false;
      }
    }
    return true;
  }
  @Override
  boolean needsPacket() {
    return false;
  }

  @Override
  boolean toClient() {
    return toServer == NO;
  }
}

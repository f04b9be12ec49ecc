package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * {@code flow:}: state and direction, and what is inspected: {@code only_stream} matches only on a
 * window of a reassembled TCP stream, {@code no_stream} only on a packet (the rule set puts such
 * rules only in the stream or only in the packet groups; the check keeps the meaning wherever it is
 * evaluated, e.g. by {@code rules test --explain}).
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
  boolean test(Inspection in, DecodedPacket p, FlowContext flow, long[] bits) {
    if (onlyStream ? !in.stream : noStream && in.stream) {
      return false;
    }
    return state(flow);
  }

  @Override
  boolean test(DecodedPacket p, FlowContext flow, long[] bits) {
    return !onlyStream && state(flow);
  }

  private boolean state(FlowContext flow) {
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

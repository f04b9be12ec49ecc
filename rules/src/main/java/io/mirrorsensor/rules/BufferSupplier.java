package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * Where a sticky buffer's bytes come from. A sticky-buffer keyword registers one supplier, and
 * both the prefilter (which scans the buffer for fast patterns) and the full match (which
 * evaluates the rule's keywords on it) read the buffer through it.
 */
interface BufferSupplier {
  /**
   * Points {@code out} at the buffer for this packet and returns true, or returns false when the
   * packet has no such buffer. Must not allocate.
   */
  boolean fill(DecodedPacket p, FlowContext flow, Span out);
}

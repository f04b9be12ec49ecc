package io.mirrorsensor.rules;

/**
 * Where a sticky buffer's bytes come from. A sticky-buffer keyword registers one supplier, and
 * both the prefilter (which scans the buffer for fast patterns) and the full match (which
 * evaluates the rule's keywords on it) read the buffer through it.
 */
interface BufferSupplier {
  /**
   * Points {@code out} at the buffer for what is being inspected ({@code in}: a packet or a
   * transaction, and the direction of the rule) and returns true, or returns false when there is
   * no such buffer. Must not allocate (derived buffers are built into {@code in}'s scratch).
   */
  boolean fill(Inspection in, Span out);
}

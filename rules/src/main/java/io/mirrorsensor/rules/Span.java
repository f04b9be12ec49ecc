package io.mirrorsensor.rules;

/**
 * A byte range a rule inspects: {@code buf[off, off + len)}. Filled by a {@link BufferSupplier};
 * one instance per detector, reused for every packet; the bytes are not owned.
 */
final class Span {
  byte[] buf;
  int off;
  int len;
  /**
   * Stream offset of {@code buf[off]} when the span is a window of a reassembled TCP stream (see
   * {@link StreamWindow}), else 0: absolute content positions (offset, depth, startswith) count
   * from the start of the stream, as Suricata's stream inspection does.
   */
  long base;
}

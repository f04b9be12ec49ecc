package io.mirrorsensor.rules;

/**
 * A byte range a rule inspects: {@code buf[off, off + len)}. Filled by a {@link BufferSupplier};
 * one instance per detector, reused for every packet; the bytes are not owned.
 */
final class Span {
  byte[] buf;
  int off;
  int len;
}

package io.mirrorsensor.sensor.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian buffered output shared by the writers: fields are put straight into a byte[] and
 * the stream sees one write per buffer-full. Owns {@code out} and closes it.
 */
final class ByteSink implements AutoCloseable {
  private static final VarHandle I32_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I16_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private final OutputStream out;
  private final byte[] buf;
  private int pos;
  private long written;
  private boolean closed;

  ByteSink(OutputStream out, int bufferBytes) {
    this.out = out;
    this.buf = new byte[bufferBytes];
  }

  /** Makes room for {@code n} contiguous bytes; {@code n} must not exceed the buffer. */
  void reserve(int n) throws IOException {
    if (buf.length - pos < n) {
      flushBuffer();
    }
  }

  /** Room in an empty buffer: larger writes go through {@link #bytes} unbuffered. */
  int capacity() {
    return buf.length;
  }

  void i32(int v) {
    I32_LE.set(buf, pos, v);
    pos += 4;
  }

  void i16(int v) {
    I16_LE.set(buf, pos, (short) v);
    pos += 2;
  }

  void zeros(int n) {
    for (int i = 0; i < n; i++) {
      buf[pos++] = 0;
    }
  }

  /** Copies {@code len} bytes, bypassing the buffer when they would not fit in it. */
  void bytes(byte[] src, int off, int len) throws IOException {
    if (len > buf.length - pos) {
      flushBuffer();
      if (len > buf.length) {
        out.write(src, off, len);
        written += len;
        return;
      }
    }
    System.arraycopy(src, off, buf, pos, len);
    pos += len;
  }

  /** Bytes handed to the stream plus bytes still buffered. */
  long written() {
    return written + pos;
  }

  private void flushBuffer() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      written += pos;
      pos = 0;
    }
  }

  void flush() throws IOException {
    flushBuffer();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      flushBuffer();
    } finally {
      out.close();
    }
  }
}

package io.mirrorsensor.sensor.capture;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A sliding window over a file: {@code buf[pos, limit)} holds the file bytes at {@code [base + pos,
 * base + limit)}. {@link #fill(int)} compacts and refills so that a whole record is contiguous in
 * {@code buf}; records handed out point into {@code buf} and are invalidated by the next fill.
 *
 * <p>The buffer starts at {@code initialBytes} and grows (doubling) only for a record larger than
 * itself, never beyond {@code maxBytes}; callers check their record length against {@link
 * #maxBytes()} before asking for it, so a corrupt length can never make it allocate more. Offsets
 * are {@code long}: files larger than 2 GiB are fine.
 *
 * <p>Single-threaded. Owns its channel and closes it in {@link #close()}.
 */
final class CaptureInput implements AutoCloseable {
  private static final VarHandle I32_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I64_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I16_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  final Path file;
  private final FileChannel channel;
  private final long size;
  private final int maxBytes;
  private ByteBuffer window;
  private boolean eof;

  /** Buffer; replaced (not just refilled) when it grows. */
  byte[] buf;

  /** Next unconsumed byte in {@link #buf}. */
  int pos;

  /** End of the valid bytes in {@link #buf}. */
  int limit;

  /** File offset of {@code buf[0]}. */
  long base;

  CaptureInput(Path file, int initialBytes, int maxBytes) throws IOException {
    if (initialBytes < 64 || maxBytes < initialBytes) {
      throw new IllegalArgumentException(
          "buffer sizes: initial " + initialBytes + ", max " + maxBytes);
    }
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.size = channel.size();
    this.maxBytes = maxBytes;
    this.buf = new byte[initialBytes];
    this.window = ByteBuffer.wrap(buf);
  }

  long size() {
    return size;
  }

  int maxBytes() {
    return maxBytes;
  }

  /** File offset of the next unconsumed byte. */
  long position() {
    return base + pos;
  }

  /** Bytes buffered and not yet consumed. */
  int available() {
    return limit - pos;
  }

  /**
   * Makes at least {@code n} bytes available from {@link #pos}, reading more of the file as
   * needed. {@code n} must not exceed {@link #maxBytes()}. Returns false if the file ends first;
   * {@link #available()} then tells how many bytes there were.
   */
  boolean fill(int n) throws IOException {
    return limit - pos >= n || refill(n);
  }

  private boolean refill(int n) throws IOException {
    if (n > maxBytes) {
      throw new IllegalArgumentException("fill(" + n + ") beyond buffer bound " + maxBytes);
    }
    if (n > buf.length - pos) {
      if (n > buf.length) {
        grow(n);
      } else {
        int kept = limit - pos;
        System.arraycopy(buf, pos, buf, 0, kept);
        base += pos;
        limit = kept;
        pos = 0;
      }
    }
    while (limit - pos < n && !eof) {
      window.limit(buf.length).position(limit);
      int read = channel.read(window);
      if (read < 0) {
        eof = true;
      } else {
        limit += read;
      }
    }
    return limit - pos >= n;
  }

  private void grow(int n) {
    int newLength = (int) Math.min(maxBytes, Math.max(n, 2L * buf.length));
    byte[] bigger = new byte[newLength];
    int kept = limit - pos;
    System.arraycopy(buf, pos, bigger, 0, kept);
    base += pos;
    limit = kept;
    pos = 0;
    buf = bigger;
    window = ByteBuffer.wrap(buf);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Reads a 32-bit int at {@code off}; {@code swap} means the file is big-endian. */
  static int i32(byte[] b, int off, boolean swap) {
    int v = (int) I32_LE.get(b, off);
    return swap ? Integer.reverseBytes(v) : v;
  }

  /** Reads a 64-bit long at {@code off}; {@code swap} means the file is big-endian. */
  static long i64(byte[] b, int off, boolean swap) {
    long v = (long) I64_LE.get(b, off);
    return swap ? Long.reverseBytes(v) : v;
  }

  /** Reads an unsigned 16-bit value at {@code off}; {@code swap} means the file is big-endian. */
  static int u16(byte[] b, int off, boolean swap) {
    short v = (short) I16_LE.get(b, off);
    return (swap ? Short.reverseBytes(v) : v) & 0xFFFF;
  }

  /** Hex of the first bytes of the file, for error messages. */
  String headHex(int max) {
    int n = Math.min(max, limit - pos);
    StringBuilder sb = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(Character.forDigit((buf[pos + i] >> 4) & 0xF, 16))
          .append(Character.forDigit(buf[pos + i] & 0xF, 16));
    }
    return sb.toString();
  }
}

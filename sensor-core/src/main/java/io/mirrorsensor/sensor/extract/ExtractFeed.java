package io.mirrorsensor.sensor.extract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Extract operations a worker hands to the output thread, packed into bytes (big-endian): {@code
 * OPEN} (id, link type, flow id, path, the event's tuple fields), {@code PACKET} (id, time,
 * lengths, frame bytes), {@code CLOSE} (id, time, reason, packets the worker dropped). The array
 * grows and is reused: nothing is allocated per packet once it has grown. Owned by one thread.
 */
public final class ExtractFeed {
  static final byte OPEN = 1;
  static final byte PACKET = 2;
  static final byte CLOSE = 3;

  private byte[] buf = new byte[1 << 12];
  private int size;

  public int size() {
    return size;
  }

  /** A copy of the operations so far (the feed keeps them until {@link #reset}). */
  public byte[] copy() {
    return Arrays.copyOf(buf, size);
  }

  public void reset() {
    size = 0;
  }

  /** A copy of the operations so far, and an empty feed. */
  public byte[] take() {
    byte[] out = Arrays.copyOf(buf, size);
    size = 0;
    return out;
  }

  void open(long id, int linkType, long flowId, String path, String tupleJson) {
    u8(OPEN);
    i64(id);
    i32(linkType);
    i64(flowId);
    text(path);
    text(tupleJson);
  }

  void packet(long id, long tsNanos, int capLen, int origLen, byte[] b, int off) {
    ensure(1 + 8 + 8 + 4 + 4 + capLen);
    u8(PACKET);
    i64(id);
    i64(tsNanos);
    i32(capLen);
    i32(origLen);
    System.arraycopy(b, off, buf, size, capLen);
    size += capLen;
  }

  void close(long id, long tsNanos, String reason, long dropped) {
    u8(CLOSE);
    i64(id);
    i64(tsNanos);
    text(reason);
    i64(dropped);
  }

  private void ensure(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(size + n, buf.length * 2));
    }
  }

  private void u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
  }

  private void i32(int v) {
    ensure(4);
    for (int s = 24; s >= 0; s -= 8) {
      buf[size++] = (byte) (v >>> s);
    }
  }

  private void i64(long v) {
    ensure(8);
    for (int s = 56; s >= 0; s -= 8) {
      buf[size++] = (byte) (v >>> s);
    }
  }

  private void text(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    i32(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  /** Reads a packed feed back (output side). */
  static final class Reader {
    private final byte[] b;
    private int pos;

    Reader(byte[] b) {
      this.b = b;
    }

    boolean more() {
      return pos < b.length;
    }

    int u8() {
      return b[pos++] & 0xFF;
    }

    int i32() {
      int v = 0;
      for (int i = 0; i < 4; i++) {
        v = (v << 8) | (b[pos++] & 0xFF);
      }
      return v;
    }

    long i64() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (b[pos++] & 0xFF);
      }
      return v;
    }

    String text() {
      int n = i32();
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    /** Offset of the next {@code n} raw bytes in {@link #array()}, skipping them. */
    int skip(int n) {
      int at = pos;
      pos += n;
      return at;
    }

    byte[] array() {
      return b;
    }
  }
}

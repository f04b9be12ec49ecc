package io.mirrorsensor.sensor.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a minimal little-endian pcapng file (draft-ietf-opsawg-pcapng): one Section Header Block
 * (version 1.0, unknown section length), one Interface Description Block with {@code
 * if_tsresol = 9} (nanoseconds), then one Enhanced Packet Block per frame, without options. Meant
 * for test inputs and samples; extracts use {@link PcapWriter}. Not thread-safe.
 */
public final class PcapngWriter implements AutoCloseable {
  static final int SHB_BYTES = 28;
  static final int IDB_BYTES = 32; // 20 + if_tsresol option (8) + opt_endofopt (4)
  static final int EPB_OVERHEAD = 32;

  private final ByteSink out;
  private final int snapLen;
  private long records;

  /** Starts a pcapng file on {@code out}, which the writer then owns and closes. */
  public PcapngWriter(OutputStream out, int linkType, int snapLen) throws IOException {
    if (snapLen <= 0) {
      throw new IllegalArgumentException("snapLen must be > 0: " + snapLen);
    }
    this.out = new ByteSink(out, PcapWriter.BUFFER_BYTES);
    this.snapLen = snapLen;
    ByteSink o = this.out;
    o.reserve(SHB_BYTES + IDB_BYTES);
    o.i32(PcapngReader.SHB_TYPE);
    o.i32(SHB_BYTES);
    o.i32(PcapngReader.BYTE_ORDER_MAGIC);
    o.i16(1); // major
    o.i16(0); // minor
    o.i32(-1); // section length: -1 (64 bits) = not given
    o.i32(-1);
    o.i32(SHB_BYTES);
    o.i32(PcapngReader.IDB_TYPE);
    o.i32(IDB_BYTES);
    o.i16(linkType);
    o.i16(0); // reserved
    o.i32(snapLen);
    o.i16(PcapngReader.OPT_IF_TSRESOL);
    o.i16(1);
    o.i32(9); // 10^-9 s, then 3 bytes of padding (little-endian int puts them after)
    o.i32(0); // opt_endofopt
    o.i32(IDB_BYTES);
  }

  /** Creates (or truncates) {@code file} and starts a pcapng file in it. */
  public static PcapngWriter create(Path file, int linkType, int snapLen) throws IOException {
    return new PcapngWriter(Files.newOutputStream(file), linkType, snapLen);
  }

  /**
   * Appends one Enhanced Packet Block on interface 0. The caller keeps ownership of {@code buf}.
   * Frames longer than the snaplen are cut to it.
   */
  public void write(byte[] buf, int off, int capLen, int origLen, long tsNanos)
      throws IOException {
    if (capLen < 0 || off < 0 || off + capLen > buf.length) {
      throw new IllegalArgumentException(
          "frame [" + off + ", " + off + "+" + capLen + ") outside buffer of " + buf.length);
    }
    int len = Math.min(capLen, snapLen);
    int padding = -len & 3;
    int total = EPB_OVERHEAD + len + padding;
    out.reserve(28);
    out.i32(PcapngReader.EPB_TYPE);
    out.i32(total);
    out.i32(0); // interface id
    out.i32((int) (tsNanos >>> 32));
    out.i32((int) tsNanos);
    out.i32(len);
    out.i32(origLen);
    out.bytes(buf, off, len);
    out.reserve(8);
    out.zeros(padding);
    out.i32(total);
    records++;
  }

  /** Records written so far. */
  public long records() {
    return records;
  }

  /** Pushes buffered blocks to the stream and flushes it. */
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

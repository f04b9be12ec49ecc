package io.mirrorsensor.sensor.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic pcap file (draft-ietf-opsawg-pcap): little-endian, version 2.4, micro- or
 * nanosecond timestamps, one link type and snaplen for the whole file. Output is buffered; nothing
 * is allocated per record. Frames longer than the snaplen are cut to it, as a capture would, and
 * keep their original length. Not thread-safe.
 */
public final class PcapWriter implements AutoCloseable {
  /** Timestamp resolution of the file: selects the magic number. */
  public enum Resolution {
    MICRO,
    NANO
  }

  static final int BUFFER_BYTES = 1 << 20;

  private final ByteSink out;
  private final int snapLen;
  private final boolean nanos;
  private long records;

  /**
   * Starts a pcap file on {@code out}, which the writer then owns and closes.
   *
   * @param linkType LINKTYPE_ value of every frame (see {@code io.mirrorsensor.decode.LinkType})
   * @param snapLen largest captured length written, > 0 (65535 or 262144 are the usual values)
   */
  public PcapWriter(OutputStream out, int linkType, int snapLen, Resolution resolution)
      throws IOException {
    if (snapLen <= 0) {
      throw new IllegalArgumentException("snapLen must be > 0: " + snapLen);
    }
    this.out = new ByteSink(out, BUFFER_BYTES);
    this.snapLen = snapLen;
    this.nanos = resolution == Resolution.NANO;
    this.out.reserve(PcapReader.FILE_HEADER_BYTES);
    this.out.i32(nanos ? PcapReader.MAGIC_NANO : PcapReader.MAGIC_MICRO);
    this.out.i16(2);
    this.out.i16(4);
    this.out.i32(0); // thiszone: reserved, always 0
    this.out.i32(0); // sigfigs: reserved, always 0
    this.out.i32(snapLen);
    this.out.i32(linkType);
  }

  /** Creates (or truncates) {@code file} and starts a pcap file in it. */
  public static PcapWriter create(Path file, int linkType, int snapLen, Resolution resolution)
      throws IOException {
    return new PcapWriter(Files.newOutputStream(file), linkType, snapLen, resolution);
  }

  /**
   * Appends one record. The caller keeps ownership of {@code buf}; its bytes are copied before
   * this returns.
   *
   * @param capLen bytes of the frame present in {@code buf} (cut to the snaplen if longer)
   * @param origLen length of the frame on the wire
   * @param tsNanos capture time in nanoseconds since the Unix epoch (written as unsigned 32-bit
   *     seconds plus the fraction; microsecond files drop the sub-microsecond part)
   */
  public void write(byte[] buf, int off, int capLen, int origLen, long tsNanos)
      throws IOException {
    if (capLen < 0 || off < 0 || off + capLen > buf.length) {
      throw new IllegalArgumentException(
          "frame [" + off + ", " + off + "+" + capLen + ") outside buffer of " + buf.length);
    }
    int len = Math.min(capLen, snapLen);
    long seconds = Math.floorDiv(tsNanos, 1_000_000_000L);
    long frac = Math.floorMod(tsNanos, 1_000_000_000L);
    out.reserve(PcapReader.RECORD_HEADER_BYTES);
    out.i32((int) seconds);
    out.i32((int) (nanos ? frac : frac / 1_000));
    out.i32(len);
    out.i32(origLen);
    out.bytes(buf, off, len);
    records++;
  }

  /** Appends {@code rec}'s frame with its lengths and timestamp. */
  public void write(CaptureRecord rec) throws IOException {
    write(rec.buf, rec.offset, rec.capLen, rec.origLen, rec.tsNanos);
  }

  /** Records written so far. */
  public long records() {
    return records;
  }

  /** File bytes produced so far, header included (some may still be buffered). */
  public long bytesWritten() {
    return out.written();
  }

  /** Pushes buffered records to the stream and flushes it. */
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

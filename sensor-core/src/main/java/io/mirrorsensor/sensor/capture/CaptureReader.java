package io.mirrorsensor.sensor.capture;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Sequential reader of one capture file: classic pcap (microsecond {@code "pcap"} or nanosecond
 * {@code "pcap-ns"}, either byte order) or pcapng ({@code "pcapng"}).
 *
 * <p>Call order: {@link #open}, then {@link #next} until it returns false, then {@link #damage()}
 * to learn whether the file ended cleanly, then {@link #close()}. {@link #position()} may be read
 * at any time for progress. Not thread-safe.
 *
 * <p>Damage (a truncated record, garbage after the last record, an impossible length, a bad
 * pcapng block) is not an exception: every record before it is returned normally, then {@code
 * next} returns false and {@code damage()} tells the byte offset, record number and reason.
 * {@link IOException} is reserved for the file system failing.
 */
public interface CaptureReader extends AutoCloseable {
  /** Initial size of the reusable read buffer. */
  int DEFAULT_BUFFER_BYTES = 4 << 20;

  /** Largest the buffer may grow for one record or block; anything larger is damage. */
  int DEFAULT_MAX_BUFFER_BYTES = 16 << 20;

  /**
   * Opens {@code file}, detecting the format from its magic number.
   *
   * @throws CaptureFormatException if the file is not pcap or pcapng; the message names the file
   *     and shows its first bytes in hex
   */
  static CaptureReader open(Path file) throws IOException {
    return open(file, DEFAULT_BUFFER_BYTES, DEFAULT_MAX_BUFFER_BYTES);
  }

  /**
   * Opens {@code file} with a read buffer of {@code bufferBytes} that may grow to {@code
   * maxBufferBytes} for a single large record (the bound on record and block size).
   */
  static CaptureReader open(Path file, int bufferBytes, int maxBufferBytes) throws IOException {
    CaptureInput in = new CaptureInput(file, bufferBytes, maxBufferBytes);
    try {
      in.fill(4);
      if (in.available() >= 4) {
        int magic = CaptureInput.i32(in.buf, 0, false);
        switch (magic) {
          case PcapReader.MAGIC_MICRO:
            return new PcapReader(in, false, false);
          case PcapReader.MAGIC_MICRO_SWAPPED:
            return new PcapReader(in, true, false);
          case PcapReader.MAGIC_NANO:
            return new PcapReader(in, false, true);
          case PcapReader.MAGIC_NANO_SWAPPED:
            return new PcapReader(in, true, true);
          case PcapngReader.SHB_TYPE:
            return new PcapngReader(in);
          default:
            break;
        }
      }
      in.fill(16);
      throw new CaptureFormatException(
          file
              + ": not a pcap or pcapng file ("
              + in.size()
              + " bytes, starting "
              + (in.available() == 0 ? "<empty>" : in.headHex(16))
              + ")"
              + hint(in));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static String hint(CaptureInput in) {
    if (in.available() < 4) {
      return "";
    }
    int magic = CaptureInput.i32(in.buf, in.pos, false);
    if ((magic & 0xFFFF) == 0x8B1F) {
      return "; it looks gzip-compressed, decompress it first";
    }
    if (magic == 0xA1B2CD34 || magic == 0x34CDB2A1) {
      return "; modified (Kuznetzov) pcap is not supported, convert it with editcap -F pcap";
    }
    return "";
  }

  /**
   * Fills {@code rec} with the next record. Returns false at the clean end of the file or at
   * damage (then {@link #damage()} is non-null); after false it keeps returning false. The frame
   * in {@code rec} is valid until the next call.
   */
  boolean next(CaptureRecord rec) throws IOException;

  /** Why reading stopped early, or null while the file reads cleanly. */
  CaptureDamage damage();

  /** Bytes of the file consumed so far, for progress. */
  long position();

  /** File size in bytes, measured at open. */
  long size();

  /** {@code "pcap"}, {@code "pcap-ns"} or {@code "pcapng"}. */
  String format();

  @Override
  void close() throws IOException;
}

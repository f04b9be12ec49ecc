package io.mirrorsensor.sensor.capture;

/**
 * One captured frame, filled by {@link CaptureReader#next(CaptureRecord)}. The same instance is
 * reused for every record so reading allocates nothing: the frame is {@code buf[offset,
 * offset+capLen)}, a window into the reader's buffer that is valid only until the next call to
 * {@code next} or {@code close}. Copy the bytes to keep them.
 */
public final class CaptureRecord {
  /** The reader's buffer; not owned by the record, never write to it. */
  public byte[] buf;

  /** Index of the first frame byte in {@link #buf}. */
  public int offset;

  /** Captured length: bytes present in {@link #buf}. */
  public int capLen;

  /** Length of the frame on the wire; {@code >= capLen} unless the file says otherwise. */
  public int origLen;

  /** Capture time, nanoseconds since the Unix epoch (pcapng {@code if_tsoffset} applied). */
  public long tsNanos;

  /** LINKTYPE_ value of the frame (see {@code io.mirrorsensor.decode.LinkType}). */
  public int linkType;

  /**
   * Interface index: 0 for classic pcap; for pcapng the position of the frame's Interface
   * Description Block among all IDBs of the file, counting across sections (as Wireshark does).
   */
  public int interfaceId;

  /** Byte offset in the file of the record header (pcap) or block (pcapng). */
  public long fileOffset;

  /** 1-based record number, counting only records that carry a frame. */
  public long number;

  /** Copies the frame bytes out of the reader's buffer (allocates: not for the hot path). */
  public byte[] frameCopy() {
    byte[] copy = new byte[capLen];
    System.arraycopy(buf, offset, copy, 0, capLen);
    return copy;
  }

  @Override
  public String toString() {
    return "CaptureRecord{number="
        + number
        + ", fileOffset="
        + fileOffset
        + ", capLen="
        + capLen
        + ", origLen="
        + origLen
        + ", tsNanos="
        + tsNanos
        + ", linkType="
        + linkType
        + ", interfaceId="
        + interfaceId
        + '}';
  }
}

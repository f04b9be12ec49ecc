package io.mirrorsensor.sensor.capture;

import java.io.IOException;

/**
 * Classic libpcap file reader (draft-ietf-opsawg-pcap, sections 4 and 5).
 *
 * <pre>
 * File header (24 bytes), in the writer's byte order:
 *   0: magic 0xA1B2C3D4 (microseconds) or 0xA1B23C4D (nanoseconds)
 *   4: version major (2), 6: version minor (4)
 *   8: reserved (thiszone), 12: reserved (sigfigs)
 *  16: snaplen
 *  20: link type (low 16 bits; bits 26-31 carry FCS information)
 * Record header (16 bytes), followed by incl_len bytes of frame:
 *   0: ts seconds (unsigned), 4: ts fraction (micro- or nanoseconds)
 *   8: incl_len (captured), 12: orig_len (on the wire)
 * </pre>
 *
 * <p>A record is damage when its header is cut short, its timestamp fraction is not below one
 * second (the usual sign of garbage), its captured length exceeds {@code max(snaplen, 262144)}
 * (libpcap's own sanity limit is of this kind) or the buffer bound, or its data is cut short.
 */
final class PcapReader implements CaptureReader {
  static final int MAGIC_MICRO = 0xA1B2C3D4;
  static final int MAGIC_MICRO_SWAPPED = 0xD4C3B2A1;
  static final int MAGIC_NANO = 0xA1B23C4D;
  static final int MAGIC_NANO_SWAPPED = 0x4D3CB2A1;
  static final int FILE_HEADER_BYTES = 24;
  static final int RECORD_HEADER_BYTES = 16;
  static final int SNAPLEN_OFFSET = 16;
  static final int LINKTYPE_OFFSET = 20;

  /** Largest captured length accepted whatever the snaplen says (libpcap's MAXIMUM_SNAPLEN). */
  static final int MIN_CAPLEN_LIMIT = 262_144;

  private final CaptureInput in;
  private final boolean swap;
  private final boolean nanos;
  private final long fracLimit;
  private final long fracToNanos;
  private int linkType;
  private int snapLen;
  private int capLenLimit;
  private long records;
  private boolean done;
  private CaptureDamage damage;

  PcapReader(CaptureInput in, boolean swap, boolean nanos) throws IOException {
    this.in = in;
    this.swap = swap;
    this.nanos = nanos;
    this.fracLimit = nanos ? 1_000_000_000L : 1_000_000L;
    this.fracToNanos = nanos ? 1 : 1_000;
    if (!in.fill(FILE_HEADER_BYTES)) {
      fail(0, "truncated file header: " + in.available() + " of " + FILE_HEADER_BYTES + " bytes");
      return;
    }
    byte[] b = in.buf;
    snapLen = CaptureInput.i32(b, in.pos + SNAPLEN_OFFSET, swap);
    linkType = CaptureInput.i32(b, in.pos + LINKTYPE_OFFSET, swap) & 0xFFFF;
    long limit = Math.max(snapLen & 0xFFFF_FFFFL, MIN_CAPLEN_LIMIT);
    capLenLimit = (int) Math.min(limit, in.maxBytes() - RECORD_HEADER_BYTES);
    in.pos += FILE_HEADER_BYTES;
  }

  @Override
  public boolean next(CaptureRecord rec) throws IOException {
    if (done) {
      return false;
    }
    final CaptureInput in = this.in;
    long recordOffset = in.position();
    if (!in.fill(RECORD_HEADER_BYTES)) {
      if (in.available() == 0) {
        done = true;
        return false;
      }
      return fail(
          recordOffset,
          "truncated record header: " + in.available() + " of " + RECORD_HEADER_BYTES + " bytes");
    }
    byte[] b = in.buf;
    int p = in.pos;
    long sec = CaptureInput.i32(b, p, swap) & 0xFFFF_FFFFL;
    long frac = CaptureInput.i32(b, p + 4, swap) & 0xFFFF_FFFFL;
    int capLen = CaptureInput.i32(b, p + 8, swap);
    int origLen = CaptureInput.i32(b, p + 12, swap);
    if (frac >= fracLimit) {
      return fail(
          recordOffset,
          "timestamp fraction " + frac + " is not below " + fracLimit + " (garbage record?)");
    }
    if (capLen < 0 || capLen > capLenLimit) {
      return fail(
          recordOffset,
          "captured length "
              + (capLen & 0xFFFF_FFFFL)
              + " exceeds limit "
              + capLenLimit
              + " (snaplen "
              + (snapLen & 0xFFFF_FFFFL)
              + ")");
    }
    int total = RECORD_HEADER_BYTES + capLen;
    if (!in.fill(total)) {
      return fail(
          recordOffset,
          "truncated record data: "
              + (in.available() - RECORD_HEADER_BYTES)
              + " of "
              + capLen
              + " bytes");
    }
    b = in.buf;
    p = in.pos;
    rec.buf = b;
    rec.offset = p + RECORD_HEADER_BYTES;
    rec.capLen = capLen;
    rec.origLen = origLen;
    rec.tsNanos = sec * 1_000_000_000L + frac * fracToNanos;
    rec.linkType = linkType;
    rec.interfaceId = 0;
    rec.fileOffset = recordOffset;
    rec.number = ++records;
    in.pos = p + total;
    return true;
  }

  private boolean fail(long offset, String reason) {
    done = true;
    damage = new CaptureDamage(in.file, offset, records + 1, reason);
    return false;
  }

  /** LINKTYPE_ of every record in this file. */
  int linkType() {
    return linkType;
  }

  /** Snapshot length from the file header. */
  int snapLen() {
    return snapLen;
  }

  @Override
  public CaptureDamage damage() {
    return damage;
  }

  @Override
  public long position() {
    return in.position();
  }

  @Override
  public long size() {
    return in.size();
  }

  @Override
  public String format() {
    return nanos ? "pcap-ns" : "pcap";
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

package io.mirrorsensor.sensor.capture;

import java.io.IOException;
import java.util.Arrays;

/**
 * pcapng reader (draft-ietf-opsawg-pcapng, "PCAP Next Generation Dump File Format").
 *
 * <pre>
 * Every block:                          Section Header Block (type 0x0A0D0D0A):
 *   0: block type                          8: byte-order magic 0x1A2B3C4D
 *   4: block total length (L)             12: major (1), 14: minor
 *   8: body ...                           16: section length (64-bit, may be -1), options
 * L-4: block total length (again)
 *
 * Interface Description Block (1):      Enhanced Packet Block (6):
 *   8: link type (16 bits), 10: reserved   8: interface id
 *  12: snaplen, 16: options                12: timestamp high, 16: timestamp low
 *      if_tsresol (9): 1 byte, bit 7 set   20: captured length, 24: original length
 *        = 2^-n s, else 10^-n s (default   28: frame, padded to 4, then options
 *        10^-6); if_tsoffset (14): 8 bytes
 *        of seconds added to timestamps    Simple Packet Block (3):
 *                                            8: original length, 12: frame (no timestamp,
 * Packet Block (2, obsolete):                   interface 0, captured = min(original,
 *   8: interface id (16 bits), 10: drops       snaplen, room in the block))
 *  12..27: as in the EPB, 28: frame
 * </pre>
 *
 * <p>Each section has its own byte order (taken from its SHB) and its own interfaces; interface
 * ids in records are made global across sections, like Wireshark does. Other blocks (name
 * resolution, statistics, decryption secrets, custom) are skipped after their lengths are
 * checked. A block is damage when it is cut short, its two length fields differ, its length is not
 * a multiple of 4, below the minimum for its type or above the buffer bound, or its contents are
 * impossible (unknown interface, captured length beyond the block, bad option, unknown byte-order
 * magic or major version).
 *
 * <p>Simple Packet Blocks carry no timestamp: they get the previous record's, so packet time stays
 * monotonic for everything downstream that uses it as its clock.
 */
final class PcapngReader implements CaptureReader {
  static final int SHB_TYPE = 0x0A0D0D0A;
  static final int IDB_TYPE = 0x00000001;
  static final int PB_TYPE = 0x00000002;
  static final int SPB_TYPE = 0x00000003;
  static final int EPB_TYPE = 0x00000006;
  static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
  static final int BYTE_ORDER_MAGIC_SWAPPED = 0x4D3C2B1A;

  static final int BLOCK_HEADER_BYTES = 8; // type + total length
  static final int MIN_BLOCK_BYTES = 12; // header + trailing length
  static final int SHB_MIN_BYTES = 28;
  static final int IDB_MIN_BYTES = 20;
  static final int EPB_MIN_BYTES = 32;
  static final int PB_MIN_BYTES = 32;
  static final int SPB_MIN_BYTES = 16;

  static final int OPT_END = 0;
  static final int OPT_IF_TSRESOL = 9;
  static final int OPT_IF_TSOFFSET = 14;

  /** Bound on interfaces per file: each costs a few array slots. */
  static final int MAX_INTERFACES = 65_536;

  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private final CaptureInput in;
  private boolean swap;
  private boolean inSection;

  // Interfaces of the whole file, indexed by global interface id.
  private int interfaces;
  private int sectionFirstInterface;
  private int[] ifLinkType = new int[4];
  private int[] ifSnapLen = new int[4];
  private long[] ifTsMul = new long[4]; // > 0: nanos = units * mul
  private long[] ifTsDiv = new long[4]; // > 0: nanos = units / div
  private int[] ifTsShift = new int[4]; // >= 0: binary resolution 2^-shift
  private long[] ifTsOffsetNanos = new long[4];

  private long records;
  private long lastTsNanos;
  private boolean done;
  private CaptureDamage damage;

  PcapngReader(CaptureInput in) {
    this.in = in;
  }

  @Override
  public boolean next(CaptureRecord rec) throws IOException {
    if (done) {
      return false;
    }
    final CaptureInput in = this.in;
    for (; ; ) {
      long blockOffset = in.position();
      if (!in.fill(MIN_BLOCK_BYTES)) {
        if (in.available() == 0) {
          done = true;
          return false;
        }
        return fail(
            blockOffset,
            "truncated block header: " + in.available() + " of " + MIN_BLOCK_BYTES + " bytes");
      }
      byte[] b = in.buf;
      int p = in.pos;
      int type = CaptureInput.i32(b, p, swap);
      if (type == SHB_TYPE) {
        int bom = CaptureInput.i32(b, p + 8, false);
        if (bom == BYTE_ORDER_MAGIC) {
          swap = false;
        } else if (bom == BYTE_ORDER_MAGIC_SWAPPED) {
          swap = true;
        } else {
          return fail(blockOffset, "section header with unknown byte-order magic " + hex(bom));
        }
      } else if (!inSection) {
        return fail(blockOffset, "block type " + hex(type) + " before any section header");
      }
      int length = CaptureInput.i32(b, p + 4, swap);
      if (length < MIN_BLOCK_BYTES || (length & 3) != 0 || length > in.maxBytes()) {
        return fail(
            blockOffset,
            "block type "
                + hex(type)
                + " has impossible total length "
                + (length & 0xFFFF_FFFFL)
                + (length > in.maxBytes() || length < 0
                    ? " (bound " + in.maxBytes() + ")"
                    : " (must be a multiple of 4, at least " + MIN_BLOCK_BYTES + ")"));
      }
      if (!in.fill(length)) {
        return fail(
            blockOffset,
            "truncated block type " + hex(type) + ": " + in.available() + " of " + length + " bytes");
      }
      b = in.buf;
      p = in.pos;
      int trailer = CaptureInput.i32(b, p + length - 4, swap);
      if (trailer != length) {
        return fail(
            blockOffset,
            "block type "
                + hex(type)
                + " length "
                + length
                + " differs from its trailing length "
                + (trailer & 0xFFFF_FFFFL));
      }
      switch (type) {
        case EPB_TYPE:
          if (length < EPB_MIN_BYTES) {
            return tooShort(blockOffset, "enhanced packet", length, EPB_MIN_BYTES);
          }
          if (!packet(rec, blockOffset, b, p, length, CaptureInput.i32(b, p + 8, swap), 28)) {
            return false;
          }
          in.pos = p + length;
          return true;
        case SPB_TYPE:
          if (length < SPB_MIN_BYTES) {
            return tooShort(blockOffset, "simple packet", length, SPB_MIN_BYTES);
          }
          if (!simplePacket(rec, blockOffset, b, p, length)) {
            return false;
          }
          in.pos = p + length;
          return true;
        case PB_TYPE:
          if (length < PB_MIN_BYTES) {
            return tooShort(blockOffset, "packet", length, PB_MIN_BYTES);
          }
          if (!packet(rec, blockOffset, b, p, length, CaptureInput.u16(b, p + 8, swap), 28)) {
            return false;
          }
          in.pos = p + length;
          return true;
        case IDB_TYPE:
          if (length < IDB_MIN_BYTES) {
            return tooShort(blockOffset, "interface description", length, IDB_MIN_BYTES);
          }
          if (!interfaceDescription(blockOffset, b, p, length)) {
            return false;
          }
          break;
        case SHB_TYPE:
          if (length < SHB_MIN_BYTES) {
            return tooShort(blockOffset, "section header", length, SHB_MIN_BYTES);
          }
          int major = CaptureInput.u16(b, p + 12, swap);
          if (major != 1) {
            return fail(blockOffset, "section header with unsupported major version " + major);
          }
          inSection = true;
          sectionFirstInterface = interfaces;
          break;
        default:
          break; // NRB, ISB, DSB, custom and unknown blocks: nothing we need
      }
      in.pos = p + length;
    }
  }

  /** Fills {@code rec} from an EPB or obsolete PB whose fixed fields end at {@code dataAt}. */
  private boolean packet(
      CaptureRecord rec, long blockOffset, byte[] b, int p, int length, int localIf, int dataAt) {
    int iface = sectionFirstInterface + localIf;
    if (localIf < 0 || iface >= interfaces) {
      return fail(
          blockOffset,
          "packet on interface "
              + (localIf & 0xFFFF_FFFFL)
              + " but the section describes "
              + (interfaces - sectionFirstInterface));
    }
    long units =
        ((long) CaptureInput.i32(b, p + 12, swap) << 32)
            | (CaptureInput.i32(b, p + 16, swap) & 0xFFFF_FFFFL);
    int capLen = CaptureInput.i32(b, p + 20, swap);
    if (capLen < 0 || capLen > length - dataAt - 4) {
      return fail(
          blockOffset,
          "captured length "
              + (capLen & 0xFFFF_FFFFL)
              + " exceeds the block's room "
              + (length - dataAt - 4));
    }
    rec.buf = b;
    rec.offset = p + dataAt;
    rec.capLen = capLen;
    rec.origLen = CaptureInput.i32(b, p + 24, swap);
    rec.tsNanos = lastTsNanos = toNanos(iface, units);
    rec.linkType = ifLinkType[iface];
    rec.interfaceId = iface;
    rec.fileOffset = blockOffset;
    rec.number = ++records;
    return true;
  }

  private boolean simplePacket(CaptureRecord rec, long blockOffset, byte[] b, int p, int length) {
    int iface = sectionFirstInterface;
    if (iface >= interfaces) {
      return fail(blockOffset, "simple packet block but the section describes no interface");
    }
    long origLen = CaptureInput.i32(b, p + 8, swap) & 0xFFFF_FFFFL;
    long capLen = Math.min(origLen, length - SPB_MIN_BYTES);
    int snapLen = ifSnapLen[iface];
    if (snapLen != 0) {
      capLen = Math.min(capLen, snapLen & 0xFFFF_FFFFL);
    }
    rec.buf = b;
    rec.offset = p + 12;
    rec.capLen = (int) capLen;
    rec.origLen = (int) origLen;
    rec.tsNanos = lastTsNanos;
    rec.linkType = ifLinkType[iface];
    rec.interfaceId = iface;
    rec.fileOffset = blockOffset;
    rec.number = ++records;
    return true;
  }

  private boolean interfaceDescription(long blockOffset, byte[] b, int p, int length) {
    if (interfaces == MAX_INTERFACES) {
      return fail(blockOffset, "more than " + MAX_INTERFACES + " interfaces");
    }
    long mul = 1_000; // default resolution: microseconds
    long div = 0;
    int shift = -1;
    long offsetNanos = 0;
    int o = p + 16;
    int end = p + length - 4;
    while (o + 4 <= end) {
      int code = CaptureInput.u16(b, o, swap);
      int len = CaptureInput.u16(b, o + 2, swap);
      if (code == OPT_END) {
        break;
      }
      int padded = (len + 3) & ~3;
      if (o + 4 + padded > end) {
        return fail(
            blockOffset,
            "interface description option " + code + " of " + len + " bytes overruns the block");
      }
      if (code == OPT_IF_TSRESOL) {
        if (len < 1) {
          return fail(blockOffset, "empty if_tsresol option");
        }
        int v = b[o + 4] & 0xFF;
        if ((v & 0x80) != 0) {
          shift = v & 0x7F;
          if (shift > 63) {
            return fail(blockOffset, "unsupported if_tsresol 2^-" + shift);
          }
          mul = 0;
          div = 0;
        } else if (v <= 9) {
          mul = POW10[9 - v];
          div = 0;
          shift = -1;
        } else if (v <= 18) {
          div = POW10[v - 9];
          mul = 0;
          shift = -1;
        } else {
          return fail(blockOffset, "unsupported if_tsresol 10^-" + v);
        }
      } else if (code == OPT_IF_TSOFFSET) {
        if (len != 8) {
          return fail(blockOffset, "if_tsoffset option of " + len + " bytes, expected 8");
        }
        long seconds = CaptureInput.i64(b, o + 4, swap); // signed, section byte order
        offsetNanos = seconds * 1_000_000_000L;
      }
      o += 4 + padded;
    }
    int i = interfaces;
    if (i == ifLinkType.length) {
      int n = i * 2;
      ifLinkType = Arrays.copyOf(ifLinkType, n);
      ifSnapLen = Arrays.copyOf(ifSnapLen, n);
      ifTsMul = Arrays.copyOf(ifTsMul, n);
      ifTsDiv = Arrays.copyOf(ifTsDiv, n);
      ifTsShift = Arrays.copyOf(ifTsShift, n);
      ifTsOffsetNanos = Arrays.copyOf(ifTsOffsetNanos, n);
    }
    ifLinkType[i] = CaptureInput.u16(b, p + 8, swap);
    ifSnapLen[i] = CaptureInput.i32(b, p + 12, swap);
    ifTsMul[i] = mul;
    ifTsDiv[i] = div;
    ifTsShift[i] = shift;
    ifTsOffsetNanos[i] = offsetNanos;
    interfaces = i + 1;
    return true;
  }

  private long toNanos(int iface, long units) {
    long nanos;
    long mul = ifTsMul[iface];
    if (mul > 0) {
      nanos = units * mul;
    } else if (ifTsDiv[iface] > 0) {
      nanos = Long.divideUnsigned(units, ifTsDiv[iface]);
    } else {
      nanos = binaryToNanos(units, ifTsShift[iface]);
    }
    return nanos + ifTsOffsetNanos[iface];
  }

  /** Converts {@code units} of 2^-shift seconds to nanoseconds, truncating below 1 ns. */
  static long binaryToNanos(long units, int shift) {
    if (shift == 0) {
      return units * 1_000_000_000L;
    }
    long seconds = units >>> shift;
    long frac = units & ((1L << shift) - 1);
    long fracNanos =
        shift <= 33
            ? (frac * 1_000_000_000L) >>> shift
            : ((frac >>> (shift - 33)) * 1_000_000_000L) >>> 33;
    return seconds * 1_000_000_000L + fracNanos;
  }

  private boolean tooShort(long blockOffset, String what, int length, int min) {
    return fail(
        blockOffset, what + " block of " + length + " bytes is below the minimum " + min);
  }

  private boolean fail(long offset, String reason) {
    done = true;
    damage = new CaptureDamage(in.file, offset, records + 1, reason);
    return false;
  }

  private static String hex(int v) {
    return String.format("0x%08X", v);
  }

  /** Interfaces described so far, across sections. */
  int interfaceCount() {
    return interfaces;
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
    return "pcapng";
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

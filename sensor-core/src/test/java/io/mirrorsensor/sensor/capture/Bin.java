package io.mirrorsensor.sensor.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side byte builder, independent of the writers under test: hex literals and pcapng blocks
 * in either byte order, built field by field from the format drafts.
 */
final class Bin {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteOrder order;

  Bin(ByteOrder order) {
    this.order = order;
  }

  static Bin le() {
    return new Bin(ByteOrder.LITTLE_ENDIAN);
  }

  static Bin be() {
    return new Bin(ByteOrder.BIG_ENDIAN);
  }

  /** Bytes from hex digits; spaces, newlines and {@code |} are ignored. */
  static byte[] hex(String s) {
    String digits = s.replaceAll("[\\s|]", "");
    byte[] b = new byte[digits.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  Bin u8(int v) {
    out.write(v);
    return this;
  }

  Bin u16(int v) {
    out.writeBytes(ByteBuffer.allocate(2).order(order).putShort((short) v).array());
    return this;
  }

  Bin u32(long v) {
    out.writeBytes(ByteBuffer.allocate(4).order(order).putInt((int) v).array());
    return this;
  }

  Bin u64(long v) {
    out.writeBytes(ByteBuffer.allocate(8).order(order).putLong(v).array());
    return this;
  }

  Bin bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  Bin hexBytes(String s) {
    return bytes(hex(s));
  }

  Bin pad4() {
    while ((out.size() & 3) != 0) {
      out.write(0);
    }
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] toBytes() {
    return out.toByteArray();
  }

  /** A whole pcapng block: type, total length, body (padded to 4), total length. */
  Bin block(int type, byte[] body) {
    int padded = (body.length + 3) & ~3;
    int total = 12 + padded;
    u32(type).u32(total).bytes(body);
    for (int i = body.length; i < padded; i++) {
      out.write(0);
    }
    return u32(total);
  }

  Bin shb() {
    return block(0x0A0D0D0A, new Bin(order).u32(0x1A2B3C4D).u16(1).u16(0).u64(-1).toBytes());
  }

  /** IDB with optional if_tsresol (negative: none) and if_tsoffset (0: none). */
  Bin idb(int linkType, int snapLen, int tsresol, long tsoffsetSeconds) {
    Bin body = new Bin(order).u16(linkType).u16(0).u32(snapLen);
    if (tsresol >= 0) {
      body.u16(9).u16(1).u8(tsresol).pad4();
    }
    if (tsoffsetSeconds != 0) {
      body.u16(14).u16(8).u64(tsoffsetSeconds);
    }
    if (tsresol >= 0 || tsoffsetSeconds != 0) {
      body.u16(0).u16(0);
    }
    return block(1, body.toBytes());
  }

  Bin epb(int iface, long units, byte[] frame, int origLen) {
    Bin body =
        new Bin(order)
            .u32(iface)
            .u32(units >>> 32)
            .u32(units)
            .u32(frame.length)
            .u32(origLen)
            .bytes(frame)
            .pad4();
    return block(6, body.toBytes());
  }

  Bin spb(byte[] frame, int origLen) {
    return block(3, new Bin(order).u32(origLen).bytes(frame).pad4().toBytes());
  }

  /** Classic pcap file header. */
  Bin pcapHeader(boolean nanos, int snapLen, int linkType) {
    return u32(nanos ? 0xA1B23C4DL : 0xA1B2C3D4L).u16(2).u16(4).u32(0).u32(0).u32(snapLen)
        .u32(linkType);
  }

  Bin pcapRecord(long sec, long frac, byte[] frame, int origLen) {
    return u32(sec).u32(frac).u32(frame.length).u32(origLen).bytes(frame);
  }

  static byte[] frame(int length, int seed) {
    byte[] f = new byte[length];
    for (int i = 0; i < length; i++) {
      f[i] = (byte) (seed * 31 + i);
    }
    return f;
  }

  static Path write(Path dir, String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  /** One record as read, with its frame copied out of the reader's buffer. */
  record Rec(
      long number,
      long fileOffset,
      long tsNanos,
      int capLen,
      int origLen,
      int linkType,
      int interfaceId,
      byte[] frame) {}

  /** Everything a reader returns, plus its damage (null when clean). */
  record ReadAll(String format, List<Rec> records, CaptureDamage damage, long position) {}

  static ReadAll readAll(Path file) throws IOException {
    return readAll(file, CaptureReader.DEFAULT_BUFFER_BYTES, CaptureReader.DEFAULT_MAX_BUFFER_BYTES);
  }

  static ReadAll readAll(Path file, int bufferBytes, int maxBufferBytes) throws IOException {
    try (CaptureReader r = CaptureReader.open(file, bufferBytes, maxBufferBytes)) {
      CaptureRecord rec = new CaptureRecord();
      List<Rec> out = new ArrayList<>();
      while (r.next(rec)) {
        out.add(
            new Rec(
                rec.number,
                rec.fileOffset,
                rec.tsNanos,
                rec.capLen,
                rec.origLen,
                rec.linkType,
                rec.interfaceId,
                rec.frameCopy()));
      }
      return new ReadAll(r.format(), out, r.damage(), r.position());
    }
  }
}

package io.mirrorsensor.sensor.gen;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * DNS messages in wire format (RFC 1035 section 4.1): a header, one question, answers whose
 * owner name is a compression pointer to the question (0xC00C, RFC 1035 4.1.4).
 */
public final class DnsWire {
  public static final int TYPE_A = 1;
  public static final int TYPE_AAAA = 28;
  public static final int CLASS_IN = 1;
  static final int FLAGS_QUERY_RD = 0x0100; // QR=0, opcode QUERY, RD
  static final int FLAGS_RESPONSE = 0x8180; // QR=1, RD, RA, rcode NOERROR
  static final int RCODE_NXDOMAIN = 3;

  private DnsWire() {}

  /** A recursive query for {@code name} of {@code qtype}. */
  public static byte[] query(int id, String name, int qtype) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 + name.length());
    header(out, id, FLAGS_QUERY_RD, 1, 0);
    question(out, name, qtype);
    return out.toByteArray();
  }

  /**
   * The response to {@link #query}: the question echoed, then one answer per element of {@code
   * rdatas} (4 bytes for A, 16 for AAAA), each with {@code ttl}. No answers and {@code nxdomain}
   * gives NXDOMAIN.
   */
  public static byte[] response(
      int id, String name, int qtype, int ttl, boolean nxdomain, byte[]... rdatas) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + name.length());
    header(out, id, FLAGS_RESPONSE | (nxdomain ? RCODE_NXDOMAIN : 0), 1, rdatas.length);
    question(out, name, qtype);
    for (byte[] rdata : rdatas) {
      u16(out, 0xC00C); // pointer to the question name at offset 12
      u16(out, qtype);
      u16(out, CLASS_IN);
      u16(out, ttl >>> 16);
      u16(out, ttl);
      u16(out, rdata.length);
      out.writeBytes(rdata);
    }
    return out.toByteArray();
  }

  private static void header(ByteArrayOutputStream out, int id, int flags, int qd, int an) {
    u16(out, id);
    u16(out, flags);
    u16(out, qd);
    u16(out, an);
    u16(out, 0); // NSCOUNT
    u16(out, 0); // ARCOUNT
  }

  private static void question(ByteArrayOutputStream out, String name, int qtype) {
    for (String label : name.split("\\.")) {
      byte[] b = label.getBytes(StandardCharsets.US_ASCII);
      if (b.length == 0 || b.length > 63) {
        throw new IllegalArgumentException("bad DNS label in " + name);
      }
      out.write(b.length);
      out.writeBytes(b);
    }
    out.write(0);
    u16(out, qtype);
    u16(out, CLASS_IN);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }
}

package io.mirrorsensor.decode;

/**
 * A 64-bit signature of the innermost IP packet as captured, for spotting mirror duplicates: the
 * same packet mirrored from both ENIs of a conversation arrives twice, under different VNIs and
 * outer headers. The fields a second copy may legitimately change are left out: IPv4 TTL and
 * header checksum, IPv6 hop limit. Everything else of the IP header, up to {@link #PAYLOAD_BOUND}
 * bytes after it (as captured) and the wire length go in. Two copies truncated to different
 * lengths above the IP header + bound still match. No allocation.
 */
public final class MirrorSignature {
  /**
   * Bytes hashed after the IP header at most: the transport header (a TCP header with options is
   * at most 60 bytes: ports, seq, ack, flags, window, checksum, timestamps) and the start of the
   * payload. Two different packets of one flow already differ there (and in the IPv4 id); the
   * transport checksum, when the sender filled it, stands for the rest. It was 128: hashing it
   * cost ~40 ns a packet, about as much as decoding (FlowTableBenchmark, duplicateWindow 50ms vs 0).
   */
  public static final int PAYLOAD_BOUND = 64;

  private static final long P1 = 0x9E3779B97F4A7C15L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;

  private MirrorSignature() {}

  /** Signature of {@code p}'s innermost IP packet, or 0 when it has none. */
  public static long of(DecodedPacket p) {
    if (p.ipVersion == 0 || p.l3Offset < 0 || p.buf == null) {
      return 0;
    }
    byte[] b = p.buf;
    int ip = p.l3Offset;
    int end = ip + p.ipCapturedLength;
    long h = p.ipWireLength * P2 + p.ipVersion;
    if (p.ipVersion == 4) {
      int hl = Math.min(p.l3HeaderLength, p.ipCapturedLength);
      h = range(h, b, ip, ip + Ipv4View.TTL_OFFSET);
      h = range(h, b, ip + Ipv4View.PROTOCOL_OFFSET, ip + Ipv4View.PROTOCOL_OFFSET + 1);
      h = range(h, b, ip + Ipv4View.SRC_OFFSET, Math.min(end, ip + hl + PAYLOAD_BOUND));
    } else {
      int hl = Math.min(p.l3HeaderLength, p.ipCapturedLength);
      h = range(h, b, ip, ip + Ipv6View.HOP_LIMIT_OFFSET);
      h = range(h, b, ip + Ipv6View.SRC_OFFSET, Math.min(end, ip + hl + PAYLOAD_BOUND));
    }
    return Bytes.fmix64(h);
  }

  private static long range(long h, byte[] b, int from, int to) {
    int i = from;
    // Two independent lanes, so the multiply chains of consecutive words overlap in the CPU.
    long h2 = h ^ P1;
    for (; i + 16 <= to; i += 16) {
      h = Long.rotateLeft(h ^ (Bytes.i64(b, i) * P1), 27) * P2 + 0x52DCE729;
      h2 = Long.rotateLeft(h2 ^ (Bytes.i64(b, i + 8) * P1), 27) * P2 + 0x52DCE729;
    }
    h ^= Long.rotateLeft(h2, 31);
    for (; i + 8 <= to; i += 8) {
      h = Long.rotateLeft(h ^ (Bytes.i64(b, i) * P1), 27) * P2 + 0x52DCE729;
    }
    long tail = 0;
    int n = 0;
    for (; i < to; i++, n++) {
      tail = tail << 8 | (b[i] & 0xFF);
    }
    if (n > 0) {
      h = Long.rotateLeft(h ^ ((tail ^ ((long) n << 56)) * P1), 27) * P2 + 0x38495AB5;
    }
    return h;
  }

}

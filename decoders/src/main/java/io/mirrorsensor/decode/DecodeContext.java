package io.mirrorsensor.decode;

/**
 * The cursor and shared state of one {@link PacketDecoder} while it walks the layers of one frame.
 * Layer decoders read the bytes at {@code [pos, capEnd)}, may assume nothing past {@code capEnd},
 * and use {@code wireEnd} (the end the enclosing headers announce, possibly past the capture) to
 * tell capture truncation from malformed lengths. Each layer decoder returns the next layer to
 * decode (a positive code) or a terminal status (a negative code). Owned by one worker thread.
 */
final class DecodeContext {
  // next layers
  static final int ETHERNET = 1;
  static final int IPV4 = 2;
  static final int IPV6 = 3;
  static final int TCP = 4;
  static final int UDP = 5;
  static final int ICMP = 6;
  static final int ICMPV6 = 7;
  static final int SCTP = 8;
  static final int VXLAN = 9;
  static final int GENEVE = 10;
  // terminal results
  static final int DONE_OK = -1;
  static final int DONE_TRUNCATED = -2;
  static final int DONE_MALFORMED = -3;
  static final int DONE_UNSUPPORTED = -4;
  static final int DONE_HELD = -5;

  final DecoderConfig config;
  final DecodeCounters counters;
  final FragmentTable fragments;
  final boolean validateChecksums;
  final boolean reassemble;
  private final long[] vxlanPortBits = new long[1024];
  private final long[] genevePortBits = new long[1024];

  DecodedPacket out;
  /** Bytes being decoded: the caller's frame, or a reassembly buffer. */
  byte[] buf;
  int pos;
  int capEnd;
  int wireEnd;
  long tsNanos;
  /** VNI of the innermost VXLAN removed so far, -1 before any (part of fragment keys). */
  int vniContext;
  /** The current IP packet is a fragment that is not being reassembled. */
  boolean inFragment;
  /** The current IP packet was captured whole (checksums may be validated). */
  boolean ipComplete;

  DecodeContext(DecoderConfig config, DecodeCounters counters) {
    this.config = config;
    this.counters = counters;
    this.validateChecksums = config.validateChecksums();
    this.reassemble = config.reassembleFragments();
    this.fragments = new FragmentTable(config, counters);
    for (int p : config.vxlanPorts()) {
      vxlanPortBits[p >>> 6] |= 1L << p;
    }
    for (int p : config.genevePorts()) {
      genevePortBits[p >>> 6] |= 1L << p;
    }
  }

  boolean isGenevePort(int port) {
    return (genevePortBits[port >>> 6] & (1L << port)) != 0;
  }

  boolean isVxlanPort(int port) {
    return (vxlanPortBits[port >>> 6] & (1L << port)) != 0;
  }

  /** Records and counts a non-fatal anomaly. */
  void anomaly(Anomaly a) {
    out.addAnomaly(a);
    counters.count(a);
  }

  /** Records a fatal anomaly: decoding stops, status MALFORMED. */
  int fatal(Anomaly a) {
    anomaly(a);
    return DONE_MALFORMED;
  }

  /**
   * A header needing bytes up to {@code needEnd} is cut short: if the enclosing packet on the
   * wire was long enough, the capture cut it ({@code packet.truncated}, status TRUNCATED);
   * otherwise the packet is malformed ({@code malformed}).
   */
  int cut(Anomaly malformed, int needEnd) {
    if (needEnd > wireEnd) {
      return fatal(malformed);
    }
    out.truncated = true;
    anomaly(Anomaly.PACKET_TRUNCATED);
    return DONE_TRUNCATED;
  }

  /** Checksums of the current IP packet's layers may be checked. */
  boolean mayValidate() {
    return validateChecksums && ipComplete && !inFragment;
  }
}

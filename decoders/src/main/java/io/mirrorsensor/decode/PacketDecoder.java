package io.mirrorsensor.decode;

import java.util.Objects;

/**
 * Decodes one captured frame, from its link layer down to the innermost transport header,
 * removing VXLAN and GENEVE layers and reassembling IP fragments on the way. One instance per worker thread
 * (it owns the reassembly table and the counters); not thread-safe.
 *
 * <p>Layers are decoded Snort-style: each layer decoder reads its header at the cursor and
 * returns the next layer, and the loop here dispatches. Nothing is allocated per packet (the
 * reassembly buffers grow to fit, then are reused).
 */
public final class PacketDecoder {
  private final DecoderConfig config;
  private final DecodeCounters counters = new DecodeCounters();
  private final DecodeContext ctx;
  /** Layers walked per frame at most: a defence in depth, never reached by valid input. */
  private final int maxSteps;

  public PacketDecoder(DecoderConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.ctx = new DecodeContext(config, counters);
    // each VXLAN and each GENEVE layer adds a handful of steps (IP, UDP, tunnel, Ethernet)
    this.maxSteps = 16 + 12 * (2 * config.maxTunnelDepth() + 1);
  }

  /**
   * Decodes {@code buf[off, off + capLen)} into {@code out}. The caller keeps ownership of
   * {@code buf}; {@code out} refers to it (or, after reassembly, to a buffer of this decoder) until
   * the next call. Malformed input of any kind yields a status and anomalies, never an exception.
   *
   * @param capLen bytes captured
   * @param origLen bytes on the wire (pcap "len"); a value below capLen is taken as capLen
   * @param linkType pcap LINKTYPE_ of the frame ({@link LinkType})
   * @param tsNanos capture time: drives fragment timeouts, never the wall clock
   * @throws IndexOutOfBoundsException when {@code [off, off + capLen)} is not inside {@code buf}
   *     (a bug of the caller, not bad traffic)
   */
  public DecodeStatus decode(byte[] buf, int off, int capLen, int origLen, int linkType,
      long tsNanos, DecodedPacket out) {
    Objects.checkFromIndexSize(off, capLen, buf.length);
    DecodeContext c = ctx;
    c.fragments.releaseLent();
    c.fragments.expire(tsNanos);
    out.reset();
    out.buf = buf;
    out.capLen = capLen;
    out.origLen = origLen;
    out.tsNanos = tsNanos;
    out.linkType = linkType;
    out.truncated = capLen < origLen;
    counters.increment(DecodeCounter.PACKETS);

    c.out = out;
    c.buf = buf;
    c.pos = off;
    c.capEnd = off + capLen;
    c.wireEnd = off + Math.max(capLen, origLen);
    c.tsNanos = tsNanos;
    c.vniContext = -1;
    c.inFragment = false;
    c.ipComplete = false;

    int next = LinkDecoder.decode(c, linkType);
    int steps = 0;
    while (next > 0) {
      if (++steps > maxSteps) {
        next = DecodeContext.DONE_MALFORMED;
        break;
      }
      switch (next) {
        case DecodeContext.ETHERNET:
          next = EthernetDecoder.decode(c);
          break;
        case DecodeContext.IPV4:
          next = Ipv4Decoder.decode(c);
          break;
        case DecodeContext.IPV6:
          next = Ipv6Decoder.decode(c);
          break;
        case DecodeContext.TCP:
          next = TcpDecoder.decode(c);
          break;
        case DecodeContext.UDP:
          next = UdpDecoder.decode(c);
          break;
        case DecodeContext.SCTP:
          next = UdpDecoder.decodeSctp(c);
          break;
        case DecodeContext.ICMP:
          next = IcmpDecoder.decode(c, false);
          break;
        case DecodeContext.ICMPV6:
          next = IcmpDecoder.decode(c, true);
          break;
        case DecodeContext.VXLAN:
          next = VxlanDecoder.decode(c);
          break;
        case DecodeContext.GENEVE:
          next = GeneveDecoder.decode(c);
          break;
        default:
          next = DecodeContext.DONE_MALFORMED;
          break;
      }
    }
    DecodeStatus status;
    switch (next) {
      case DecodeContext.DONE_TRUNCATED:
        status = DecodeStatus.TRUNCATED;
        break;
      case DecodeContext.DONE_MALFORMED:
        status = DecodeStatus.MALFORMED;
        counters.increment(DecodeCounter.MALFORMED);
        break;
      case DecodeContext.DONE_UNSUPPORTED:
        status = DecodeStatus.UNSUPPORTED;
        counters.increment(DecodeCounter.UNSUPPORTED);
        break;
      case DecodeContext.DONE_HELD:
        status = DecodeStatus.FRAGMENT_HELD;
        break;
      default:
        status = DecodeStatus.OK;
        break;
    }
    if (out.truncated) {
      counters.increment(DecodeCounter.TRUNCATED);
    }
    out.status = status;
    c.out = null;
    c.buf = null;
    return status;
  }

  public DecodeCounters counters() {
    return counters;
  }

  public DecoderConfig config() {
    return config;
  }

  /** IP datagrams currently waiting for fragments. */
  public int fragmentsInProgress() {
    return ctx.fragments.inProgress();
  }

  /** Bytes of reassembly buffer this decoder retains (bounded by the config). */
  public long reassemblyBytesRetained() {
    return ctx.fragments.retainedBytes();
  }
}

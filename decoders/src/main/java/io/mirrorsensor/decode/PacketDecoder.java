package io.mirrorsensor.decode;

/**
 * Decodes one captured frame, from its link layer down to the innermost transport header,
 * removing VXLAN layers and reassembling IP fragments on the way. One instance per worker thread
 * (it owns the reassembly table); not thread-safe.
 */
public final class PacketDecoder {
  private final DecoderConfig config;
  private final DecodeCounters counters = new DecodeCounters();

  public PacketDecoder(DecoderConfig config) {
    this.config = config;
  }

  /**
   * Decodes {@code buf[off, off + capLen)} into {@code out}. The caller keeps ownership of
   * {@code buf}; {@code out} refers to it (or to a reassembly buffer of this decoder) until the next
   * call.
   */
  public DecodeStatus decode(byte[] buf, int off, int capLen, int origLen, int linkType,
      long tsNanos, DecodedPacket out) {
    out.reset();
    out.buf = buf;
    out.capLen = capLen;
    out.origLen = origLen;
    out.tsNanos = tsNanos;
    out.status = DecodeStatus.UNSUPPORTED;
    return out.status;
  }

  public DecodeCounters counters() {
    return counters;
  }

  public DecoderConfig config() {
    return config;
  }
}

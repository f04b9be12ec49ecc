package io.mirrorsensor.rules;

/**
 * A named buffer rules can inspect ({@code pkt_data} today; {@code http.uri}, {@code dns.query}
 * and the other app-layer buffers when their parsers exist), with the protocols that have it.
 */
final class StickyBuffer {
  /** The packet payload (TCP/UDP/ICMP payload), the default buffer of content and pcre. */
  static final StickyBuffer PKT_DATA =
      new StickyBuffer(
          0,
          "pkt_data",
          (p, f, out) -> {
            if (p.payloadOffset < 0 || p.payloadLength <= 0) {
              return false;
            }
            out.buf = p.buf;
            out.off = p.payloadOffset;
            out.len = p.payloadLength;
            return true;
          });

  /** Number of buffers defined (sizes per-detector tables). */
  static final int COUNT = 1;

  final int id;
  final String name;
  final BufferSupplier supplier;

  private StickyBuffer(int id, String name, BufferSupplier supplier) {
    this.id = id;
    this.name = name;
    this.supplier = supplier;
  }
}

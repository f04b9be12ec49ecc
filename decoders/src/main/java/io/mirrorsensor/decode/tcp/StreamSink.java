package io.mirrorsensor.decode.tcp;

/**
 * Receives one direction of a TCP stream from a {@link StreamReassembler}, in order: bytes and
 * gaps, by stream offset (0 = the first byte after the SYN, or the first byte seen when picked up
 * midstream). This is what an app-layer parser implements.
 *
 * <p>Call order: {@link #data} and {@link #gap} interleaved, offsets contiguous and increasing,
 * then {@link #end} at most once, after which nothing is called. All calls come from the one
 * thread that owns the flow.
 */
public interface StreamSink {
  /**
   * Stream bytes {@code [offset, offset + len)} are {@code buf[off, off + len)}. {@code buf} is
   * the caller's (the packet's buffer for in-order data: no copy is made): valid only during the
   * call; copy what must outlive it.
   */
  void data(byte[] buf, int off, int len, long offset);

  /** Stream bytes {@code [offset, offset + len)} were never seen (mirror loss, truncation). */
  void gap(long offset, long len);

  /**
   * Nothing more will be delivered: the flow ended, or this direction stopped being reassembled
   * (depth reached). Called by the owner of the reassembler (the flow table), not by {@link
   * StreamReassembler} itself. The default does nothing.
   */
  default void end() {}
}

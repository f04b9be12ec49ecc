package io.mirrorsensor.decode.app.dns;

import io.mirrorsensor.decode.tcp.StreamSink;

/**
 * DNS over TCP framing (RFC 1035 section 4.2.2, RFC 7766 section 8): each message is preceded by
 * a two-byte length. Finds the messages in one direction's in-order stream: several per segment,
 * one over several segments, the length prefix itself split. A message wholly inside one {@link
 * #data} call is parsed from the caller's buffer; one that spans calls is copied into a 64 KiB
 * buffer allocated once, on first need.
 *
 * <p>A gap loses the framing: the splitter reports {@link DnsEvent#STREAM_GAP} and ignores the
 * rest of the stream (a terminal state, not a guess at the next prefix).
 *
 * <p>Call order: as {@link StreamSink}. One owning thread.
 */
final class DnsTcpSplitter implements StreamSink {
  private static final int LENGTH_PREFIX = 2;

  private final DnsParser parser;
  private byte[] assembly;
  /** Bytes of the prefix (0..2), then of the message, held in {@link #assembly}. */
  private int prefixHave;
  private int prefix;
  private int have;
  private boolean lost;

  DnsTcpSplitter(DnsParser parser) {
    this.parser = parser;
  }

  @Override
  public void data(byte[] buf, int off, int len, long offset) {
    int p = off;
    int end = off + len;
    while (p < end && !lost) {
      if (prefixHave < LENGTH_PREFIX) {
        prefix = (prefix << 8) | (buf[p++] & 0xFF);
        if (++prefixHave == LENGTH_PREFIX && prefix < DnsMessage.HEADER_LENGTH) {
          parser.event(DnsEvent.TCP_LENGTH_INVALID);
          lost = true;
        }
        continue;
      }
      int want = prefix - have;
      if (have == 0 && end - p >= want) {
        parser.messageFromStream(buf, p, want);
        p += want;
        next();
        continue;
      }
      if (assembly == null) {
        assembly = new byte[65535];
      }
      int n = Math.min(want, end - p);
      System.arraycopy(buf, p, assembly, have, n);
      have += n;
      p += n;
      if (have == prefix) {
        parser.messageFromStream(assembly, 0, prefix);
        next();
      }
    }
  }

  private void next() {
    prefixHave = 0;
    prefix = 0;
    have = 0;
  }

  @Override
  public void gap(long offset, long len) {
    if (!lost) {
      lost = true;
      parser.event(DnsEvent.STREAM_GAP);
    }
  }
}

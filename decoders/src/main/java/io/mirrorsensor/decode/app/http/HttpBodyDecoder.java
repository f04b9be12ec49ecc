package io.mirrorsensor.decode.app.http;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Keeps the first {@link HttpConfig#bodyLimit} of one message body (already de-chunked by
 * the parser) in its transaction, decompressing {@code Content-Encoding: gzip} / {@code deflate}
 * on the way, incrementally: bytes arrive in any split and are read only during {@link #data}.
 *
 * <p>Bounded: output stops at {@code maxBodyBytes} (the compressed rest is not inflated), and
 * at {@link HttpConfig#maxDecompressionRatio()} output bytes per input byte. Input that did not
 * reach the kept buffer is counted ({@link HttpTransaction#bodyBytesNotKept}). Deflate is zlib
 * (RFC 1950) as the RFC says, or raw (RFC 1951) as some servers send: told apart by the first two
 * bytes. Other codings (br, zstd, compress, several layered) are kept as on the wire.
 *
 * <p>One per direction of a parser; one message at a time.
 */
final class HttpBodyDecoder {
  static final int IDENTITY = 0;
  static final int GZIP = 1;
  static final int DEFLATE = 2;
  /** Coding not decoded here: kept as on the wire. */
  static final int OTHER = 3;
  /** Output bytes below which the ratio is not checked (tiny bodies compress badly). */
  static final int RATIO_FLOOR = 1024;
  /** A gzip header longer than this (file name, comment, extra field) is refused. */
  static final int MAX_GZIP_HEADER = 4096;
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final HttpConfig config;
  private final boolean request;
  private HttpTransaction tx;
  private int coding;
  /**
   * 0 collecting the gzip header / zlib sniff (plain: keeping), 1 inflating, 2 stopped (the rest
   * is counted), 3 the compressed stream ended (bytes after it are ignored).
   */
  private int phase;
  private Inflater inflater;
  private byte[] header;
  private int headerLen;
  private long produced;

  HttpBodyDecoder(HttpConfig config, boolean request) {
    this.config = config;
    this.request = request;
  }

  /** Content coding named by a Content-Encoding value (null: none). */
  static int coding(String value) {
    if (value == null) {
      return IDENTITY;
    }
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    switch (v) {
      case "":
      case "identity":
        return IDENTITY;
      case "gzip":
      case "x-gzip":
        return GZIP;
      case "deflate":
        return DEFLATE;
      default:
        return OTHER;
    }
  }

  /** A body of {@code t} starts (ends a previous one that was not finished). */
  void start(HttpTransaction t, int coding) {
    finish();
    if (config.bodyLimit(request) == 0 || t == null) {
      return;
    }
    tx = t;
    this.coding = coding;
    phase = 0;
    headerLen = 0;
    produced = 0;
    t.bodyStarted(request, coding == GZIP || coding == DEFLATE);
  }

  boolean active() {
    return tx != null;
  }

  /**
   * Body bytes {@code b[off, off + len)}; returns the event to raise (decompression stopped), or
   * null.
   */
  HttpEvent data(byte[] b, int off, int len) {
    if (tx == null || len <= 0 || phase == 3) {
      return null;
    }
    if (phase == 2) {
      tx.bodyNotKept(request, len);
      return null;
    }
    if (coding != GZIP && coding != DEFLATE) {
      int room = config.bodyLimit(request) - tx.bodyLength(request);
      int n = Math.min(room, len);
      if (n > 0) {
        tx.bodyAppend(request, b, off, n, config.bodyLimit(request));
      }
      tx.bodyNotKept(request, len - n);
      return null;
    }
    if (phase == 0) {
      int need = coding == GZIP ? MAX_GZIP_HEADER : 2;
      if (header == null || header.length < need) {
        header = new byte[need];
      }
      int take = Math.min(len, need - headerLen);
      System.arraycopy(b, off, header, headerLen, take);
      headerLen += take;
      int start;
      if (coding == GZIP) {
        start = gzipHeader(header, headerLen);
        if (start == -2 || (start == -1 && headerLen == need)) {
          return fail(len - take + headerLen);
        }
      } else {
        start = headerLen < 2 ? -1 : 0;
      }
      if (start < 0) {
        return null; // need more header bytes
      }
      inflater = new Inflater(coding == GZIP || !zlibHeader(header[0], header[1]));
      phase = 1;
      HttpEvent e = inflate(header, start, headerLen - start);
      if (e != null) {
        tx.bodyNotKept(request, len - take);
        return e;
      }
      return data(b, off + take, len - take);
    }
    return inflate(b, off, len);
  }

  private HttpEvent inflate(byte[] b, int off, int len) {
    if (len <= 0) {
      return null;
    }
    Inflater inf = inflater;
    inf.setInput(b, off, len);
    int max = config.bodyLimit(request);
    while (true) {
      int have = tx.bodyLength(request);
      int room = max - have;
      if (room == 0) {
        // The kept buffer is full: the compressed rest is counted, not inflated.
        tx.bodyNotKept(request, inf.getRemaining());
        stop();
        return null;
      }
      int chunk = Math.min(room, 8192);
      byte[] out = tx.bodyRoom(request, chunk, max);
      int n;
      try {
        n = inf.inflate(out, have, chunk);
      } catch (DataFormatException e) {
        return fail(inf.getRemaining());
      }
      tx.bodyGrew(request, n);
      produced += n;
      if (inf.finished()) {
        // End of the compressed stream: a gzip trailer or anything after it is not body text.
        stop();
        phase = 3;
        return null;
      }
      if (inf.needsDictionary()) {
        return fail(inf.getRemaining());
      }
      if (produced > RATIO_FLOOR && produced > (long) config.maxDecompressionRatio()
          * Math.max(1, inf.getBytesRead())) {
        tx.bodyNotKept(request, inf.getRemaining());
        tx.markDecompressionStopped(request);
        stop();
        return HttpEvent.BODY_DECOMPRESSION_LIMIT;
      }
      if (n == 0 && inf.needsInput()) {
        return null;
      }
      if (n == 0) {
        return null; // no progress possible with this input: wait for more
      }
    }
  }

  private HttpEvent fail(long notKept) {
    tx.bodyNotKept(request, notKept);
    tx.markDecompressionStopped(request);
    stop();
    return HttpEvent.BODY_DECOMPRESSION_FAILED;
  }

  /** A gap in the body: what is kept stays; the rest is not contiguous, so it is not kept. */
  void gap(long len) {
    if (tx == null) {
      return;
    }
    if (phase != 3) {
      // bytes after a hole would splice unrelated text together, or break the inflater
      tx.bodyNotKept(request, len);
      stop();
    }
  }

  private void stop() {
    phase = 2;
    if (inflater != null) {
      inflater.end();
      inflater = null;
    }
  }

  /** The message ended (or was abandoned): releases the inflater. */
  void finish() {
    if (inflater != null) {
      inflater.end();
      inflater = null;
    }
    tx = null;
    phase = 0;
    headerLen = 0;
  }

  /** zlib CMF/FLG (RFC 1950 section 2.2): deflate method, window at most 32 KiB, check bits. */
  static boolean zlibHeader(byte cmf, byte flg) {
    int c = cmf & 0xFF;
    int f = flg & 0xFF;
    return (c & 0x0F) == 8 && (c >>> 4) <= 7 && ((c << 8) | f) % 31 == 0;
  }

  /**
   * Length of the gzip member header (RFC 1952 section 2.3) at the start of {@code h[0, n)}; -1
   * when more bytes are needed, -2 when it is not a gzip header. The reserved FLG bits are
   * ignored, not refused: Suricata decodes such bodies (suricata-verify http-evader-232), an
   * evasion otherwise.
   */
  static int gzipHeader(byte[] h, int n) {
    if (n >= 1 && (h[0] & 0xFF) != 0x1f || n >= 2 && (h[1] & 0xFF) != 0x8b
        || n >= 3 && h[2] != 8) {
      return -2;
    }
    if (n < 10) {
      return -1;
    }
    int flg = h[3];
    int p = 10;
    if ((flg & FEXTRA) != 0) {
      if (p + 2 > n) {
        return -1;
      }
      p += 2 + ((h[p] & 0xFF) | (h[p + 1] & 0xFF) << 8);
    }
    if ((flg & FNAME) != 0) {
      p = afterZero(h, p, n);
      if (p < 0) {
        return -1;
      }
    }
    if ((flg & FCOMMENT) != 0) {
      p = afterZero(h, p, n);
      if (p < 0) {
        return -1;
      }
    }
    if ((flg & FHCRC) != 0) {
      p += 2;
    }
    return p <= n ? p : -1;
  }

  private static int afterZero(byte[] h, int p, int n) {
    for (int i = p; i < n; i++) {
      if (h[i] == 0) {
        return i + 1;
      }
    }
    return -1;
  }
}

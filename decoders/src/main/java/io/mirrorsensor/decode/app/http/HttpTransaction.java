package io.mirrorsensor.decode.app.http;

import java.nio.charset.StandardCharsets;

/**
 * One HTTP request and its response as rules and logs see them. Rule buffers are byte ranges into
 * the copied heads, read without copying: {@code bytes(b)[offset(b), offset(b) + length(b))},
 * with {@code length(b) < 0} when the buffer is absent. Timestamps are packet times (ns), -1
 * when the moment was not seen.
 *
 * <p>Written by the parser until handed to {@link HttpListener#transaction}; read-only after.
 */
public final class HttpTransaction {
  static final byte[] HOST = ascii("host");
  static final byte[] USER_AGENT = ascii("user-agent");
  static final byte[] REFERER = ascii("referer");
  static final byte[] COOKIE = ascii("cookie");
  static final byte[] CONTENT_TYPE = ascii("content-type");
  static final byte[] CONTENT_LENGTH = ascii("content-length");
  static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
  static final byte[] CONNECTION = ascii("connection");
  static final byte[] SERVER = ascii("server");
  static final byte[] LOCATION = ascii("location");
  static final byte[] CONTENT_ENCODING = ascii("content-encoding");
  static final byte[] ACCEPT = ascii("accept");
  static final byte[] ACCEPT_ENCODING = ascii("accept-encoding");
  static final byte[] ACCEPT_LANGUAGE = ascii("accept-language");
  private static final byte[] EMPTY = new byte[0];

  HttpHead request;
  HttpHead response;
  boolean http09;
  int status = -1;
  int interimResponses;
  long requestBodyBytes;
  long responseBodyBytes;
  long requestStartNanos = -1;
  long requestEndNanos = -1;
  long responseStartNanos = -1;
  long responseEndNanos = -1;
  boolean gap;
  boolean responseComplete;
  boolean connect;
  boolean close;
  /** Kept bodies, index 0 request, 1 response (null: no body kept); see {@link HttpBodyDecoder}. */
  private final byte[][] body = new byte[2][];
  private final int[] bodyLen = new int[2];
  private final long[] bodyNotKept = new long[2];
  private final boolean[] bodyDecompressed = new boolean[2];
  /** Per direction: the body length its head declares, 0 when unknown ({@link #declareBody}). */
  private final long[] declaredBody = new long[2];
  private final boolean[] bodyDecompressionStopped = new boolean[2];

  HttpTransaction() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  // ---- rule buffers ----

  /** The array holding buffer {@code b} (the request or response head, or a body), or null. */
  public byte[] bytes(HttpBuffer b) {
    if (b == HttpBuffer.REQUEST_BODY || b == HttpBuffer.RESPONSE_BODY) {
      int i = b.request() ? 0 : 1;
      return bodyLen[i] > 0 ? body[i] : null;
    }
    HttpHead h = b.request() ? request : response;
    return h == null ? null : h.bytes;
  }

  /** Offset of buffer {@code b} in {@link #bytes}, or -1 when absent. */
  public int offset(HttpBuffer b) {
    long r = range(b);
    return r < 0 ? -1 : (int) (r >>> 32);
  }

  /** Length of buffer {@code b}, or -1 when absent. */
  public int length(HttpBuffer b) {
    long r = range(b);
    return r < 0 ? -1 : (int) r;
  }

  /** Buffer {@code b} as text (ISO-8859-1: one char per byte), or null; allocates, for output. */
  public String text(HttpBuffer b) {
    long r = range(b);
    if (r < 0) {
      return null;
    }
    if (b == HttpBuffer.REQUEST_BODY || b == HttpBuffer.RESPONSE_BODY) {
      return new String(bytes(b), 0, (int) r, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    return (b.request() ? request : response).text((int) (r >>> 32), (int) r);
  }

  private static long pack(int off, int len) {
    return ((long) off << 32) | (len & 0xFFFF_FFFFL);
  }

  private long range(HttpBuffer b) {
    if (b == HttpBuffer.REQUEST_BODY || b == HttpBuffer.RESPONSE_BODY) {
      int n = bodyLen[b.request() ? 0 : 1];
      return n > 0 ? pack(0, n) : -1;
    }
    HttpHead h = b.request() ? request : response;
    if (h == null) {
      return -1;
    }
    switch (b) {
      case METHOD:
      case STAT_CODE:
        return pack(h.aOff, h.aLen);
      case URI_RAW:
        return pack(h.bOff, h.bLen);
      case PROTOCOL:
        return h.cLen < 0 ? -1 : pack(h.cOff, h.cLen);
      case STAT_MSG:
        return h.cLen < 0 ? -1 : pack(h.cOff, h.cLen);
      case REQUEST_LINE:
      case RESPONSE_LINE:
        return pack(0, h.lineEnd);
      case REQUEST_HEADER:
      case RESPONSE_HEADER:
        return pack(h.headersOff, h.headersEnd - h.headersOff);
      case HOST:
        return header(h, HOST);
      case USER_AGENT:
        return header(h, USER_AGENT);
      case REFERER:
        return header(h, REFERER);
      case COOKIE:
        return header(h, COOKIE);
      case REQUEST_CONTENT_TYPE:
      case CONTENT_TYPE:
        return header(h, CONTENT_TYPE);
      case REQUEST_CONTENT_LENGTH:
      case CONTENT_LENGTH:
        return header(h, CONTENT_LENGTH);
      case REQUEST_CONNECTION:
      case CONNECTION:
        return header(h, CONNECTION);
      case ACCEPT:
        return header(h, ACCEPT);
      case ACCEPT_ENCODING:
        return header(h, ACCEPT_ENCODING);
      case ACCEPT_LANGUAGE:
        return header(h, ACCEPT_LANGUAGE);
      case SERVER:
        return header(h, SERVER);
      case LOCATION:
        return header(h, LOCATION);
      default:
        return -1;
    }
  }

  private static long header(HttpHead h, byte[] name) {
    int i = h.find(name, 0);
    return i < 0 ? -1 : pack(h.valueOff(i), h.valueLen(i));
  }

  /**
   * Value of the {@code nth} request ({@code request} true) or response header named {@code
   * name} (any case), or null: duplicates are kept in order. Allocates; for output and tests.
   */
  public String header(boolean request, String name, int nth) {
    HttpHead h = request ? this.request : response;
    if (h == null) {
      return null;
    }
    int i = h.find(ascii(name.toLowerCase(java.util.Locale.ROOT)), nth);
    return i < 0 ? null : h.text(h.valueOff(i), h.valueLen(i));
  }

  /** Number of header lines kept in the request or response head. */
  public int headerCount(boolean request) {
    HttpHead h = request ? this.request : response;
    return h == null ? 0 : h.headerCount;
  }

  // ---- bodies (written by HttpBodyDecoder) ----

  void bodyStarted(boolean request, boolean decompressed) {
    int i = request ? 0 : 1;
    bodyDecompressed[i] |= decompressed;
  }

  int bodyLength(boolean request) {
    return bodyLen[request ? 0 : 1];
  }

  /**
   * The body array with room for {@code want} more bytes, up to max: made as long as the head's
   * Content-Length says the body is when it is kept as sent (so a large body is copied once, not
   * at every doubling), else grown by doubling from 1 KiB.
   */
  byte[] bodyRoom(boolean request, int want, int max) {
    int i = request ? 0 : 1;
    byte[] a = body[i] == null ? EMPTY : body[i];
    int need = bodyLen[i] + want;
    if (need > a.length) {
      long size = Math.max(need, Math.max(1024, 2L * a.length));
      if (a.length == 0 && !bodyDecompressed[i]) {
        size = Math.max(size, Math.min(max, declaredBody[i]));
      }
      a = java.util.Arrays.copyOf(a, (int) Math.min(max, size));
      body[i] = a;
    }
    return a;
  }

  /**
   * The parser found the body's length in the head (Content-Length, no Transfer-Encoding):
   * {@link #bodyRoom} makes the array that long at once.
   */
  void declareBody(boolean request, long length) {
    declaredBody[request ? 0 : 1] = length;
  }

  void bodyGrew(boolean request, int n) {
    bodyLen[request ? 0 : 1] += n;
  }

  void bodyAppend(boolean request, byte[] b, int off, int n, int max) {
    byte[] a = bodyRoom(request, n, max);
    int i = request ? 0 : 1;
    System.arraycopy(b, off, a, bodyLen[i], n);
    bodyLen[i] += n;
  }

  void bodyNotKept(boolean request, long n) {
    if (n > 0) {
      bodyNotKept[request ? 0 : 1] += n;
    }
  }

  void markDecompressionStopped(boolean request) {
    bodyDecompressionStopped[request ? 0 : 1] = true;
  }

  /**
   * Body bytes (de-chunked, as on the wire: compressed for a compressed body) that did not reach
   * the kept body buffer: past {@link HttpConfig#bodyLimit}, after a stream gap, or after
   * decompression stopped. 0 when the whole body is in the buffer.
   */
  public long bodyBytesNotKept(boolean request) {
    return bodyNotKept[request ? 0 : 1];
  }

  /** True when the body buffer holds decompressed bytes (Content-Encoding gzip or deflate). */
  public boolean bodyDecompressed(boolean request) {
    return bodyDecompressed[request ? 0 : 1];
  }

  /**
   * True when decompression of that body stopped early: corrupt data ({@link
   * HttpEvent#BODY_DECOMPRESSION_FAILED}) or the ratio guard ({@link
   * HttpEvent#BODY_DECOMPRESSION_LIMIT}). Reaching {@link HttpConfig#bodyLimit} is not.
   */
  public boolean bodyDecompressionStopped(boolean request) {
    return bodyDecompressionStopped[request ? 0 : 1];
  }

  // ---- fields ----

  public boolean hasRequest() {
    return request != null;
  }

  public boolean hasResponse() {
    return response != null;
  }

  /** Final status code (1xx interim responses are counted, not kept), or -1. */
  public int status() {
    return status;
  }

  public int interimResponses() {
    return interimResponses;
  }

  /** True for a request line without a version (HTTP/0.9, whose response has no head). */
  public boolean http09() {
    return http09;
  }

  /** Request body bytes (after de-chunking), as far as seen. */
  public long requestBodyBytes() {
    return requestBodyBytes;
  }

  /** Response body bytes (after de-chunking), as far as seen: EVE {@code length}. */
  public long responseBodyBytes() {
    return responseBodyBytes;
  }

  public long requestStartNanos() {
    return requestStartNanos;
  }

  public long requestEndNanos() {
    return requestEndNanos;
  }

  /** Time of the first byte of the final response. */
  public long responseStartNanos() {
    return responseStartNanos;
  }

  public long responseEndNanos() {
    return responseEndNanos;
  }

  /** Last request byte to first response byte, ns, or -1. */
  public long responseLatencyNanos() {
    return requestEndNanos >= 0 && responseStartNanos >= 0
        ? responseStartNanos - requestEndNanos : -1;
  }

  /** Last request byte to last response byte, ns, or -1. */
  public long responseCompleteNanos() {
    return requestEndNanos >= 0 && responseEndNanos >= 0 && responseComplete
        ? responseEndNanos - requestEndNanos : -1;
  }

  /** True when the response was seen to its end. */
  public boolean responseComplete() {
    return responseComplete;
  }

  /** True when lost bytes (a stream gap) fell into this transaction. */
  public boolean gap() {
    return gap;
  }

  /** True for CONNECT: the parser stopped after this transaction's heads. */
  public boolean connect() {
    return connect;
  }

  /** True when either side said {@code Connection: close}. */
  public boolean connectionClose() {
    return close;
  }
}

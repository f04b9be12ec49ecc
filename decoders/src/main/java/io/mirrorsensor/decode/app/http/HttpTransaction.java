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

  HttpTransaction() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  // ---- rule buffers ----

  /** The array holding buffer {@code b} (the request or response head), or null. */
  public byte[] bytes(HttpBuffer b) {
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
    return r < 0 ? null : (b.request() ? request : response).text((int) (r >>> 32), (int) r);
  }

  private static long pack(int off, int len) {
    return ((long) off << 32) | (len & 0xFFFF_FFFFL);
  }

  private long range(HttpBuffer b) {
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

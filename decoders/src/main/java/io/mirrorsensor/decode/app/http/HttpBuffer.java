package io.mirrorsensor.decode.app.http;

/**
 * Rule buffers of an HTTP transaction, by Suricata's sticky-buffer names; read with {@link
 * HttpTransaction#offset}, {@link HttpTransaction#length} and {@link HttpTransaction#bytes}.
 * Head buffers are raw bytes as on the wire (no normalisation); the two body buffers are
 * de-chunked and decompressed, and bounded ({@link HttpConfig#bodyLimit}).
 */
public enum HttpBuffer {
  /** {@code http.method}. */
  METHOD("http.method", true),
  /** {@code http.uri.raw}: the request-target. */
  URI_RAW("http.uri.raw", true),
  /** {@code http.protocol}: {@code HTTP/1.1} of the request line. */
  PROTOCOL("http.protocol", true),
  /** {@code http.request_line}. */
  REQUEST_LINE("http.request_line", true),
  /** {@code http.host.raw}: the Host header value. */
  HOST("http.host.raw", true),
  /** {@code http.user_agent}. */
  USER_AGENT("http.user_agent", true),
  /** {@code http.referer}. */
  REFERER("http.referer", true),
  /** {@code http.cookie}. */
  COOKIE("http.cookie", true),
  /** {@code http.header.raw} of the request: every header line, up to the empty line. */
  REQUEST_HEADER("http.header.raw", true),
  /** {@code http.content_type} of the request. */
  REQUEST_CONTENT_TYPE("http.content_type", true),
  /** {@code http.content_len} of the request: the Content-Length value. */
  REQUEST_CONTENT_LENGTH("http.content_len", true),
  /** {@code http.connection} of the request. */
  REQUEST_CONNECTION("http.connection", true),
  /** {@code http.accept}. */
  ACCEPT("http.accept", true),
  /** {@code http.accept_enc}: the Accept-Encoding value. */
  ACCEPT_ENCODING("http.accept_enc", true),
  /** {@code http.accept_lang}: the Accept-Language value. */
  ACCEPT_LANGUAGE("http.accept_lang", true),
  /** {@code http.stat_code}: the three digits. */
  STAT_CODE("http.stat_code", false),
  /** {@code http.stat_msg}: the reason phrase. */
  STAT_MSG("http.stat_msg", false),
  /** {@code http.response_line}. */
  RESPONSE_LINE("http.response_line", false),
  /** {@code http.header.raw} of the response. */
  RESPONSE_HEADER("http.header.raw", false),
  /** {@code http.content_type} of the response. */
  CONTENT_TYPE("http.content_type", false),
  /** {@code http.content_len} of the response. */
  CONTENT_LENGTH("http.content_len", false),
  /** {@code http.connection} of the response. */
  CONNECTION("http.connection", false),
  /** {@code http.server}. */
  SERVER("http.server", false),
  /** {@code http.location}. */
  LOCATION("http.location", false),
  /**
   * {@code http.request_body}: the first {@link HttpConfig#maxBodyBytes()} of the request body,
   * de-chunked and, for {@code Content-Encoding} gzip or deflate, decompressed.
   */
  REQUEST_BODY("http.request_body", true),
  /**
   * {@code http.response_body} (Suricata's {@code file_data} in HTTP): the first {@link
   * HttpConfig#maxResponseBodyBytes()} of the response body, de-chunked and decompressed like {@link
   * #REQUEST_BODY}.
   */
  RESPONSE_BODY("http.response_body", false);

  private final String ruleName;
  private final boolean request;

  HttpBuffer(String ruleName, boolean request) {
    this.ruleName = ruleName;
    this.request = request;
  }

  /** The rule keyword naming this buffer. */
  public String ruleName() {
    return ruleName;
  }

  /** True when the buffer is in the request head, false for the response head. */
  public boolean request() {
    return request;
  }
}

package io.mirrorsensor.decode.app.http;

/**
 * Bounds of the HTTP/1.x parser, each with a named {@link HttpEvent} when hit.
 *
 * @param maxLineBytes one start, header or chunk-size line ({@link HttpEvent#LINE_TOO_LONG})
 * @param maxHeadBytes start line plus headers ({@link HttpEvent#HEAD_TOO_LONG})
 * @param maxHeaders header lines kept per message ({@link HttpEvent#TOO_MANY_HEADERS})
 * @param maxPipelined requests waiting for a response ({@link HttpEvent#TOO_MANY_PIPELINED})
 * @param maxBodyBytes body bytes kept per request for inspection, after de-chunking and
 *     decompression ({@link HttpBuffer#REQUEST_BODY}; Suricata's request-body-limit); the rest is
 *     counted, not kept. 0 turns request body inspection off.
 * @param maxDecompressionRatio decompressed bytes per compressed byte at most (checked once
 *     more than 1 KiB came out); past it decompression stops ({@link
 *     HttpEvent#BODY_DECOMPRESSION_LIMIT})
 * @param maxResponseBodyBytes the same bound for each response body ({@link
 *     HttpBuffer#RESPONSE_BODY}; Suricata's response-body-limit)
 */
public record HttpConfig(int maxLineBytes, int maxHeadBytes, int maxHeaders, int maxPipelined,
    int maxBodyBytes, int maxDecompressionRatio, int maxResponseBodyBytes) {
  /** Suricata's default request-body-limit and response-body-limit (100 KiB). */
  public static final int DEFAULT_MAX_BODY_BYTES = 100 * 1024;
  public static final int DEFAULT_MAX_DECOMPRESSION_RATIO = 1000;

  public HttpConfig {
    if (maxBodyBytes < 0 || maxResponseBodyBytes < 0) {
      throw new IllegalArgumentException("body limits must be >= 0");
    }
    if (maxDecompressionRatio < 1) {
      throw new IllegalArgumentException("maxDecompressionRatio must be >= 1");
    }
  }

  /** One body limit for requests and responses. */
  public HttpConfig(int maxLineBytes, int maxHeadBytes, int maxHeaders, int maxPipelined,
      int maxBodyBytes, int maxDecompressionRatio) {
    this(maxLineBytes, maxHeadBytes, maxHeaders, maxPipelined, maxBodyBytes,
        maxDecompressionRatio, maxBodyBytes);
  }

  /** Head bounds with the default body settings. */
  public HttpConfig(int maxLineBytes, int maxHeadBytes, int maxHeaders, int maxPipelined) {
    this(maxLineBytes, maxHeadBytes, maxHeaders, maxPipelined, DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_DECOMPRESSION_RATIO);
  }

  public static HttpConfig defaults() {
    return new HttpConfig(16 * 1024, 64 * 1024, 128, 32);
  }

  /** A copy with these body settings ({@code maxBodyBytes} 0: body inspection off). */
  public HttpConfig withBody(int maxBodyBytes, int maxDecompressionRatio) {
    return new HttpConfig(maxLineBytes, maxHeadBytes, maxHeaders, maxPipelined, maxBodyBytes,
        maxDecompressionRatio);
  }

  /** A copy with these request and response body limits (0: that side's body is not kept). */
  public HttpConfig withBodyLimits(int requestBodyBytes, int responseBodyBytes) {
    return new HttpConfig(maxLineBytes, maxHeadBytes, maxHeaders, maxPipelined, requestBodyBytes,
        maxDecompressionRatio, responseBodyBytes);
  }

  /** The body limit of requests ({@code request} true) or responses. */
  public int bodyLimit(boolean request) {
    return request ? maxBodyBytes : maxResponseBodyBytes;
  }
}

package io.mirrorsensor.decode.app.http;

/**
 * Named HTTP/1.x anomalies with stable ids ({@code http.snake_case}, EVE {@code anomaly.event}
 * with {@code type: applayer}). None throws; each says what the parser did instead.
 */
public enum HttpEvent {
  /** A line longer than {@link HttpConfig#maxLineBytes()}: skipped (a start line: resync). */
  LINE_TOO_LONG("http.line_too_long"),
  /** A message head longer than {@link HttpConfig#maxHeadBytes()}: message dropped, resync. */
  HEAD_TOO_LONG("http.head_too_long"),
  /** More header lines than {@link HttpConfig#maxHeaders()}: the rest are ignored. */
  TOO_MANY_HEADERS("http.too_many_headers"),
  /** A header line without a colon, with an empty name or whitespace before the colon. */
  INVALID_HEADER("http.invalid_header"),
  /** A continuation line (RFC 9112 section 5.2, obsolete): joined to the previous header. */
  OBSOLETE_LINE_FOLDING("http.obsolete_line_folding"),
  /** Not a request line where one was due: resync on the next one. */
  INVALID_REQUEST_LINE("http.invalid_request_line"),
  /** Not a status line where one was due: resync on the next one. */
  INVALID_STATUS_LINE("http.invalid_status_line"),
  /** Content-Length not a decimal number: the message ends at its head, resync. */
  INVALID_CONTENT_LENGTH("http.invalid_content_length"),
  /**
   * Several Content-Length headers whose values differ, or one of which is not a number (RFC 9112
   * section 6.3 item 5; libhtp's "Ambiguous request/response C-L value"): the first is used.
   */
  CONTENT_LENGTH_CONFLICT("http.content_length_conflict"),
  /** Transfer-Encoding and Content-Length together: chunked wins (RFC 9112 section 6.3 item 3). */
  TE_AND_CL("http.te_and_cl"),
  /** A request Transfer-Encoding whose final coding is not chunked: length unknown, resync. */
  TRANSFER_ENCODING_INVALID("http.transfer_encoding_invalid"),
  /** A chunk-size line that is not hex (or over 15 digits): resync. */
  INVALID_CHUNK_SIZE("http.invalid_chunk_size"),
  /**
   * A chunk-size line with a chunk extension (a {@code ;} after the hex digits, RFC 9112 section
   * 7.1.1; libhtp's REQUEST/RESPONSE_CHUNK_EXTENSION): the extension is ignored.
   */
  CHUNK_EXTENSION("http.chunk_extension"),
  /**
   * A request's Host header that is not a valid host[:port] (libhtp's HOSTH_INVALID: a bad
   * hostname label or IPv6 literal, a port that is not 1 to 65535, or junk after the host). The
   * request is parsed as usual.
   */
  HOST_INVALID("http.host_invalid"),
  /** More requests waiting for responses than {@link HttpConfig#maxPipelined()}: oldest logged. */
  TOO_MANY_PIPELINED("http.too_many_pipelined"),
  /** A response with no request waiting: parsed for framing, no transaction. */
  UNSOLICITED_RESPONSE("http.unsolicited_response"),
  /** The stream interface announced lost bytes; the transaction is marked, parser resyncs. */
  STREAM_GAP("http.stream_gap"),
  /**
   * A compressed body inflated past {@link HttpConfig#maxDecompressionRatio()} (a decompression
   * bomb): decompression stops, what came out so far stays in the body buffer.
   */
  BODY_DECOMPRESSION_LIMIT("http.body_decompression_limit"),
  /**
   * A body whose {@code Content-Encoding} is gzip or deflate did not decompress (bad header or
   * corrupt data): what came out before stays in the body buffer; the message framing is not
   * affected.
   */
  BODY_DECOMPRESSION_FAILED("http.body_decompression_failed");

  private final String id;

  HttpEvent(String id) {
    this.id = id;
  }

  /** The stable dotted id, e.g. {@code http.line_too_long}. */
  public String id() {
    return id;
  }
}

package io.mirrorsensor.decode.app.http;

/**
 * Bounds of the HTTP/1.x parser, each with a named {@link HttpEvent} when hit.
 *
 * @param maxLineBytes one start, header or chunk-size line ({@link HttpEvent#LINE_TOO_LONG})
 * @param maxHeadBytes start line plus headers ({@link HttpEvent#HEAD_TOO_LONG})
 * @param maxHeaders header lines kept per message ({@link HttpEvent#TOO_MANY_HEADERS})
 * @param maxPipelined requests waiting for a response ({@link HttpEvent#TOO_MANY_PIPELINED})
 */
public record HttpConfig(int maxLineBytes, int maxHeadBytes, int maxHeaders, int maxPipelined) {
  public static HttpConfig defaults() {
    return new HttpConfig(16 * 1024, 64 * 1024, 128, 32);
  }
}

package io.mirrorsensor.decode.app.http;

/**
 * One message head (start line and header lines), copied once out of the stream when complete:
 * the only allocation per message. The start line's three parts and every header's name and
 * value are ranges into {@link #bytes}.
 */
final class HttpHead {
  final byte[] bytes;
  /** Start line: [0, lineEnd); parts a, b, c (method, target, version / version, code, reason). */
  final int lineEnd;
  final int aOff;
  final int aLen;
  final int bOff;
  final int bLen;
  final int cOff;
  final int cLen;
  /** Header lines [headersOff, headersEnd) without the final empty line. */
  final int headersOff;
  final int headersEnd;
  /** Per header: name offset, name length, value offset, value length. */
  final int[] headers;
  final int headerCount;

  HttpHead(byte[] bytes, int lineEnd, int[] parts, int headersOff, int headersEnd, int[] headers,
      int headerCount) {
    this.bytes = bytes;
    this.lineEnd = lineEnd;
    this.aOff = parts[0];
    this.aLen = parts[1];
    this.bOff = parts[2];
    this.bLen = parts[3];
    this.cOff = parts[4];
    this.cLen = parts[5];
    this.headersOff = headersOff;
    this.headersEnd = headersEnd;
    this.headers = headers;
    this.headerCount = headerCount;
  }

  /** Index of the {@code nth} (0-based) header named {@code lowerName} (ASCII case-insensitive). */
  int find(byte[] lowerName, int nth) {
    for (int i = 0; i < headerCount; i++) {
      int off = headers[4 * i];
      int len = headers[4 * i + 1];
      if (len == lowerName.length && equalsLower(bytes, off, lowerName) && nth-- == 0) {
        return i;
      }
    }
    return -1;
  }

  static boolean equalsLower(byte[] b, int off, byte[] lower) {
    for (int i = 0; i < lower.length; i++) {
      int c = b[off + i];
      if (c >= 'A' && c <= 'Z') {
        c += 32;
      }
      if (c != lower[i]) {
        return false;
      }
    }
    return true;
  }

  int valueOff(int h) {
    return headers[4 * h + 2];
  }

  int valueLen(int h) {
    return headers[4 * h + 3];
  }

  String text(int off, int len) {
    return new String(bytes, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}

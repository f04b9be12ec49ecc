package io.mirrorsensor.rules;

/**
 * A payload keyword with an offset that counts from the buffer's start, or with {@code relative}
 * from the end of the previous match ({@code isdataat}, {@code byte_test}, {@code byte_jump},
 * {@code byte_extract}, {@code base64_decode}).
 */
abstract class RelativeMatch extends PayloadMatch {
  final boolean isRelative;

  RelativeMatch(String keyword, int pos, boolean relative) {
    super(keyword, pos);
    this.isRelative = relative;
  }

  @Override
  final boolean relative() {
    return isRelative;
  }

  /** Where {@code offset} points: from the previous match's end when relative, else from 0. */
  final long from(int prevEnd, long offset) {
    return (isRelative ? (long) prevEnd : 0L) + offset;
  }

  /**
   * The number {@code reader} reads where {@code offset} points ({@link #from}), or {@link
   * ByteReader#FAIL} when that lies outside the buffer or holds no number (byte_test, byte_jump,
   * byte_extract).
   */
  final long readAt(ByteReader reader, Span s, int prevEnd, long offset) {
    long at = from(prevEnd, offset);
    return at < 0 || at > Integer.MAX_VALUE ? ByteReader.FAIL : reader.read(s, (int) at);
  }
}

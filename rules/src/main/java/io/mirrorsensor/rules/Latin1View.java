package io.mirrorsensor.rules;

/**
 * A {@link CharSequence} over bytes, one char per byte (ISO-8859-1), so a regex sees raw bytes as
 * PCRE does without UTF mode: {@code \xff} in a pattern matches byte 0xFF. Reused per detector;
 * nothing is copied. {@link #subSequence} and {@link #toString} copy and are only for RE2/J's
 * group extraction, which the engine does not use.
 */
final class Latin1View implements CharSequence {
  private byte[] buf;
  private int off;
  private int len;

  Latin1View set(byte[] buf, int off, int len) {
    this.buf = buf;
    this.off = off;
    this.len = len;
    return this;
  }

  @Override
  public int length() {
    return len;
  }

  @Override
  public char charAt(int index) {
    return (char) (buf[off + index] & 0xFF);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new Latin1View().set(buf, off + start, end - start);
  }

  @Override
  public String toString() {
    return new String(buf, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}

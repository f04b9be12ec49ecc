package io.mirrorsensor.rules;

/**
 * {@code byte_test:bytes,[!]op,value,offset[,relative][,big|little][,string,hex|dec|oct][,dce]
 * [,bitmask X]}: compares a number read from the buffer. Does not move the previous-match end.
 */
final class ByteTestMatch extends RelativeMatch {
  final ByteReader reader;
  final char op;
  /** For op "<=" and ">=" (encoded 'l' and 'g'). */
  final boolean negated;
  final long value;
  final int offset;
  /** byte_extract variable slots for the value and the offset, -1 when literal. */
  int valueVar = -1;
  int offsetVar = -1;

  ByteTestMatch(int pos, ByteReader reader, char op, boolean negated, long value, int offset,
      boolean relative) {
    super("byte_test", pos, relative);
    this.reader = reader;
    this.op = op;
    this.negated = negated;
    this.value = value;
    this.offset = offset;
  }


  @Override
  int eval(Span s, int prevEnd, Detector d) {
    long value = valueVar >= 0 ? d.extracted[valueVar] : this.value;
    long v = readAt(reader, s, prevEnd, offsetVar >= 0 ? d.extracted[offsetVar] : offset);
    if (v == ByteReader.FAIL) {
      return -1;
    }
    boolean r;
    switch (op) {
      case '<':
        r = v < value;
        break;
      case '>':
        r = v > value;
        break;
      case 'l':
        r = v <= value;
        break;
      case 'g':
        r = v >= value;
        break;
      case '&':
        r = (v & value) != 0;
        break;
      case '^':
        r = (v ^ value) != 0;
        break;
      default:
        r = v == value;
        break;
    }
    return r != negated ? prevEnd : -1;
  }
}

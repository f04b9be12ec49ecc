package io.mirrorsensor.rules;

/**
 * {@code byte_jump:bytes,offset[,relative][,multiplier N][,big|little][,string,hex|dec|oct]
 * [,align][,from_beginning|from_end][,post_offset N][,dce][,bitmask X]}: reads a length and moves
 * the previous-match end past it. Fails when the jump lands outside the buffer.
 */
final class ByteJumpMatch extends RelativeMatch {
  final ByteReader reader;
  final int offset;
  final long multiplier;
  final boolean align;
  final boolean fromBeginning;
  final boolean fromEnd;
  final int postOffset;

  ByteJumpMatch(int pos, ByteReader reader, int offset, boolean relative, long multiplier,
      boolean align, boolean fromBeginning, boolean fromEnd, int postOffset) {
    super("byte_jump", pos, relative);
    this.reader = reader;
    this.offset = offset;
    this.multiplier = multiplier;
    this.align = align;
    this.fromBeginning = fromBeginning;
    this.fromEnd = fromEnd;
    this.postOffset = postOffset;
  }


  @Override
  int eval(Span s, int prevEnd, Detector d) {
    long v = readAt(reader, s, prevEnd, offset);
    if (v == ByteReader.FAIL) {
      return -1;
    }
    long jump = v * multiplier;
    if (align && (jump & 3) != 0) {
      jump += 4 - (jump & 3);
    }
    long base;
    if (fromBeginning) {
      base = 0;
    } else if (fromEnd) {
      base = s.len;
    } else {
      base = from(prevEnd, offset) + reader.bytes;
    }
    long to = base + jump + postOffset;
    if (to < 0 || to > s.len) {
      return -1;
    }
    return (int) to;
  }
}

package io.mirrorsensor.rules;

/** {@code byte_jump:bytes,offset[,options...];} see {@link ByteJumpMatch}. */
final class ByteJumpKeyword implements Keyword {
  @Override
  public String name() {
    return "byte_jump";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String[] f = Values.required(value, pos, name()).split(",");
    if (f.length < 2) {
      throw RuleSyntaxException.error(pos, name(), "expected bytes,offset[,options]");
    }
    int bytes = (int) UintMatch.num(f[0], pos, name(), 23);
    String offText = f[1].strip();
    if (!offText.isEmpty() && !(Character.isDigit(offText.charAt(0)) || offText.charAt(0) == '-')) {
      throw RuleSyntaxException.skip(pos, name(), "offset '" + offText + "' is a byte_extract variable, which is not supported yet", "byte_extract");
    }
    int off = Values.sint(offText, pos, name());
    ByteTestKeyword.Opts o = ByteTestKeyword.Opts.parse(f, 2, pos, name(), true);
    if (o.fromBeginning && o.fromEnd) {
      throw RuleSyntaxException.error(pos, name(), "from_beginning and from_end contradict each other");
    }
    ByteReader r = o.reader(bytes, pos, name());
    b.add(new ByteJumpMatch(pos, r, off, o.relative, o.multiplier, o.align, o.fromBeginning, o.fromEnd, o.postOffset));
  }
}

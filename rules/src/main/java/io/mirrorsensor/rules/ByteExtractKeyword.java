package io.mirrorsensor.rules;

/**
 * {@code byte_extract:bytes,offset,name[,relative][,multiplier N][,big|little][,string[,hex|dec|
 * oct]][,align N][,bitmask X][,dce];} (detect-byte-extract.c): reads a number from the buffer into
 * a rule-local variable that later {@code offset}, {@code depth}, {@code distance}, {@code within}
 * and {@code byte_test} values may name. The value is read like byte_test's, then masked, then
 * multiplied, then rounded up to {@code align}; the previous-match end moves past the bytes read.
 */
final class ByteExtractKeyword implements Keyword {
  /** Variables one rule may define. */
  static final int MAX_VARS = 16;

  @Override
  public String name() {
    return "byte_extract";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String[] f = Values.required(value, pos, name()).split(",");
    if (f.length < 3) {
      throw RuleSyntaxException.error(pos, name(), "expected bytes,offset,name[,options]");
    }
    int bytes = (int) UintMatch.num(f[0], pos, name(), 20);
    int offset = Values.sint(f[1], pos, name());
    String var = f[2].strip();
    if (var.isEmpty() || !Character.isLetter(var.charAt(0)) && var.charAt(0) != '_') {
      throw RuleSyntaxException.error(pos, name(), "'" + var + "' is not a variable name (it must start with a letter)");
    }
    if (b.vars.containsKey(var)) {
      throw RuleSyntaxException.error(pos, name(), "variable '" + var + "' is already defined");
    }
    if (b.vars.size() >= MAX_VARS) {
      throw RuleSyntaxException.error(pos, name(), "more than " + MAX_VARS + " variables in one rule");
    }
    long multiplier = 1;
    int align = 0;
    java.util.List<String> rest = new java.util.ArrayList<>();
    for (int i = 3; i < f.length; i++) {
      String[] kv = f[i].strip().split("\\s+", 2);
      if (kv[0].equals("multiplier")) {
        if (kv.length < 2) {
          throw RuleSyntaxException.error(pos, name(), "multiplier needs a value");
        }
        multiplier = UintMatch.num(kv[1], pos, name(), 65535);
        if (multiplier == 0) {
          throw RuleSyntaxException.error(pos, name(), "multiplier must be positive");
        }
      } else if (kv[0].equals("align")) {
        if (kv.length < 2 || !(kv[1].strip().equals("2") || kv[1].strip().equals("4"))) {
          throw RuleSyntaxException.error(pos, name(), "align is 2 or 4");
        }
        align = Integer.parseInt(kv[1].strip());
      } else {
        rest.add(f[i]);
      }
    }
    ByteTestKeyword.Opts opts = ByteTestKeyword.Opts.parse(rest.toArray(new String[0]), 0, pos, name(), false);
    ByteReader r = opts.reader(bytes, pos, name());
    int slot = b.vars.size();
    b.vars.put(var, slot);
    b.add(new Match(pos, r, offset, opts.relative, multiplier, align, slot));
  }

  /**
   * The slot of byte_extract variable {@code value} for keyword {@code kw}, or -1 when {@code
   * value} is a number.
   *
   * @throws RuleSyntaxException when it is a name no earlier byte_extract defined
   */
  static int var(RuleBuilder b, String value, int pos, String kw) throws RuleSyntaxException {
    String v = Values.required(value, pos, kw).strip();
    if (v.isEmpty() || !(Character.isLetter(v.charAt(0)) || v.charAt(0) == '_')) {
      return -1;
    }
    Integer slot = b.vars.get(v);
    if (slot == null) {
      throw RuleSyntaxException.error(pos, kw, "'" + v + "' is not a number nor a byte_extract variable defined before it");
    }
    return slot;
  }

  /** Reads the value into the detector's variable slot. */
  static final class Match extends RelativeMatch {
    final ByteReader reader;
    final int offset;
    final long multiplier;
    final int align;
    final int slot;

    Match(int pos, ByteReader reader, int offset, boolean relative, long multiplier, int align,
        int slot) {
      super("byte_extract", pos, relative);
      this.reader = reader;
      this.offset = offset;
      this.multiplier = multiplier;
      this.align = align;
      this.slot = slot;
    }


    @Override
    int eval(Span s, int prevEnd, Detector d) {
      long v = readAt(reader, s, prevEnd, offset);
      if (v == ByteReader.FAIL) {
        return -1;
      }
      v *= multiplier;
      if (align > 0 && v % align != 0) {
        v += align - v % align;
      }
      d.extracted[slot] = v;
      return (int) from(prevEnd, offset) + reader.bytes;
    }
  }
}

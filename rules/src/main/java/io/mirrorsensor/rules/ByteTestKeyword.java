package io.mirrorsensor.rules;

/** {@code byte_test:bytes,[!]op,value,offset[,options...];} see {@link ByteTestMatch}. */
final class ByteTestKeyword implements Keyword {
  @Override
  public String name() {
    return "byte_test";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String[] f = Values.required(value, pos, name()).split(",");
    if (f.length < 4) {
      throw RuleSyntaxException.error(pos, name(), "expected bytes,operator,value,offset[,options]");
    }
    int bytes = (int) UintMatch.num(f[0], pos, name(), 23);
    String op = f[1].strip();
    boolean neg = false;
    if (op.startsWith("!") && op.length() > 1) {
      neg = true;
      op = op.substring(1);
    }
    char o;
    switch (op) {
      case "<":
      case ">":
      case "=":
      case "&":
      case "^":
        o = op.charAt(0);
        break;
      case "!":
        o = '=';
        neg = true;
        break;
      case "<=":
        o = 'l';
        break;
      case ">=":
        o = 'g';
        break;
      default:
        throw RuleSyntaxException.error(pos, name(), "unknown operator '" + op + "' (< > = ! & ^ <= >=)");
    }
    String valueText = f[2].strip();
    int valueVar = ByteExtractKeyword.var(b, valueText, pos, name());
    long val = valueVar >= 0 ? 0 : Values.number(valueText, pos, name());
    String offText = f[3].strip();
    int offVar = ByteExtractKeyword.var(b, offText, pos, name());
    int off = offVar >= 0 ? 0 : Values.sint(offText, pos, name());
    Opts opts = Opts.parse(f, 4, pos, name(), false);
    ByteReader r = opts.reader(bytes, pos, name());
    ByteTestMatch m = new ByteTestMatch(pos, r, o, neg, val, off, opts.relative);
    m.valueVar = valueVar;
    m.offsetVar = offVar;
    b.add(m);
  }

  /** Options shared with byte_jump. */
  static final class Opts {
    boolean relative;
    boolean little;
    boolean string;
    int base = 10;
    long bitmask;
    long multiplier = 1;
    boolean align;
    boolean fromBeginning;
    boolean fromEnd;
    int postOffset;

    static Opts parse(String[] f, int from, int pos, String kw, boolean jump)
        throws RuleSyntaxException {
      Opts o = new Opts();
      for (int i = from; i < f.length; i++) {
        String t = f[i].strip();
        String[] kv = t.split("\\s+", 2);
        switch (kv[0]) {
          case "relative":
            o.relative = true;
            break;
          case "big":
            o.little = false;
            break;
          case "little":
            o.little = true;
            break;
          case "string":
            o.string = true;
            break;
          case "hex":
            o.base = 16;
            break;
          case "dec":
            o.base = 10;
            break;
          case "oct":
            o.base = 8;
            break;
          case "dce":
            throw RuleSyntaxException.skip(pos, kw, "option dce needs the DCERPC parser", kw + ":dce");
          case "bitmask":
            if (kv.length < 2) {
              throw RuleSyntaxException.error(pos, kw, "bitmask needs a value");
            }
            o.bitmask = Values.number(kv[1], pos, kw);
            break;
          case "multiplier":
            if (!jump || kv.length < 2) {
              throw RuleSyntaxException.error(pos, kw, "unknown option '" + t + "'");
            }
            o.multiplier = UintMatch.num(kv[1], pos, kw, 65535);
            break;
          case "align":
            o.align = true;
            break;
          case "from_beginning":
            o.fromBeginning = true;
            break;
          case "from_end":
            o.fromEnd = true;
            break;
          case "post_offset":
            if (!jump || kv.length < 2) {
              throw RuleSyntaxException.error(pos, kw, "unknown option '" + t + "'");
            }
            o.postOffset = Values.sint(kv[1], pos, kw);
            break;
          default:
            throw RuleSyntaxException.error(pos, kw, "unknown option '" + t + "'");
        }
        if (!jump && (o.align || o.fromBeginning || o.fromEnd)) {
          throw RuleSyntaxException.error(pos, kw, "unknown option '" + t + "'");
        }
      }
      return o;
    }

    ByteReader reader(int bytes, int pos, String kw) throws RuleSyntaxException {
      if (bytes == 0 && !(string && kw.equals("byte_test"))) {
        throw RuleSyntaxException.error(pos, kw, "bytes must be positive (0 only with string, in byte_test)");
      }
      if (string ? bytes > 20 : bytes > 8) {
        throw RuleSyntaxException.error(pos, kw, bytes + " bytes is too many (at most " + (string ? 20 : 8) + (string ? " with string" : " without string") + ")");
      }
      return new ByteReader(bytes, little, string, base, bitmask);
    }
  }
}

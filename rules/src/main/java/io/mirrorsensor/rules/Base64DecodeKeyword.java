package io.mirrorsensor.rules;

/**
 * {@code base64_decode[:bytes N][,offset N][,relative];} (detect-base64-decode.c): decodes base64
 * from the current buffer, at {@code offset} from its start (or from the previous match with
 * {@code relative}), at most {@code bytes} input bytes (default: to the end), stopping at the
 * first byte outside the alphabet (RFC 4648), into the detector's scratch, which {@code
 * base64_data} then inspects. Matches when something was decoded; does not move the
 * previous-match end.
 */
final class Base64DecodeKeyword implements Keyword {
  @Override
  public String name() {
    return "base64_decode";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    int bytes = 0;
    int offset = 0;
    boolean relative = false;
    if (value != null && !value.isBlank()) {
      for (String part : value.split(",")) {
        String[] kv = part.strip().split("\\s+");
        if (kv.length == 1 && kv[0].equals("relative")) {
          relative = true;
        } else if (kv.length == 2 && kv[0].equals("bytes")) {
          bytes = (int) UintMatch.num(kv[1], pos, name(), 65535);
          if (bytes == 0) {
            throw RuleSyntaxException.error(pos, name(), "bytes must be positive");
          }
        } else if (kv.length == 2 && kv[0].equals("offset")) {
          offset = (int) UintMatch.num(kv[1], pos, name(), 65535);
        } else {
          throw RuleSyntaxException.error(pos, name(), "unknown option '" + part.strip() + "' (bytes N, offset N, relative)");
        }
      }
    }
    b.hasBase64Decode = true;
    b.add(new Match(pos, bytes, offset, relative));
  }

  /** Decodes into {@link Inspection#base64}; the match of {@code base64_decode}. */
  static final class Match extends RelativeMatch {
    final int bytes;
    final int offset;

    Match(int pos, int bytes, int offset, boolean relative) {
      super("base64_decode", pos, relative);
      this.bytes = bytes;
      this.offset = offset;
    }


    @Override
    int eval(Span s, int prevEnd, Detector d) {
      Inspection in = d.inspection();
      in.base64Len = 0;
      long from = from(prevEnd, offset);
      if (from >= s.len) {
        return -1;
      }
      int to = bytes == 0 ? s.len : (int) Math.min(s.len, from + bytes);
      int need = (to - (int) from) / 4 * 3 + 3;
      if (in.base64.length < need) {
        in.base64 = new byte[Math.max(need, 256)]; // grows to the largest input seen
      }
      in.base64Len = Transform.FromBase64.decode(s.buf, s.off + (int) from, s.off + to, false,
          in.base64);
      return in.base64Len > 0 ? prevEnd : -1;
    }
  }
}

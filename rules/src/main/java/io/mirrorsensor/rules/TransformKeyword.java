package io.mirrorsensor.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A transform keyword ({@code dotprefix;}, {@code to_lowercase;}, {@code xor:"0d0a";} ...): the
 * current sticky buffer is rewritten before the payload keywords after it inspect it. As in
 * Suricata, a transform must follow a sticky buffer (not {@code pkt_data}); several apply in
 * rule order, and keywords before a transform keep inspecting the buffer as it was (Suricata
 * starts a new transformed buffer at the transform). The transforms differ only in their {@link
 * Transform}, so each is an instance of this class, listed by name in {@link
 * KeywordRegistry#standard()}.
 */
final class TransformKeyword implements Keyword {
  /** Makes the transform from the keyword's value (null when it has none). */
  interface Factory {
    Transform make(String value, int pos) throws RuleSyntaxException;
  }

  private final String name;
  private final Factory factory;

  TransformKeyword(String name, Factory factory) {
    this.name = name;
    this.factory = factory;
  }

  /** A transform without options. */
  static TransformKeyword plain(String name, java.util.function.Supplier<Transform> s) {
    return new TransformKeyword(name, (v, p) -> {
      Values.none(v, p, name);
      return s.get();
    });
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    if (b.buffer.root == StickyBuffer.PKT_DATA) {
      throw RuleSyntaxException.error(pos, name, "transforms must follow a sticky buffer (dns.query, http.uri ...), not the packet payload");
    }
    if (b.buffer.transforms.length >= MAX_TRANSFORMS) {
      throw RuleSyntaxException.error(pos, name, "more than " + MAX_TRANSFORMS + " transforms on one buffer");
    }
    b.buffer = StickyBuffer.transformed(b.buffer, factory.make(value, pos));
  }

  /** Suricata's DETECT_TRANSFORMS_MAX. */
  static final int MAX_TRANSFORMS = 16;

  static Transform xor(String value, int pos) throws RuleSyntaxException {
    String v = Values.quoted(value, pos, "xor").strip();
    if (v.isEmpty() || v.length() % 2 != 0 || v.length() > 510) {
      throw RuleSyntaxException.error(pos, "xor", "the key must be an even number of hex digits (1 to 255 bytes), got '" + v + "'");
    }
    byte[] key = new byte[v.length() / 2];
    for (int i = 0; i < key.length; i++) {
      int hi = Transform.hex(v.charAt(2 * i));
      int lo = Transform.hex(v.charAt(2 * i + 1));
      if (hi < 0 || lo < 0) {
        throw RuleSyntaxException.error(pos, "xor", "'" + v + "' is not hex");
      }
      key[i] = (byte) (hi << 4 | lo);
    }
    return new Transform.Xor(v, key);
  }

  static Transform pcrexform(String value, int pos) throws RuleSyntaxException {
    String re = Values.quoted(value, pos, "pcrexform");
    Pattern p;
    try {
      p = Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      throw RuleSyntaxException.skip(pos, "pcrexform", "RE2/J cannot run this regex (" + e.getDescription() + ")", "pcre (needs backtracking)");
    }
    if (p.groupCount() < 1) {
      throw RuleSyntaxException.error(pos, "pcrexform", "the regex needs a capture group");
    }
    return new Transform.PcreXform(re, p);
  }

  /** {@code from_base64[:bytes N, offset N, mode rfc4648|rfc2045|strict]}. */
  static Transform fromBase64(String value, int pos) throws RuleSyntaxException {
    int offset = 0;
    int bytes = 0;
    boolean skipInvalid = false;
    if (value != null && !value.isBlank()) {
      for (String part : value.split(",")) {
        String[] kv = part.strip().split("\\s+");
        if (kv.length != 2) {
          throw RuleSyntaxException.error(pos, "from_base64", "expected 'bytes N', 'offset N' or 'mode M', got '" + part.strip() + "'");
        }
        switch (kv[0]) {
          case "bytes":
            bytes = (int) Values.uint(kv[1], pos, "from_base64", 65535);
            break;
          case "offset":
            offset = (int) Values.uint(kv[1], pos, "from_base64", 65535);
            break;
          case "mode":
            if (!kv[1].equals("rfc4648") && !kv[1].equals("rfc2045") && !kv[1].equals("strict")) {
              throw RuleSyntaxException.error(pos, "from_base64", "mode is rfc4648, rfc2045 or strict, got '" + kv[1] + "'");
            }
            skipInvalid = kv[1].equals("rfc2045");
            break;
          default:
            throw RuleSyntaxException.error(pos, "from_base64", "unknown option '" + kv[0] + "'");
        }
      }
    }
    return new Transform.FromBase64(value == null ? null : value.strip(), offset, bytes, skipInvalid);
  }
}

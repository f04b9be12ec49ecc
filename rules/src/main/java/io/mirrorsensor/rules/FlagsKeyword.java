package io.mirrorsensor.rules;

/**
 * {@code flags:[+*!]FSRPAUCE0[,mask];} (also {@code tcp.flags}): TCP flags, see {@link
 * FlagsCheck}. Letters: F FIN, S SYN, R RST, P PSH, A ACK, U URG, C (or 1) CWR, E (or 2) ECE, 0 none.
 */
final class FlagsKeyword implements Keyword {
  @Override
  public String name() {
    return "flags";
  }

  @Override
  public String[] aliases() {
    return new String[] {"tcp.flags"};
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.required(value, pos, name()).strip();
    int comma = v.indexOf(',');
    String f = (comma < 0 ? v : v.substring(0, comma)).strip();
    String mask = comma < 0 ? "" : v.substring(comma + 1).strip();
    char mod = FlagsCheck.EXACT;
    StringBuilder letters = new StringBuilder();
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (c == '+' || c == '*' || c == '!') {
        if (mod != FlagsCheck.EXACT) {
          throw RuleSyntaxException.error(pos, name(), "more than one modifier in '" + f + "'");
        }
        mod = c;
      } else {
        letters.append(c);
      }
    }
    if (letters.length() == 0) {
      throw RuleSyntaxException.error(pos, name(), "no flags in '" + v + "'");
    }
    int bits = bits(letters.toString(), pos);
    int ignore = mask.isEmpty() ? 0 : bits(mask, pos);
    b.checks.add(new FlagsCheck(name(), pos, mod, bits, ignore));
    b.tcpOnly(pos, name());
  }

  private int bits(String s, int pos) throws RuleSyntaxException {
    int bits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case 'F':
          bits |= 0x01;
          break;
        case 'S':
          bits |= 0x02;
          break;
        case 'R':
          bits |= 0x04;
          break;
        case 'P':
          bits |= 0x08;
          break;
        case 'A':
          bits |= 0x10;
          break;
        case 'U':
          bits |= 0x20;
          break;
        case 'E':
        case '2':
          bits |= 0x40;
          break;
        case 'C':
        case '1':
          bits |= 0x80;
          break;
        case '0':
          break;
        default:
          throw RuleSyntaxException.error(pos, name(), "unknown flag '" + c + "' (FSRPAUCE0)");
      }
    }
    return bits;
  }
}

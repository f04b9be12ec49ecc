package io.mirrorsensor.rules;

/**
 * {@code tls.version:1.2;} the negotiated TLS version (the ServerHello's, with TLS 1.3's
 * supported_versions selection), as in Suricata's detect-tls-version.c: {@code 1.0}, {@code 1.1},
 * {@code 1.2}, {@code 1.3}, {@code 3.0} (SSLv3) or a hex number such as {@code 0x0303}. A
 * to_client keyword (the version is known from the server's answer).
 */
final class TlsVersionKeyword implements Keyword {
  @Override
  public String name() {
    return "tls.version";
  }

  @Override
  public void apply(RuleBuilder b, String value, int pos) throws RuleSyntaxException {
    String v = Values.quoted(value, pos, name()).strip();
    int version;
    switch (v) {
      case "1.0":
        version = 0x0301;
        break;
      case "1.1":
        version = 0x0302;
        break;
      case "1.2":
        version = 0x0303;
        break;
      case "1.3":
        version = 0x0304;
        break;
      case "3.0":
        version = 0x0300;
        break;
      default:
        if (!v.startsWith("0x") && !v.startsWith("0X")) {
          throw RuleSyntaxException.error(pos, name(), "expected 1.0, 1.1, 1.2, 1.3, 3.0 or a hex version like 0x0303, got '" + v + "'");
        }
        version = (int) Values.number(v, pos, name());
    }
    b.useApp(Protocols.APP_TLS, name(), pos);
    b.checks.add(new TlsVersionCheck(pos, version));
  }

  /** Compares the transaction's negotiated version. */
  static final class TlsVersionCheck extends PacketCheck {
    final int version;

    TlsVersionCheck(int pos, int version) {
      super("tls.version", pos);
      this.version = version;
    }

    @Override
    boolean test(io.mirrorsensor.decode.DecodedPacket p, FlowContext flow, long[] bits) {
      return false; // only meaningful on a transaction: see test(Inspection, ...)
    }

    @Override
    boolean test(Inspection in, io.mirrorsensor.decode.DecodedPacket p, FlowContext flow, long[] bits) {
      return in.tls != null && in.tls.version() == version;
    }

    @Override
    boolean needsPacket() {
      return false;
    }

    @Override
    boolean toClient() {
      return true;
    }
  }
}

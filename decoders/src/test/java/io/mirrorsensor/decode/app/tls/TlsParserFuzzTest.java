package io.mirrorsensor.decode.app.tls;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mirrorsensor.decode.StreamRecords;

/**
 * Jazzer target for {@link TlsParser}: both directions fed in fuzzer-chosen segments and gaps
 * ({@link StreamRecords}). Whatever the parser hands over must read back without an exception
 * and with its buffers inside their arrays. Seeds: {@code TlsParserFuzzTestInputs/parse/}.
 */
class TlsParserFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void parse(byte[] data) {
    TlsListener l = new TlsListener() {
      @Override
      public void clientHello(TlsTransaction t) {
        check(t);
      }

      @Override
      public void serverHello(TlsTransaction t) {
        check(t);
      }

      @Override
      public void certificate(TlsTransaction t) {
        check(t);
      }

      @Override
      public void complete(TlsTransaction t) {
        check(t);
      }
    };
    TlsParser p = new TlsParser(TlsConfig.defaults(), l);
    StreamRecords.feed(data, 0, p.toServer(), p.toClient(), p::time);
    p.close();
    if (p.transaction() != null) {
      check(p.transaction());
    }
  }

  static void check(TlsTransaction t) {
    for (TlsBuffer b : TlsBuffer.values()) {
      int len = t.length(b);
      if (len < 0) {
        continue;
      }
      byte[] bytes = t.bytes(b);
      int off = t.offset(b);
      assertNotNull(bytes, b.name());
      assertTrue(off >= 0 && off + len <= bytes.length, b.name() + " within its array");
      t.text(b);
    }
    t.versionText();
    t.sni();
    for (TlsHello h : new TlsHello[] {t.client(), t.server()}) {
      if (h == null) {
        continue;
      }
      h.ja3String();
      h.ja3Hash();
      if (h.isClient()) {
        h.ja4();
      }
      h.alpns();
      for (int i = 0; i < h.cipherSuiteCount(); i++) {
        h.cipherSuite(i);
      }
      for (int i = 0; i < h.extensionCount(); i++) {
        h.extensionType(i);
      }
    }
    TlsCertificate c = t.certificate();
    if (c != null) {
      c.subject();
      c.issuer();
      c.serial();
      c.notBeforeText();
    }
  }
}

package io.mirrorsensor.sensor.app;

import static org.junit.jupiter.api.Assertions.*;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.decode.PacketDecoder;
import io.mirrorsensor.decode.app.tls.TlsConfig;
import io.mirrorsensor.decode.app.tls.TlsListener;
import io.mirrorsensor.decode.app.tls.TlsParser;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.output.EveWriter;
import io.mirrorsensor.sensor.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code tls} EVE event (shared/EVE.md) from a hand-built TLS 1.2 handshake: ClientHello
 * (RFC 8446 4.1.2 layout), ServerHello, and a Certificate carrying the self-signed test
 * certificate of decoders' {@code TlsParserTest} (OpenSSL 3.0.19, see there).
 */
class TlsEveTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final byte[] CERT = Base64.getDecoder().decode(
      "MIIB/TCCAaOgAwIBAgIJAMEjRWeJq83vMAoGCCqGSM49BAMCMEQxCzAJBgNVBAYTAlVTMRowGAYDVQQKDBFNaXJy"
      + "b3IgVGVzdCwgSW5jLjEZMBcGA1UEAwwQd3d3LmV4YW1wbGUudGVzdDAeFw0yNjExMzAyMDE5MjdaFw0yNzEx"
      + "MzAyMDE5MjdaMEQxCzAJBgNVBAYTAlVTMRowGAYDVQQKDBFNaXJyb3IgVGVzdCwgSW5jLjEZMBcGA1UEAwwQ"
      + "d3d3LmV4YW1wbGUudGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABE2rMwaotnBhk5F99SVGKa67PIlP"
      + "N1PMr4Goug2VawxeWbYeQYjvwGKqWtP+FnlnMf1lE6HKtwow6HIT75bZ58WjfjB8MB0GA1UdDgQWBBQC6f1Y"
      + "prg8H0VC0Y9p5/76Y55MbTAfBgNVHSMEGDAWgBQC6f1Yprg8H0VC0Y9p5/76Y55MbTAPBgNVHRMBAf8EBTAD"
      + "AQH/MCkGA1UdEQQiMCCCEHd3dy5leGFtcGxlLnRlc3SCDGV4YW1wbGUudGVzdDAKBggqhkjOPQQDAgNIADBF"
      + "AiAiobx/M62B8MSTn+aPtUmygQONlymvOPiPgaNquXVitgIhAOOhgF/0LWZx0VpTK2hfvFnyHgjWx7PcfGjj"
      + "FRnCBudU");

  private static FlowKey key(int port) {
    byte[] b = new byte[40];
    b[0] = 0x45;
    b[3] = 40;
    b[8] = 64;
    b[9] = 6;
    b[12] = 10; b[15] = 1; b[16] = 10; b[19] = 2;
    b[20] = (byte) (40000 >> 8); b[21] = (byte) 40000;
    b[22] = (byte) (port >> 8); b[23] = (byte) port;
    b[32] = 0x50;
    DecodedPacket p = new DecodedPacket();
    new PacketDecoder(SensorConfig.defaults().decoderConfig()).decode(b, 0, 40, 40,
        LinkType.RAW, T0, p);
    return FlowKey.of(p, 0);
  }

  private static byte[] hex(String s) {
    byte[] r = new byte[s.length() / 2];
    for (int i = 0; i < r.length; i++) {
      r[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return r;
  }

  private static String h16(int v) {
    return String.format("%04x", v);
  }

  private static String h24(int v) {
    return String.format("%06x", v);
  }

  private static String record(String hs) {
    return "160303" + h16(hs.length() / 2) + hs;
  }

  private static String handshake(int type, String body) {
    return String.format("%02x", type) + h24(body.length() / 2) + body;
  }

  @Test
  void writesTlsEventWithCertificateAndFingerprints() throws Exception {
    String host = "www.example.test";
    String hostHex = hex(host.getBytes(StandardCharsets.US_ASCII));
    String sni = "0000" + h16(host.length() + 5) + h16(host.length() + 3) + "00"
        + h16(host.length()) + hostHex;
    String alpn = "0010" + "000e" + "000c" + "02" + "6832" + "08" + hex("http/1.1".getBytes());
    String groups = "000a" + "0006" + "0004" + "001d" + "0017";
    String points = "000b" + "0002" + "01" + "00";
    String exts = sni + alpn + groups + points;
    String ch = "0303" + "00".repeat(32) + "00" + "0006" + "0a0a" + "c02f" + "1301" + "0100"
        + h16(exts.length() / 2) + exts;
    String shExts = "ff01000100" + "0010" + "0005" + "0003" + "02" + "6832";
    String sh = "0303" + "11".repeat(32) + "00" + "c02f" + "00" + h16(shExts.length() / 2)
        + shExts;
    String der = hex(CERT);
    String certMsg = h24(CERT.length + 3) + h24(CERT.length) + der;
    byte[] up = hex(record(handshake(1, ch)) + "140303000101");
    byte[] down = hex(record(handshake(2, sh) + handshake(11, certMsg) + handshake(14, ""))
        + "140303000101");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FlowKey k = key(8443);
    try (EveWriter w = new EveWriter(out, SensorConfig.defaults())) {
      TlsParser p = new TlsParser(TlsConfig.defaults(), new TlsListener() {
        @Override
        public void complete(TlsTransaction t) {
          try {
            w.tls(k, true, 7, null, t);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
      p.time(T0);
      p.toServer().data(up, 0, up.length, 0);
      p.time(T0 + 1_000_000);
      p.toClient().data(down, 0, down.length, 0);
      p.close();
    }
    java.nio.file.Path f = java.nio.file.Files.createTempFile("eve", ".json");
    List<Map<String, Object>> ev;
    try {
      java.nio.file.Files.write(f, out.toByteArray());
      ev = Json.lines(f);
    } finally {
      java.nio.file.Files.delete(f);
    }
    assertEquals(1, ev.size(), ev::toString);
    Map<String, Object> e = ev.get(0);
    assertEquals("tls", e.get("event_type"));
    assertEquals("tls", e.get("app_proto"));
    assertEquals(7L, e.get("flow_id"));
    assertEquals(8443L, e.get("dest_port"));
    assertEquals("TCP", e.get("proto"));
    assertNotNull(e.get("community_id"));
    assertEquals("2023-11-14T22:13:20.000000+0000", e.get("timestamp"));
    assertEquals(host, Json.at(e, "tls.sni"));
    assertEquals("TLS 1.2", Json.at(e, "tls.version"));
    assertEquals("C=US, O=Mirror Test, Inc., CN=www.example.test", Json.at(e, "tls.subject"));
    assertEquals("C=US, O=Mirror Test, Inc., CN=www.example.test", Json.at(e, "tls.issuerdn"));
    assertEquals("00:C1:23:45:67:89:AB:CD:EF", Json.at(e, "tls.serial"));
    assertEquals("2026-11-30T20:19:27", Json.at(e, "tls.notbefore"));
    assertEquals("2027-11-30T20:19:27", Json.at(e, "tls.notafter"));
    // GREASE 0x0a0a left out of the JA3 string.
    assertEquals("771,49199-4865,0-16-10-11,29-23,0", Json.at(e, "tls.ja3.string"));
    assertEquals(32, ((String) Json.at(e, "tls.ja3.hash")).length());
    assertEquals("771,49199,65281-16", Json.at(e, "tls.ja3s.string"));
    assertTrue(((String) Json.at(e, "tls.ja4")).startsWith("t12d0204h2_"));
    assertEquals(List.of("h2", "http/1.1"), Json.at(e, "tls.client_alpns"));
    assertEquals("h2", Json.at(e, "tls.server_alpn"));
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }
}

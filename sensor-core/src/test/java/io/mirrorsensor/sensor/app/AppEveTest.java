package io.mirrorsensor.sensor.app;

import static org.junit.jupiter.api.Assertions.*;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.decode.PacketDecoder;
import io.mirrorsensor.decode.app.dns.DnsConfig;
import io.mirrorsensor.decode.app.dns.DnsParser;
import io.mirrorsensor.decode.app.http.HttpConfig;
import io.mirrorsensor.decode.app.http.HttpParser;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.output.EveWriter;
import io.mirrorsensor.sensor.testing.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code dns} and {@code http} EVE events (shared/EVE.md), from hand-built messages. */
class AppEveTest {
  private static final long T0 = 1_700_000_000_000_000_000L;

  /** A raw IPv4/UDP or TCP header pair 10.0.0.1:40000 -> 10.0.0.2:port, for a flow key. */
  private static FlowKey key(int proto, int port) {
    byte[] b = new byte[40];
    b[0] = 0x45;
    b[3] = 40;
    b[8] = 64;
    b[9] = (byte) proto;
    b[12] = 10; b[15] = 1; b[16] = 10; b[19] = 2;
    b[20] = (byte) (40000 >> 8); b[21] = (byte) 40000;
    b[22] = (byte) (port >> 8); b[23] = (byte) port;
    if (proto == 17) {
      b[25] = 8;
    } else {
      b[32] = 0x50;
    }
    DecodedPacket p = new DecodedPacket();
    new PacketDecoder(SensorConfig.defaults().decoderConfig()).decode(b, 0, 40, 40,
        LinkType.RAW, T0, p);
    return FlowKey.of(p, 0);
  }

  private static List<Map<String, Object>> lines(ByteArrayOutputStream out) throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("eve", ".json");
    java.nio.file.Files.write(f, out.toByteArray());
    try {
      return Json.lines(f);
    } finally {
      java.nio.file.Files.delete(f);
    }
  }

  @Test
  void writesDnsQueryAndAnswerWithLatencyAndTimedOutQuery() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FlowKey k = key(17, 53);
    try (EveWriter w = new EveWriter(out, SensorConfig.defaults())) {
      DnsParser p = new DnsParser(DnsConfig.defaults(), t -> {
        try {
          w.dns(k, true, 7, null, t);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      // www.example.com A, answered 12.5 ms later by 93.184.216.34 (hand-built, RFC 1035 4.1).
      byte[] q = hex("123401000001000000000000" + "03777777076578616d706c6503636f6d00" + "00010001");
      byte[] r = hex("123481800001000100000000" + "03777777076578616d706c6503636f6d00" + "00010001"
          + "c00c000100010000003c00045db8d822");
      p.onMessage(q, 0, q.length, T0, false);
      p.onMessage(r, 0, r.length, T0 + 12_500_000L, false);
      p.onMessage(q, 0, q.length, T0 + 20_000_000L, false);
      p.close();
    }
    List<Map<String, Object>> ev = lines(out);
    assertEquals(3, ev.size(), ev::toString);
    assertEquals("query", Json.at(ev.get(0), "dns.type"));
    assertEquals("www.example.com", Json.at(ev.get(0), "dns.rrname"));
    assertEquals("A", Json.at(ev.get(0), "dns.rrtype"));
    assertEquals(2L, Json.at(ev.get(0), "dns.version"));
    assertEquals("answer", Json.at(ev.get(1), "dns.type"));
    assertEquals("NOERROR", Json.at(ev.get(1), "dns.rcode"));
    assertEquals("8180", Json.at(ev.get(1), "dns.flags"));
    assertEquals(12.5, Json.at(ev.get(1), "dns.latency_ms"));
    @SuppressWarnings("unchecked")
    Map<String, Object> a = ((List<Map<String, Object>>) Json.at(ev.get(1), "dns.answers")).get(0);
    assertEquals("93.184.216.34", a.get("rdata"));
    assertEquals(60L, a.get("ttl"));
    assertEquals(List.of("93.184.216.34"), Json.at(ev.get(1), "dns.grouped.A"));
    assertEquals(Boolean.TRUE, Json.at(ev.get(2), "dns.timed_out"));
    assertEquals("dns", ev.get(0).get("app_proto"));
    assertEquals(7L, ev.get(0).get("flow_id"));
  }

  @Test
  void writesHttpWithLatencies() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FlowKey k = key(6, 80);
    try (EveWriter w = new EveWriter(out, SensorConfig.defaults())) {
      HttpParser p = new HttpParser(HttpConfig.defaults(), t -> {
        try {
          w.http(k, true, 9, null, t);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      byte[] q = ("GET /x?y HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: ua\r\n"
          + "Referer: http://r/\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] r = "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nno"
          .getBytes(StandardCharsets.US_ASCII);
      p.time(T0);
      p.toServer().data(q, 0, q.length, 0);
      p.time(T0 + 3_000_000L);
      p.toClient().data(r, 0, r.length - 2, 0);
      p.time(T0 + 4_250_000L);
      p.toClient().data(r, r.length - 2, 2, r.length - 2);
    }
    Map<String, Object> e = lines(out).get(0);
    assertEquals("http", e.get("event_type"));
    assertEquals("example.com", Json.at(e, "http.hostname"));
    assertEquals("/x?y", Json.at(e, "http.url"));
    assertEquals("ua", Json.at(e, "http.http_user_agent"));
    assertEquals("http://r/", Json.at(e, "http.http_refer"));
    assertEquals("text/html", Json.at(e, "http.http_content_type"));
    assertEquals("GET", Json.at(e, "http.http_method"));
    assertEquals("HTTP/1.1", Json.at(e, "http.protocol"));
    assertEquals(404L, Json.at(e, "http.status"));
    assertEquals(2L, Json.at(e, "http.length"));
    assertEquals(3.0, Json.at(e, "http.response_latency_ms"));
    assertEquals(4.25, Json.at(e, "http.response_complete_ms"));
    assertEquals("10.0.0.1", e.get("src_ip"));
  }

  private static byte[] hex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}

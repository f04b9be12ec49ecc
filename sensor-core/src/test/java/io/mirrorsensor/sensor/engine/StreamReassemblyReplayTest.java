package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.decode.tcp.StreamSink;
import io.mirrorsensor.sensor.capture.PcapWriter;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.flow.Flow;
import io.mirrorsensor.sensor.flow.StreamConsumerFactory;
import io.mirrorsensor.sensor.gen.Conversations;
import io.mirrorsensor.sensor.gen.Frames;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reassembled TCP streams through the real replay path (pipeline, workers, flow-table shards): a
 * test {@link StreamConsumerFactory} collects what each direction's {@link StreamSink} receives.
 */
class StreamReassemblyReplayTest {
  private static final long T0 = 1_705_312_800_000_000_000L;
  private static final long MS = 1_000_000L;

  /** The HTTP request of samples/*.pcap flow 1 (SampleGenerator, Conversations.http). */
  private static final String REQUEST = "GET /index.html HTTP/1.1\r\nHost: app.internal.example\r\n"
      + "User-Agent: mirrorsensor-gen/1.0\r\nAccept: */*\r\n\r\n";

  @TempDir Path tmp;

  /** What one direction's sink was given: bytes, gaps, and how often it was ended. */
  static final class Collected implements StreamSink {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<long[]> gaps = new ArrayList<>();
    long expectedOffset;
    int ends;
    boolean afterEnd;

    @Override
    public void data(byte[] buf, int off, int len, long offset) {
      afterEnd |= ends > 0;
      assertEquals(expectedOffset, offset, "offsets contiguous");
      bytes.write(buf, off, len);
      expectedOffset += len;
    }

    @Override
    public void gap(long offset, long len) {
      afterEnd |= ends > 0;
      assertEquals(expectedOffset, offset, "offsets contiguous");
      gaps.add(new long[] {offset, len});
      expectedOffset += len;
    }

    @Override
    public void end() {
      ends++;
    }

    String text() {
      return bytes.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** Sinks by "server port/direction"; workers are other threads. */
  private final Map<String, Collected> streams = new ConcurrentHashMap<>();

  private SensorConfig collecting(SensorConfig base) {
    return base.withStreamConsumers(() -> (Flow flow, boolean toServer) -> {
      int serverPort = flow.keySrcIsClient() ? flow.key().dstPort() : flow.key().srcPort();
      Collected c = new Collected();
      Collected old = streams.put(serverPort + (toServer ? "/toserver" : "/toclient"), c);
      assertTrue(old == null, "one sink per flow and direction");
      return c;
    });
  }

  private Map<String, Object> replay(SensorConfig cfg, Path... inputs) throws IOException {
    Path out = tmp.resolve("out" + System.nanoTime());
    ReplayRunner.replay(cfg, List.of(inputs), out, new PrintStream(PrintStream.nullOutputStream()));
    return Json.lines(out.resolve("eve.json")).stream()
        .filter(e -> "stats".equals(e.get("event_type"))).findFirst().orElseThrow();
  }

  private static String response() {
    byte[] head = Conversations.httpResponseHead(200, "text/html", 3000);
    return new String(head, StandardCharsets.ISO_8859_1) + htmlBody(3000);
  }

  /** A copy of bench's SampleGenerator.htmlBody (sensor-core tests cannot see bench). */
  private static String htmlBody(int length) {
    StringBuilder sb = new StringBuilder(length + 64);
    sb.append("<!DOCTYPE html>\n<html><head><title>mirrorsensor sample</title></head><body>\n");
    int line = 0;
    while (sb.length() < length - 15) {
      sb.append("<p>line ").append(line++)
          .append(": the quick brown fox jumps over the lazy dog</p>\n");
    }
    sb.setLength(Math.min(sb.length(), length - 15));
    while (sb.length() < length - 15) {
      sb.append(' ');
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private void assertHttpFlowDelivered() {
    Collected req = streams.get("80/toserver");
    Collected resp = streams.get("80/toclient");
    assertNotNull(req, "client stream opened: " + streams.keySet());
    assertNotNull(resp, "server stream opened: " + streams.keySet());
    assertEquals(REQUEST, req.text());
    assertEquals(response(), resp.text());
    for (Collected c : List.of(req, resp)) {
      assertTrue(c.gaps.isEmpty(), "no gaps");
      assertEquals(1, c.ends, "ended once, at the flow's end");
      assertTrue(!c.afterEnd, "nothing after end");
    }
    Collected health = streams.get("8080/toclient");
    assertNotNull(health);
    assertTrue(health.text().startsWith("HTTP/1.1 200 OK\r\n") && health.text().endsWith("ok\n"),
        health.text());
  }

  @Test
  void plainCaptureDeliversBothDirectionsOfTheHttpFlow() throws IOException {
    Map<String, Object> stats = replay(collecting(SensorConfig.defaults()),
        Dirs.root().resolve("samples/plain.pcap"));
    assertHttpFlowDelivered();
    assertEquals(4L, Json.at(stats, "stats.tcp.reassembly.streams"));
    assertEquals(0L, Json.at(stats, "stats.tcp.reassembly.depth_reached"));
  }

  @Test
  void vxlanCaptureWithEveryPacketTwiceDeliversTheBytesOnce() throws IOException {
    replay(collecting(SensorConfig.defaults()), Dirs.root().resolve("samples/vxlan.pcap"));
    assertHttpFlowDelivered();
  }

  @Test
  void noConsumerMeansNoReassembly() throws IOException {
    // With app.parsers off nothing consumes the streams, so nothing is reassembled.
    Map<String, Object> stats = replay(config("app.parsers", "false"),
        Dirs.root().resolve("samples/plain.pcap"));
    assertEquals(0L, Json.at(stats, "stats.tcp.reassembly.streams"));
  }

  @Test
  void theAppLayerConsumesEveryTcpDirectionByDefault() throws IOException {
    Map<String, Object> stats = replay(SensorConfig.defaults(),
        Dirs.root().resolve("samples/plain.pcap"));
    assertEquals(4L, Json.at(stats, "stats.tcp.reassembly.streams"), "2 TCP flows x 2 directions");
    assertEquals(2L, Json.at(stats, "stats.app.http_transactions"));
  }

  @Test
  void depthEndsTheStreamAndIsCounted() throws IOException {
    Map<String, Object> stats = replay(collecting(config("tcp.reassembly.depth", "64")),
        Dirs.root().resolve("samples/plain.pcap"));
    // All four directions (two HTTP flows) carry more than 64 bytes.
    assertEquals(4L, Json.at(stats, "stats.tcp.reassembly.depth_reached"));
    assertEquals(REQUEST.substring(0, 64), streams.get("80/toserver").text());
    assertEquals(response().substring(0, 64), streams.get("80/toclient").text());
    assertEquals(1, streams.get("80/toclient").ends);
    assertTrue(!streams.get("80/toclient").afterEnd);
  }

  /** Client data: SYN, then segments 2 and 3 (100 bytes each) before segment 1. */
  private Path outOfOrder() throws IOException {
    Path pcap = tmp.resolve("ooo.pcap");
    byte[] c = Frames.ip("10.0.1.10");
    byte[] s = Frames.ip("10.0.2.20");
    long isn = 1000;
    try (PcapWriter w = PcapWriter.create(pcap, LinkType.ETHERNET, 65535,
        PcapWriter.Resolution.NANO)) {
      byte[] syn = Frames.frame().ipv4(c, s).tcp(40000, 9000).flags(Frames.SYN).seq(isn).build();
      w.write(syn, 0, syn.length, syn.length, T0);
      int[] order = {1, 2, 0};
      for (int i = 0; i < order.length; i++) {
        byte[] data = new byte[100];
        java.util.Arrays.fill(data, (byte) ('a' + order[i]));
        byte[] f = Frames.frame().ipv4(c, s).tcp(40000, 9000).flags(Frames.ACK | Frames.PSH)
            .seq(isn + 1 + 100L * order[i]).ack(1).payload(data).build();
        w.write(f, 0, f.length, f.length, T0 + (i + 1) * MS);
      }
    }
    return pcap;
  }

  @Test
  void segmentBoundTurnsTheHoleIntoAGap() throws IOException {
    Map<String, Object> stats = replay(
        collecting(config("tcp.reassembly.max_segments", "1")), outOfOrder());
    Collected c = streams.get("9000/toserver");
    // Segment 3 finds the buffer full: the hole of segment 1 is given up, 2 and 3 follow.
    assertEquals(1, c.gaps.size());
    assertEquals(0L, c.gaps.get(0)[0]);
    assertEquals(100L, c.gaps.get(0)[1]);
    assertEquals("b".repeat(100) + "c".repeat(100), c.text());
    assertEquals(1L, Json.at(stats, "stats.tcp.reassembly.bound_hits"));
  }

  @Test
  void memcapRefusesBufferingAndTheLostBytesAreAGapAtTheEnd() throws IOException {
    Map<String, Object> stats = replay(collecting(config("tcp.reassembly.memcap", "10")),
        outOfOrder());
    Collected c = streams.get("9000/toserver");
    assertEquals("a".repeat(100), c.text());
    assertEquals(1, c.gaps.size(), "segments 2 and 3 refused, announced at the end");
    assertEquals(100L, c.gaps.get(0)[0]);
    assertEquals(200L, c.gaps.get(0)[1]);
    assertEquals(2L, Json.at(stats, "stats.tcp.reassembly.memcap_refusals"));
    assertEquals(1, c.ends);
  }

  private static SensorConfig config(String key, String value) {
    Properties p = new Properties();
    p.setProperty(key, value);
    return ConfigLoader.fromProperties(p, "test");
  }
}

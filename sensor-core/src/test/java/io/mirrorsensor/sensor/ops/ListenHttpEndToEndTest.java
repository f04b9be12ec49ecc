package io.mirrorsensor.sensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.cli.Main;
import io.mirrorsensor.sensor.live.VxlanSender;
import io.mirrorsensor.sensor.testing.Dirs;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mirrorsensor listen --port 0 --http 0} as a user runs it (a child JVM, a YAML config):
 * the sender's datagrams show up in /metrics, /health answers 200 with JSON, / is the status
 * page, and after SIGTERM the EMF file holds valid documents whose counts add up to what was sent.
 */
class ListenHttpEndToEndTest {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern HTTP = Pattern.compile("http on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path tmp;

  @Test
  void healthMetricsStatusPageAndEmfOfALiveRun() throws Exception {
    Path out = tmp.resolve("out");
    Path log = tmp.resolve("stderr.txt");
    Path cfg = tmp.resolve("sensor.yaml");
    Files.writeString(cfg, String.join("\n",
        "pipeline: {workers: 1, ring_size: 1024}",
        "live:",
        "  event_loops: 1",
        "  stats_interval: 1s",
        "ops:",
        "  snapshot_interval: 1s",
        "  emf: {output: emf.log, namespace: MirrorTest, sensor_name: e2e}",
        "vni:",
        "  101: {session: web-frontend}",
        ""));
    Process proc = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "listen", "--bind", "127.0.0.1", "--port", "0", "--http", "0",
        "--out", out.toString(), "--config", cfg.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      int udp = await(proc, log, LISTENING);
      int http = await(proc, log, HTTP);
      String base = "http://127.0.0.1:" + http;
      VxlanSender.Result sent = new VxlanSender(Dirs.root().resolve("samples/vxlan.pcap"), 1,
          new int[] {4789}).send(new InetSocketAddress("127.0.0.1", udp), 20_000, 1);
      assertEquals(44, sent.datagrams());

      // /metrics: within a few snapshot periods the counters show every datagram.
      Map<String, Double> m = Map.of();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r = get(client, base + "/metrics");
        assertEquals(200, r.statusCode());
        assertEquals(PrometheusText.CONTENT_TYPE, r.headers().firstValue("Content-Type")
            .orElse(""));
        m = PromGrammar.check(r.body());
        Double processed = PromGrammar.value(m, "mirrorsensor_processed_packets_total");
        if (processed != null && processed == 44.0) {
          OpsMetricsTest.assertPromtoolAccepts(r.body());
          break;
        }
        Thread.sleep(200);
      }
      assertEquals(44.0, PromGrammar.value(m, "mirrorsensor_received_datagrams_total"),
          Files.readString(log));
      assertEquals(27.0, PromGrammar.value(m, "mirrorsensor_vni_packets_total", "vni", "101",
          "session", "web-frontend"));
      assertEquals(17.0, PromGrammar.value(m, "mirrorsensor_vni_packets_total", "vni", "102",
          "session", ""));
      assertEquals(0.0, PromGrammar.value(m, "mirrorsensor_dropped_datagrams_total", "stage",
          "listener", "reason", "ring_full"));
      assertEquals(1.0, PromGrammar.value(m, "mirrorsensor_healthy"));

      HttpResponse<String> health = get(client, base + "/health");
      assertEquals(200, health.statusCode(), health.body());
      assertEquals("application/json", health.headers().firstValue("Content-Type").orElse(""));
      @SuppressWarnings("unchecked")
      Map<String, Object> hj = (Map<String, Object>) io.mirrorsensor.sensor.testing.Json.parse(
          health.body());
      assertEquals("ok", hj.get("status"));
      assertEquals(List.of(), hj.get("reasons"));

      HttpResponse<String> page = get(client, base + "/");
      assertEquals(200, page.statusCode());
      assertTrue(page.body().startsWith("<!DOCTYPE html>"), page.body());
      assertTrue(page.body().contains("http-equiv=\"refresh\""));
      assertTrue(page.body().contains("web-frontend"), page.body());
      assertTrue(!page.body().contains("src=\"http") && !page.body().contains("href=\"http"),
          "no external assets");
      assertEquals(404, get(client, base + "/nope").statusCode());
      HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());

      proc.destroy(); // SIGTERM
      assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "listen ended after SIGTERM");
      assertEquals(0, proc.exitValue(), Files.readString(log));

      long received = 0;
      long vni101 = 0;
      for (String line : Files.readAllLines(out.resolve("emf.log"))) {
        Map<String, Object> doc = RecentFindings.parse(line);
        EmfSpec.check(doc);
        if (doc.containsKey("Sensor")) {
          assertEquals("e2e", doc.get("Sensor"));
          received += ((Number) doc.get("Received")).longValue();
        } else if ("101".equals(doc.get("VNI"))) {
          vni101 += ((Number) doc.get("Packets")).longValue();
        }
      }
      assertEquals(44, received, "the intervals' counts add up to the run's");
      assertEquals(27, vni101);
    } finally {
      proc.destroyForcibly();
    }
  }

  private static HttpResponse<String> get(HttpClient c, String url) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int await(Process proc, Path log, Pattern p) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && proc.isAlive()) {
      if (Files.exists(log)) {
        Matcher m = p.matcher(Files.readString(log));
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("listen did not start: "
        + (Files.exists(log) ? Files.readString(log) : "(no output)"));
  }
}

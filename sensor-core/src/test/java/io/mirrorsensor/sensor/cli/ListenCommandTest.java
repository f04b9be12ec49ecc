package io.mirrorsensor.sensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.live.VxlanSender;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mirrorsensor listen} as a user runs it: a child JVM, stopped by SIGTERM. */
class ListenCommandTest {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path tmp;

  @Test
  void sigtermDrainsFlushesAndExitsZeroWithCountersThatAddUp() throws Exception {
    Path out = tmp.resolve("out");
    Path log = tmp.resolve("stderr.txt");
    Path cfg = tmp.resolve("listen.properties");
    // One worker and one loop: the child shares the machine with the build.
    Files.writeString(cfg, "pipeline.workers=1\nlive.event_loops=1\nlive.stats_interval=0\n");
    Process proc = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "listen", "--bind", "127.0.0.1", "--port", "0",
        "--out", out.toString(), "--config", cfg.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      int port = awaitPort(proc, log);
      VxlanSender sender = new VxlanSender(Dirs.root().resolve("samples/vxlan.pcap"), 1,
          new int[] {4789});
      VxlanSender.Result sent = sender.send(new InetSocketAddress("127.0.0.1", port), 0, 1);
      assertEquals(44, sent.datagrams());
      Thread.sleep(300); // the datagrams are in the socket buffer or beyond; stop drains them
      proc.destroy(); // SIGTERM
      assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "listen ended after SIGTERM");
      String text = Files.readString(log);
      assertEquals(0, proc.exitValue(), text);
      assertTrue(text.contains("received  44 datagrams"), text);
      assertTrue(text.contains("processed 44"), text);
      assertTrue(text.contains("dropped   0:"), text);
      assertTrue(text.contains("counters  add up"), text);

      List<String> lines = Files.readAllLines(out.resolve("eve.json"));
      long flows = 0;
      Map<String, Object> stats = null;
      for (String line : lines) {
        @SuppressWarnings("unchecked")
        Map<String, Object> e = (Map<String, Object>) Json.parse(line); // every line whole JSON
        if ("flow".equals(e.get("event_type"))) {
          flows++;
        } else if ("stats".equals(e.get("event_type"))) {
          stats = e;
        }
      }
      assertEquals(6, flows, "the sample's six flows, ended at shutdown");
      assertTrue(stats != null, "a final stats event");
      assertEquals(44L, ((Number) Json.at(stats, "stats.capture.received")).longValue());
      assertEquals(44L, ((Number) Json.at(stats, "stats.capture.processed")).longValue());
      assertTrue(Files.size(out.resolve("flows.log")) > 0, "flows.log flushed");
    } finally {
      proc.destroyForcibly();
    }
  }

  /** Waits for the "listening on" line and returns the port the child bound (--port 0). */
  private static int awaitPort(Process proc, Path log) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && proc.isAlive()) {
      if (Files.exists(log)) {
        Matcher m = LISTENING.matcher(Files.readString(log));
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

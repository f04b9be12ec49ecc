package io.mirrorsensor.sensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.live.VxlanSender;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mirrorsensor capture} as a user runs it: a child JVM, stopped by SIGTERM. */
class CaptureCommandTest {
  private static final String MISSING = "libpcap is not installed: apt-get install libpcap0.8";

  @TempDir Path tmp;

  private Process start(Path log, List<String> prefix, List<String> jvmArgs, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static void skipIfCannotCapture(String text) {
    if (text.contains(MISSING) || text.contains("needs root or CAP_NET_RAW")) {
      System.err.println("CaptureCommandTest: skipped, this machine cannot capture: " + text);
      Assumptions.abort(text);
    }
  }

  @Test
  void sigtermDrainsFlushesAndExitsZeroWithCountersThatAddUp() throws Exception {
    Path out = tmp.resolve("out");
    Path log = tmp.resolve("stderr.txt");
    Path cfg = tmp.resolve("capture.properties");
    try (DatagramChannel rx = DatagramChannel.open()) {
      rx.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ((InetSocketAddress) rx.getLocalAddress()).getPort();
      Files.writeString(cfg, "pipeline.workers=1\nlive.stats_interval=0\nvxlan.ports=4789,"
          + port + "\n");
      Process proc = start(log, List.of(), List.of(), "capture", "--interface", "lo",
          "--filter", "udp dst port " + port, "--out", out.toString(), "--config",
          cfg.toString());
      try {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String text = "";
        while (System.nanoTime() < deadline && proc.isAlive()
            && !(text = Files.readString(log)).contains("capturing on lo")) {
          Thread.sleep(20);
        }
        if (!proc.isAlive()) {
          proc.waitFor();
          skipIfCannotCapture(Files.readString(log));
        }
        assertTrue(text.contains("capturing on lo"), text);
        VxlanSender.Result sent = new VxlanSender(Dirs.root().resolve("samples/vxlan.pcap"), 1,
            new int[] {4789}).send(new InetSocketAddress("127.0.0.1", port), 20_000, 1);
        assertEquals(44, sent.datagrams());
        Thread.sleep(500); // captured by now, or still in libpcap's buffer: stop reads it
        proc.destroy(); // SIGTERM
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "capture ended after SIGTERM");
        text = Files.readString(log);
        assertEquals(0, proc.exitValue(), text);
        assertTrue(text.contains("captured  44 frames"), text);
        assertTrue(text.contains("processed 44"), text);
        assertTrue(text.contains("dropped   0: ring_full=0"), text);
        assertTrue(text.contains("counters  add up"), text);
        long flows = 0;
        for (Map<String, Object> e : Json.lines(out.resolve("eve.json"))) {
          if ("flow".equals(e.get("event_type"))) {
            flows++;
          }
        }
        assertEquals(6, flows, "the sample's six flows, ended at shutdown");
        assertTrue(Files.size(out.resolve("flows.log")) > 0, "flows.log flushed");
      } finally {
        proc.destroyForcibly();
      }
    }
  }

  @Test
  void withoutLibpcapItSaysWhatToInstallAndExitsOne() throws Exception {
    Path log = tmp.resolve("stderr.txt");
    // pcap4j loads the library named by this property: a path that does not exist is a machine
    // without libpcap
    Process proc = start(log, List.of(),
        List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so"), "capture",
        "--interface", "lo", "--out", tmp.resolve("out").toString());
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
    String text = Files.readString(log);
    assertEquals(1, proc.exitValue(), text);
    assertTrue(text.startsWith("mirrorsensor: " + MISSING), text);
    assertTrue(!Files.exists(tmp.resolve("out")), "no output touched");
  }

  @Test
  void withoutCapNetRawItSaysHowToGetItAndExitsOne() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (root && !Files.isExecutable(setpriv)) {
      System.err.println("CaptureCommandTest: skipped, root without setpriv cannot drop"
          + " CAP_NET_RAW for the child");
      Assumptions.abort("no setpriv");
    }
    Path log = tmp.resolve("stderr.txt");
    // as root: drop CAP_NET_RAW from the child's bounding set; otherwise the user lacks it
    Process proc = start(log,
        root ? List.of(setpriv.toString(), "--bounding-set=-net_raw") : List.of(), List.of(),
        "capture", "--interface", "lo", "--out", tmp.resolve("out").toString());
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
    String text = Files.readString(log);
    if (text.contains(MISSING) || (!root && proc.exitValue() != 1)) {
      System.err.println("CaptureCommandTest: skipped, no libpcap or java has CAP_NET_RAW: "
          + text);
      proc.destroyForcibly();
      Assumptions.abort(text);
    }
    assertEquals(1, proc.exitValue(), text);
    assertEquals("mirrorsensor: capturing on lo needs root or CAP_NET_RAW (setcap cap_net_raw+ep"
        + " on the java binary, or run as root)", text.strip());
  }
}

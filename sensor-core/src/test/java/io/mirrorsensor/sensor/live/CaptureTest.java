package io.mirrorsensor.sensor.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.engine.ReplayRunner;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapNativeException;

/**
 * {@code capture} on the loopback interface: a sender sends a capture's VXLAN mirror packets to a
 * local UDP socket, libpcap captures them on {@code lo}, and the sensor's flows equal replay's of
 * the same capture. Skips, saying why on stderr, where libpcap is missing or capturing is not
 * permitted (CI runs as root and installs libpcap: see .ci/run).
 */
class CaptureTest {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  @TempDir Path tmp;

  /** Opens {@code o}, or skips the test when this machine cannot capture. */
  static InterfaceCapture openOrSkip(InterfaceCapture.Options o)
      throws InterfaceCapture.SetupException {
    try {
      return InterfaceCapture.open(o);
    } catch (InterfaceCapture.SetupException e) {
      skipIfCannotCapture(e);
      throw e;
    }
  }

  static void skipIfCannotCapture(InterfaceCapture.SetupException e) {
    String m = e.getMessage();
    if (m.startsWith(InterfaceCapture.libpcapMissing())
        || m.startsWith(InterfaceCapture.permissionDenied(""))
        || m.contains("needs root or CAP_NET_RAW")) {
      System.err.println("CaptureTest: skipped, this machine cannot capture: " + m);
      Assumptions.abort(m);
    }
  }

  private static InterfaceCapture.Options lo(String filter) {
    return new InterfaceCapture.Options("lo", filter, 9216 + 64, 4 << 20, false);
  }

  @Test
  void captureOnLoopbackGivesTheSameFlowsAsReplayOfTheSentCapture() throws Exception {
    Path sample = Dirs.root().resolve("samples/vxlan.pcap");
    try (DatagramChannel rx = DatagramChannel.open()) {
      // Someone listens (no ICMP port unreachable for the sender), and the filter takes only
      // datagrams to this socket: other tests' loopback traffic stays out.
      rx.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
      rx.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ((InetSocketAddress) rx.getLocalAddress()).getPort();
      SensorConfig cfg = LiveListenerTest.config("vxlan.ports", "4789," + port,
          "pipeline.workers", "1", "live.stats_interval", "0");
      InterfaceCapture capture = openOrSkip(lo("udp dst port " + port));
      assertEquals(1, capture.linkType(), "lo is Ethernet to libpcap");
      CaptureRunner run = new CaptureRunner(cfg, capture, Outputs.open(tmp.resolve("cap"), cfg,
          QUIET), QUIET);
      run.start();
      VxlanSender.Result sent = new VxlanSender(sample, 1, new int[] {4789})
          .send(new InetSocketAddress("127.0.0.1", port), 20_000, 1);
      assertEquals(44, sent.datagrams());
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (run.captured() < 44 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(5_000_000);
      }
      CaptureSummary s = run.stop();
      assertEquals(44, s.captured(), s.render());
      assertEquals(44, s.processed(), s.render());
      assertEquals(0, s.ringFull(), s.render());
      assertTrue(s.countersAddUp(), s.render());
      assertEquals(0, s.kernelDropped(), s.render());
      // lo: the kernel counts each packet twice (sent and received), libpcap delivers it once
      assertTrue(capture.loopback());
      assertEquals(44, s.notDelivered(), s.render());
      assertTrue(s.render().contains("counters  add up"), s.render());

      ReplayRunner.replay(cfg, List.of(sample), tmp.resolve("replay"), QUIET);
      TreeSet<String> replayed = flows(tmp.resolve("replay/eve.json"));
      assertEquals(6, replayed.size());
      assertEquals(replayed, flows(tmp.resolve("cap/eve.json")));
      Map<String, Object> stats = Json.lines(tmp.resolve("cap/eve.json")).stream()
          .filter(e -> "stats".equals(e.get("event_type"))).findFirst().orElseThrow();
      assertEquals("lo", Json.at(stats, "stats.capture.interface"));
      assertEquals(44L, ((Number) Json.at(stats, "stats.capture.captured")).longValue());
      assertEquals(44L, ((Number) Json.at(stats, "stats.capture.processed")).longValue());
      assertEquals(88L, ((Number) Json.at(stats, "stats.capture.received")).longValue());
      assertEquals(27L, ((Number) Json.at(stats, "stats.vni.101.packets")).longValue());
    }
  }

  /** community_id, VNIs, packets and bytes per direction, mirror duplicates: one line per flow. */
  private static TreeSet<String> flows(Path eve) throws IOException {
    TreeSet<String> s = new TreeSet<>();
    for (Map<String, Object> e : Json.lines(eve)) {
      if ("flow".equals(e.get("event_type"))) {
        s.add(e.get("community_id") + " vni=" + Json.at(e, "vxlan.vni") + " vnis="
            + Json.at(e, "vxlan.vnis") + " " + Json.at(e, "flow.pkts_toserver") + "/"
            + Json.at(e, "flow.pkts_toclient") + " " + Json.at(e, "flow.bytes_toserver") + "/"
            + Json.at(e, "flow.bytes_toclient") + " dups=" + Json.at(e, "flow.mirror_duplicates"));
      }
    }
    return s;
  }

  @Test
  void anUnknownInterfaceListsTheAvailableOnes() {
    InterfaceCapture.SetupException e = assertThrows(InterfaceCapture.SetupException.class,
        () -> openOrSkip(new InterfaceCapture.Options("nosuch0", null, 9280, 1 << 20, false)));
    assertEquals(1, e.exitCode);
    assertTrue(e.getMessage().startsWith("no interface nosuch0; available: "), e.getMessage());
    assertTrue(List.of(e.getMessage().substring(e.getMessage().indexOf(": ") + 2).split(", "))
        .contains("lo"), e.getMessage());
  }

  @Test
  void aBadFilterIsNamedWithLibpcapsReason() {
    InterfaceCapture.SetupException e = assertThrows(InterfaceCapture.SetupException.class,
        () -> openOrSkip(lo("udp prt 4789")));
    assertEquals(2, e.exitCode);
    assertTrue(e.getMessage().startsWith("bad --filter 'udp prt 4789': "), e.getMessage());
    assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
  }

  @Test
  void activationErrorsBecomeMessagesThatSayWhatToDo() {
    InterfaceCapture.Options o = new InterfaceCapture.Options("eth7", null, 9280, 1 << 20, false);
    assertEquals("capturing on eth7 needs root or CAP_NET_RAW (setcap cap_net_raw+ep on the java"
        + " binary, or run as root)", InterfaceCapture.setupError(o,
            new PcapNativeException("eth7: You don't have permission to capture on that device"
                + " (socket: Operation not permitted)", InterfaceCapture.PCAP_ERROR_PERM_DENIED),
            null).getMessage());
    InterfaceCapture.SetupException gone = InterfaceCapture.setupError(o,
        new PcapNativeException("eth7: No such device exists", -5), null);
    assertEquals("no interface eth7; available: none", gone.getMessage());
    assertEquals(1, gone.exitCode);
    assertEquals("libpcap is not installed: apt-get install libpcap0.8",
        InterfaceCapture.libpcapMissing());
  }
}

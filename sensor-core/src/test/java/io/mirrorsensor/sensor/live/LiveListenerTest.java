package io.mirrorsensor.sensor.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.engine.ReplayRunner;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The live sensor end to end on loopback: a listener on an ephemeral port of 127.0.0.1, the
 * sender, the shutdown path, and the EVE output checked against replay of the same capture.
 */
class LiveListenerTest {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  @TempDir Path tmp;

  static SensorConfig config(String... kv) {
    Properties p = new Properties();
    p.setProperty("pipeline.ring_size", "1024"); // small slots count keeps the test heap small
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return ConfigLoader.fromProperties(p, "test");
  }

  private LiveRunner start(SensorConfig cfg, Path out, Runnable slow) throws Exception {
    LiveRunner r = new LiveRunner(cfg, "127.0.0.1", 0, -1, Outputs.open(out, cfg, QUIET), QUIET,
        slow);
    r.start();
    return r;
  }

  private LiveRunner startWithGeneve(SensorConfig cfg, Path out) throws Exception {
    LiveRunner r = new LiveRunner(cfg, "127.0.0.1", 0, 0, Outputs.open(out, cfg, QUIET), QUIET,
        null);
    r.start();
    return r;
  }

  private static void awaitReceived(LiveRunner r, long n) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (r.counters().received < n && System.nanoTime() < deadline) {
      LockSupport.parkNanos(5_000_000);
    }
  }

  /** community_id, first VNI, all VNIs, packets and bytes per direction: one line per flow. */
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
  void sentCaptureGivesTheSameFlowsAsReplayOfIt() throws Exception {
    Path sample = Dirs.root().resolve("samples/vxlan.pcap");
    SensorConfig cfg = config();
    LiveRunner live = start(cfg, tmp.resolve("live"), null);
    VxlanSender sender = new VxlanSender(sample, 1, new int[] {4789});
    VxlanSender.Result sent = sender.send(new InetSocketAddress("127.0.0.1", live.port()), 20_000,
        1);
    awaitReceived(live, sent.datagrams());
    LiveSummary s = live.stop();
    assertEquals(44, sent.datagrams());
    assertEquals(44, s.received());
    assertEquals(44, s.processed());
    assertTrue(s.countersAddUp(), s.render());

    ReplayRunner.replay(cfg, List.of(sample), tmp.resolve("replay"), QUIET);
    TreeSet<String> replayed = flows(tmp.resolve("replay/eve.json"));
    assertEquals(6, replayed.size());
    assertEquals(replayed, flows(tmp.resolve("live/eve.json")));
    // The final stats event says the same.
    Map<String, Object> stats = Json.lines(tmp.resolve("live/eve.json")).stream()
        .filter(e -> "stats".equals(e.get("event_type"))).findFirst().orElseThrow();
    assertEquals(44L, ((Number) Json.at(stats, "stats.capture.received")).longValue());
    assertEquals(44L, ((Number) Json.at(stats, "stats.capture.processed")).longValue());
    assertEquals(27L, ((Number) Json.at(stats, "stats.vni.101.packets")).longValue());
  }

  @Test
  void liveWritesTheSameAppEventsAndRuleAlertsAsReplay() throws Exception {
    Path sample = Dirs.root().resolve("samples/vxlan.pcap");
    io.mirrorsensor.rules.RuleSet set = io.mirrorsensor.rules.RuleLoader.loadText("test.rules",
        io.mirrorsensor.sensor.engine.RulesAndAppReplayTest.RULES,
        io.mirrorsensor.rules.RuleOptions.defaults());
    SensorConfig cfg = config().withRules(set);
    LiveRunner live = start(cfg, tmp.resolve("live"), null);
    VxlanSender.Result sent = new VxlanSender(sample, 1, new int[] {4789})
        .send(new InetSocketAddress("127.0.0.1", live.port()), 20_000, 1);
    awaitReceived(live, sent.datagrams());
    live.stop();
    ReplayRunner.replay(cfg, List.of(sample), tmp.resolve("replay"), QUIET);
    for (String type : new String[] {"http", "dns", "alert"}) {
      assertEquals(appEvents(tmp.resolve("replay/eve.json"), type),
          appEvents(tmp.resolve("live/eve.json"), type), type + " events, live vs replay");
    }
    assertEquals(2, appEvents(tmp.resolve("live/eve.json"), "alert").size());
  }

  /** The type's events without the fields that differ live (time, pcap_cnt, flow_id). */
  private static TreeSet<String> appEvents(Path eve, String type) throws IOException {
    TreeSet<String> s = new TreeSet<>();
    for (Map<String, Object> e : Json.lines(eve)) {
      if (type.equals(e.get("event_type"))) {
        s.add(e.get("community_id") + " " + e.get("src_ip") + " " + Json.at(e, "alert.signature_id")
            + " " + Json.at(e, "http.url") + " " + Json.at(e, "http.status") + " "
            + Json.at(e, "dns.type") + " " + Json.at(e, "dns.rrname"));
      }
    }
    return s;
  }

  @Test
  void geneveFromAGatewayLoadBalancerGivesTheSameFlowsWithItsIds() throws Exception {
    Path sample = Dirs.root().resolve("samples/vxlan.pcap");
    SensorConfig cfg = config();
    LiveRunner live = startWithGeneve(cfg, tmp.resolve("live"));
    assertTrue(live.genevePort() > 0 && live.genevePort() != live.port());
    VxlanSender sender = new VxlanSender(sample, 1, new int[] {4789});
    sender.wrapInGeneve(0x0a1b2c3d4e5f6071L, 0x8899aabbccddeeffL);
    VxlanSender.Result sent = sender.send(
        new InetSocketAddress("127.0.0.1", live.genevePort()), 20_000, 1);
    // and one VXLAN datagram beside it on the VXLAN port (an ARP frame: no flow), counted apart
    try (java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open()) {
      byte[] d = new byte[8 + 14 + 28];
      d[0] = 0x08;
      d[6] = 9;
      d[8 + 12] = 0x08;
      d[8 + 13] = 0x06;
      ch.send(java.nio.ByteBuffer.wrap(d), new InetSocketAddress("127.0.0.1", live.port()));
    }
    awaitReceived(live, sent.datagrams() + 1);
    LiveSummary s = live.stop();
    assertEquals(44, sent.datagrams());
    assertEquals(44L, s.receivedByEncapsulation().get("geneve"), s.render());
    assertEquals(1L, s.receivedByEncapsulation().get("vxlan"), s.render());
    assertEquals(s.received(), s.processed(), s.render());
    assertTrue(s.countersAddUp(), s.render());

    ReplayRunner.replay(cfg, List.of(sample), tmp.resolve("replay"), QUIET);
    assertEquals(flows(tmp.resolve("replay/eve.json")), flows(tmp.resolve("live/eve.json")));
    List<Map<String, Object>> events = Json.lines(tmp.resolve("live/eve.json"));
    int withIds = 0;
    for (Map<String, Object> e : events) {
      if ("flow".equals(e.get("event_type")) && Json.at(e, "vxlan.geneve") != null) {
        withIds++;
        assertEquals("0a1b2c3d4e5f6071", Json.at(e, "vxlan.geneve.endpoint_id"));
        assertEquals("8899aabbccddeeff", Json.at(e, "vxlan.geneve.attachment_id"));
        assertTrue(((String) Json.at(e, "vxlan.geneve.flow_cookie")).matches("[0-9a-f]{8}"));
        // the mirror context is the VXLAN packet's, not the load balancer's
        assertTrue(((String) Json.at(e, "vxlan.source_ip")).startsWith("10."), e.toString());
      }
    }
    assertEquals(6, withIds);
    Map<String, Object> stats = events.stream()
        .filter(e -> "stats".equals(e.get("event_type"))).findFirst().orElseThrow();
    assertEquals(44L,
        ((Number) Json.at(stats, "stats.capture.encapsulation.geneve")).longValue());
    assertEquals(44L, ((Number) Json.at(stats, "stats.decoder.geneve")).longValue());
  }

  @Test
  void datagramsThatAreNotGeneveAreCountedOnTheGenevePort() throws Exception {
    LiveRunner live = startWithGeneve(config(), tmp.resolve("live"));
    try (java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open()) {
      ch.connect(new InetSocketAddress("127.0.0.1", live.genevePort()));
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 8})); // too short
      byte[] v1 = new byte[64];
      v1[0] = 0x40; // version 1
      v1[2] = 8;
      ch.write(java.nio.ByteBuffer.wrap(v1));
      byte[] longOpts = new byte[16];
      longOpts[0] = 0x3F; // 252 bytes of options in a 16-byte datagram
      longOpts[2] = 8;
      ch.write(java.nio.ByteBuffer.wrap(longOpts));
    }
    awaitReceived(live, 3);
    LiveSummary s = live.stop();
    assertEquals(3, s.dropped("not_geneve"), s.render());
    assertEquals(0, s.processed());
    assertTrue(s.countersAddUp());
  }

  @Test
  void plainCaptureIsWrappedWithTheGivenVni() throws Exception {
    Path sample = Dirs.root().resolve("samples/plain.pcap");
    SensorConfig cfg = config();
    LiveRunner live = start(cfg, tmp.resolve("live"), null);
    VxlanSender.Result sent = new VxlanSender(sample, 4242, new int[] {4789})
        .send(new InetSocketAddress("127.0.0.1", live.port()), 20_000, 1);
    awaitReceived(live, sent.datagrams());
    live.stop();
    ReplayRunner.replay(cfg, List.of(sample), tmp.resolve("replay"), QUIET);
    TreeSet<String> expected = new TreeSet<>();
    for (String f : flows(tmp.resolve("replay/eve.json"))) {
      expected.add(f.replace("vni=null", "vni=4242"));
    }
    assertEquals(expected, flows(tmp.resolve("live/eve.json")));
  }

  /**
   * Every wait strategy delivers every packet, and the worker's batched latency recording
   * (one clock read per ring batch) gives every processed packet a latency sample.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sleeping", "parking", "blocking", "yielding"})
  void everyWaitStrategyProcessesEveryPacketWithItsLatency(String wait) throws Exception {
    Path sample = Dirs.root().resolve("samples/vxlan.pcap");
    SensorConfig cfg = config("pipeline.wait_strategy", wait, "pipeline.workers", "2");
    LiveRunner live = start(cfg, tmp.resolve("live"), null);
    VxlanSender.Result sent = new VxlanSender(sample, 1, new int[] {4789})
        .send(new InetSocketAddress("127.0.0.1", live.port()), 20_000, 3);
    awaitReceived(live, sent.datagrams());
    LiveSummary s = live.stop();
    assertEquals(132, s.received(), s.render());
    assertEquals(132, s.processed(), s.render());
    assertEquals(132, s.latency().getTotalCount(), s.render());
    assertTrue(s.countersAddUp(), s.render());
  }

  @Test
  void countersAddUpWhenASlowWorkerOverflowsItsRing() throws Exception {
    Path sample = Dirs.root().resolve("samples/vxlan.pcap");
    SensorConfig cfg = config("pipeline.ring_size", "64", "pipeline.workers", "1");
    // 200 us per packet: at most 5,000 packets/s, against an unpaced sender.
    LiveRunner live = start(cfg, tmp.resolve("live"), () -> LockSupport.parkNanos(200_000));
    VxlanSender.Result sent = new VxlanSender(sample, 1, new int[] {4789})
        .send(new InetSocketAddress("127.0.0.1", live.port()), 0, 100);
    // No wait: stop() itself reads what the kernel still holds before closing (under CPU load
    // the receive loops lag the sender; a socket closed with datagrams queued loses them
    // silently: this test once saw "sent 4,400, received 2,710, kernel drops 0").
    LiveSummary s = live.stop();
    assertEquals(4400, sent.datagrams() + sent.failed());
    assertTrue(s.dropped("ring_full") > 0, "the ring overflowed: " + s.render());
    assertTrue(s.processed() > 0);
    assertEquals(s.received(), s.processed() + s.droppedTotal(), s.render());
    assertEquals(0, s.unreadBytesAtClose(), s.render());
    assertEquals(sent.datagrams(), s.received() + Math.max(0, s.kernelDrops()),
        "every datagram sent was received or dropped by the kernel: " + s.render()
            + " (sends failed: " + sent.failed() + ")");
  }

  @Test
  void disallowedSourcesAndVnisAreCountedAndProduceNoEvents() throws Exception {
    Path sample = Dirs.root().resolve("samples/vxlan.pcap");
    SensorConfig noSource = config("live.allow_sources", "10.0.0.0/8, fd00::/8");
    LiveRunner live = start(noSource, tmp.resolve("src"), null);
    new VxlanSender(sample, 1, new int[] {4789})
        .send(new InetSocketAddress("127.0.0.1", live.port()), 20_000, 1);
    awaitReceived(live, 44);
    LiveSummary s = live.stop();
    assertEquals(44, s.dropped("source_not_allowed"), s.render());
    assertEquals(0, s.processed());
    assertTrue(flows(tmp.resolve("src/eve.json")).isEmpty());

    SensorConfig only101 = config("live.allow_vnis", "101", "live.allow_sources", "127.0.0.0/8");
    live = start(only101, tmp.resolve("vni"), null);
    new VxlanSender(sample, 1, new int[] {4789})
        .send(new InetSocketAddress("127.0.0.1", live.port()), 20_000, 1);
    awaitReceived(live, 44);
    s = live.stop();
    assertEquals(17, s.dropped("vni_not_allowed"), s.render());
    assertEquals(27, s.processed());
    assertTrue(s.countersAddUp());
    // The listener's per-VNI counts (before the rings) show where the drops were.
    java.util.Map<Integer, long[]> perVni = live.counters().perVni;
    assertEquals(java.util.Set.of(101, 102), perVni.keySet());
    assertEquals(27, perVni.get(101)[0]);
    assertEquals(0, perVni.get(101)[2]);
    assertEquals(17, perVni.get(102)[0]);
    assertEquals(17, perVni.get(102)[2]);
    assertEquals(s.receivedBytes(), perVni.get(101)[1] + perVni.get(102)[1]);
    for (String f : flows(tmp.resolve("vni/eve.json"))) {
      assertTrue(f.contains("vni=101"), f);
    }
  }

  @Test
  void datagramsThatAreNotVxlanAreCountedNotProcessed() throws Exception {
    SensorConfig cfg = config();
    LiveRunner live = start(cfg, tmp.resolve("live"), null);
    try (java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open()) {
      ch.connect(new InetSocketAddress("127.0.0.1", live.port()));
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3})); // too short
      ch.write(java.nio.ByteBuffer.wrap(new byte[64])); // I flag clear
    }
    awaitReceived(live, 2);
    LiveSummary s = live.stop();
    assertEquals(2, s.dropped("not_vxlan"));
    assertEquals(0, s.processed());
    assertTrue(s.countersAddUp());
  }

  /**
   * UDP GRO: 48 equal-sized VXLAN datagrams (12 flows x 4 packets) sent as one GSO buffer
   * (UDP_SEGMENT) reach a GRO socket as one coalesced buffer, which must be split back into its 48
   * datagrams before the ring. With GRO off the kernel cuts the buffer on the way; both runs must
   * give the same flows. (Netty's recvmmsg path does not read the segment size: a listener that
   * combined it with GRO would see one 48-datagram blob, too long for a slot.)
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void coalescedRunOfDatagramsIsSplitBackIntoEachDatagram(boolean gro) throws Exception {
    assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "needs the epoll transport (Linux)");
    assumeTrue(io.netty.channel.epoll.EpollDatagramChannel.isSegmentedDatagramPacketSupported(),
        "needs UDP_SEGMENT (Linux 4.18) to send one GSO buffer");
    assumeTrue(!gro || VxlanListener.udpGroAvailable(), "needs UDP GRO (Linux 5.0)");
    // Checksums checked: the outer IPv4 header the listener writes before each frame included.
    SensorConfig cfg = config("live.udp_gro", String.valueOf(gro),
        "decoder.validate_checksums", "true");
    LiveRunner live = start(cfg, tmp.resolve("live"), null);
    assertEquals(gro ? "UDP GRO" : "recvmmsg", live.readMode());
    int size = 0;
    io.netty.buffer.ByteBuf run = io.netty.buffer.Unpooled.directBuffer();
    for (int i = 0; i < 48; i++) {
      int flow = i % 12;
      byte[] inner = io.mirrorsensor.sensor.gen.Frames.frame()
          .ipv4(new byte[] {10, 1, 0, (byte) flow}, new byte[] {10, 2, 0, 1})
          .ipId(i).udp(30000 + flow, 4000).payload(new byte[] {(byte) i, 1, 2, 3}).build();
      byte[] d = new byte[8 + inner.length];
      d[0] = 0x08;
      d[6] = 7; // VNI 7
      System.arraycopy(inner, 0, d, 8, inner.length);
      size = d.length;
      run.writeBytes(d);
    }
    io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
        io.netty.channel.epoll.EpollIoHandler.newFactory());
    try {
      io.netty.channel.Channel ch = new io.netty.bootstrap.Bootstrap().group(group)
          .channel(io.netty.channel.epoll.EpollDatagramChannel.class)
          .handler(new io.netty.channel.ChannelInboundHandlerAdapter())
          .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      ch.writeAndFlush(new io.netty.channel.unix.SegmentedDatagramPacket(run, size,
          new InetSocketAddress("127.0.0.1", live.port()))).sync();
      ch.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
    awaitReceived(live, 48);
    LiveSummary s = live.stop();
    assertEquals(48, s.received(), s.render());
    assertEquals(48, s.processed(), s.render());
    assertEquals(0, s.dropped("oversized"), s.render());
    assertTrue(s.countersAddUp(), s.render());
    TreeSet<String> f = flows(tmp.resolve("live/eve.json"));
    assertEquals(12, f.size(), f.toString());
    for (String line : f) {
      assertTrue(line.contains("vni=7 ") && line.contains(" 4/0 "), line);
    }
    assertEquals(List.of(), Json.lines(tmp.resolve("live/eve.json")).stream()
        .filter(e -> "anomaly".equals(e.get("event_type"))).toList());
  }
}

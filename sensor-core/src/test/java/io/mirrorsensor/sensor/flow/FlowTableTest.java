package io.mirrorsensor.sensor.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.DecodeStatus;
import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.decode.PacketDecoder;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.gen.Frames;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The flow table on real frames from {@link Frames}, decoded by the real decoder. */
class FlowTableTest {
  private static final long T0 = 1_705_312_800_000_000_000L; // 2024-01-15T10:00:00Z
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;
  private static final byte[] C = Frames.ip("10.0.1.10");
  private static final byte[] SRV = Frames.ip("10.0.2.20");
  private static final byte[] ENI_A = Frames.ip("10.0.1.10");
  private static final byte[] ENI_B = Frames.ip("10.0.2.20");
  private static final byte[] TARGET = Frames.ip("10.0.0.250");

  /** Records what the table writes. */
  static final class Recorder implements FlowSink {
    final List<String> ended = new ArrayList<>();
    final List<long[]> counts = new ArrayList<>();

    @Override
    public void flowEnded(Flow f, EndReason reason) {
      ended.add(reason.id() + " " + f.key().proto() + " " + f.key().srcPort() + "-"
          + f.key().dstPort() + " " + f.state());
      counts.add(new long[] {f.pktsToServer(), f.pktsToClient(), f.bytesToServer(),
          f.bytesToClient(), f.mirrorDuplicates(), f.vniCount(), f.truncatedPackets()});
    }

    @Override
    public void finding(Flow f, io.mirrorsensor.decode.tcp.TcpFinding finding, long tsNanos) {}
  }

  private final Recorder sink = new Recorder();
  private final PacketDecoder decoder = new PacketDecoder(SensorConfig.defaults().decoderConfig());
  private final DecodedPacket p = new DecodedPacket();
  private FlowTable table = new FlowTable(SensorConfig.defaults(), sink);

  private static SensorConfig config(String... kv) {
    Properties props = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      props.setProperty(kv[i], kv[i + 1]);
    }
    return ConfigLoader.fromProperties(props, "test");
  }

  private Flow feed(byte[] frame, long ts) {
    return feed(frame, frame.length, ts, 0);
  }

  private Flow feed(byte[] frame, int capLen, long ts, int network) {
    DecodeStatus st = decoder.decode(frame, 0, capLen, frame.length, LinkType.ETHERNET, ts, p);
    assertTrue(st == DecodeStatus.OK || st == DecodeStatus.TRUNCATED, "decoded: " + st);
    assertTrue(p.hasFlowKey(), "frame has a flow key");
    return table.packet(p, network, FlowKey.hash(p, network));
  }

  private static byte[] tcp(byte[] src, byte[] dst, int sp, int dp, int flags) {
    return Frames.frame().ipv4(src, dst).tcp(sp, dp).flags(flags).seq(1000).ack(2000).build();
  }

  private static byte[] udp(byte[] src, byte[] dst, int sp, int dp, String payload) {
    return Frames.frame().ipv4(src, dst).udp(sp, dp).payload(payload.getBytes()).build();
  }

  @Test
  void bothDirectionsJoinOneFlowAndTheSynSenderIsTheClient() {
    Flow a = feed(tcp(C, SRV, 49152, 80, Frames.SYN), T0);
    Flow b = feed(tcp(SRV, C, 80, 49152, Frames.SYN | Frames.ACK), T0 + MS);
    Flow c = feed(tcp(C, SRV, 49152, 80, Frames.ACK), T0 + 2 * MS);
    assertSame(a, b);
    assertSame(a, c);
    assertEquals(1, table.active());
    assertEquals(2, a.pktsToServer());
    assertEquals(1, a.pktsToClient());
    assertEquals(80, a.bytesToServer(), "IP bytes: 2 x (20 IP + 20 TCP)");
    assertEquals("established", a.state());
    assertEquals(Flow.TcpState.ESTABLISHED, a.tcpState());
    assertEquals(0x02 | 0x10, a.tcpFlagsToServer());
    assertEquals(0x12, a.tcpFlagsToClient());
  }

  @Test
  void aFlowFirstSeenAtItsSynAckTakesTheReceiverAsClient() {
    Flow f = feed(tcp(SRV, C, 80, 49152, Frames.SYN | Frames.ACK), T0);
    assertFalse(f.keySrcIsClient());
    assertEquals(0, f.pktsToServer());
    assertEquals(1, f.pktsToClient());
  }

  @Test
  void idleFlowsEndByPacketTimeNotWallClock() {
    feed(udp(C, SRV, 5000, 53, "q"), T0);
    feed(udp(C, SRV, 5001, 53, "q"), T0 + 30 * S);
    assertTrue(sink.ended.isEmpty());
    feed(udp(C, SRV, 5002, 53, "q"), T0 + 60 * S);
    assertTrue(sink.ended.isEmpty(), "60 s idle is not past the 60 s timeout");
    feed(udp(C, SRV, 5002, 53, "q"), T0 + 61 * S + S / 1000);
    assertEquals(List.of("timeout 17 5000-53 new"), sink.ended,
        "ended within 1 s (the lane granularity) after its timeout");
    assertEquals(2, table.active());
    assertEquals(1, table.timedOut());
  }

  @Test
  void closedTcpFlowsUseTheShortTimeout() {
    feed(tcp(C, SRV, 49152, 80, Frames.SYN), T0);
    feed(tcp(SRV, C, 80, 49152, Frames.SYN | Frames.ACK), T0 + MS);
    feed(tcp(C, SRV, 49152, 80, Frames.ACK), T0 + 2 * MS);
    feed(tcp(C, SRV, 49152, 80, Frames.FIN | Frames.ACK), T0 + 3 * MS);
    feed(tcp(SRV, C, 80, 49152, Frames.FIN | Frames.ACK), T0 + 4 * MS);
    feed(udp(C, SRV, 7000, 7, "x"), T0 + 4 * S);
    assertTrue(sink.ended.isEmpty(), "closed 5 s timeout not reached yet");
    feed(udp(C, SRV, 7000, 7, "x"), T0 + 6 * S);
    assertEquals(List.of("timeout 6 49152-80 closed"), sink.ended);
  }

  @Test
  void establishedTcpOutlivesTheIdleTimeout() {
    feed(tcp(C, SRV, 49152, 80, Frames.SYN), T0);
    feed(tcp(SRV, C, 80, 49152, Frames.SYN | Frames.ACK), T0 + MS);
    feed(tcp(C, SRV, 49152, 80, Frames.ACK), T0 + 2 * MS);
    feed(udp(C, SRV, 7000, 7, "x"), T0 + 120 * S);
    assertTrue(sink.ended.isEmpty(), "established TCP idles out after 300 s, not 60 s");
    feed(udp(C, SRV, 7001, 7, "x"), T0 + 302 * S);
    assertEquals(List.of("timeout 17 7000-7 new", "timeout 6 49152-80 established"), sink.ended);
  }

  @Test
  void theFlowBoundEvictsTheLeastRecentlySeenFlow() {
    table = new FlowTable(config("flow.max_flows", "2"), sink);
    feed(udp(C, SRV, 1, 53, "a"), T0);
    feed(udp(C, SRV, 2, 53, "b"), T0 + MS);
    feed(udp(C, SRV, 1, 53, "a2"), T0 + 2 * MS); // flow 1 is now the most recent
    feed(udp(C, SRV, 3, 53, "c"), T0 + 3 * MS);
    assertEquals(List.of("forced 17 2-53 new"), sink.ended);
    assertEquals(1, table.evicted());
    assertEquals(2, table.active());
  }

  @Test
  void aMirrorDuplicateUnderAnotherVniIsCountedNotAccounted() {
    byte[] inner = tcp(C, SRV, 49152, 80, Frames.ACK | Frames.PSH);
    byte[] copyA = Frames.vxlan(ENI_A, TARGET, 101, inner);
    byte[] copyB = Frames.vxlan(ENI_B, TARGET, 102, Frames.withTtl(inner, 63));
    Flow f = feed(copyA, T0);
    assertNull(feed(copyB, T0 + 5_000), "the second copy is a mirror duplicate");
    assertEquals(1, f.pktsToServer());
    assertEquals(1, f.mirrorDuplicates());
    assertEquals(2, f.vniCount());
    assertEquals(101, f.vni(0));
    assertEquals(102, f.vni(1));
    assertEquals(1, table.mirrorDuplicates());
  }

  @Test
  void theSameBytesAfterTheWindowAreARealPacket() {
    byte[] frame = tcp(C, SRV, 49152, 80, Frames.ACK | Frames.PSH);
    Flow f = feed(frame, T0);
    assertNotNull(feed(frame, T0 + 200 * MS), "a retransmission 200 ms later is not a duplicate");
    assertEquals(2, f.pktsToServer());
    assertEquals(0, f.mirrorDuplicates());
  }

  @Test
  void duplicateCheckCanBeTurnedOff() {
    table = new FlowTable(config("flow.mirror_duplicate_window", "0"), sink);
    byte[] frame = tcp(C, SRV, 49152, 80, Frames.ACK);
    Flow f = feed(frame, T0);
    feed(frame, T0 + 1_000);
    assertEquals(2, f.pktsToServer());
  }

  @Test
  void theActiveTimeoutWritesARecordAndTheFlowGoesOn() {
    table = new FlowTable(config("flow.active_timeout", "10s"), sink);
    Flow f = feed(udp(C, SRV, 9000, 9001, "a"), T0);
    feed(udp(SRV, C, 9001, 9000, "b"), T0 + 5 * S);
    feed(udp(C, SRV, 9000, 9001, "c"), T0 + 11 * S);
    assertEquals(List.of("active 17 9000-9001 established"), sink.ended);
    assertEquals(1, sink.counts.get(0)[0]);
    assertEquals(1, sink.counts.get(0)[1]);
    assertEquals(1, f.pktsToServer(), "fresh counters after the active record");
    assertEquals(0, f.pktsToClient());
    long id = f.flowId();
    table.endAll(EndReason.SHUTDOWN);
    assertEquals(2, sink.ended.size());
    assertEquals(id, f.flowId(), "the same flow id across records");
  }

  @Test
  void aTruncatedCopyCountsItsWireLength() {
    byte[] frame = Frames.frame().ipv4(C, SRV).udp(4000, 4001).payload(new byte[1000]).build();
    Flow f = feed(frame, 14 + 20 + 8 + 10, T0, 0);
    assertEquals(1028, f.bytesToServer(), "IP total length, not the captured bytes");
    assertEquals(1, f.truncatedPackets());
  }

  @Test
  void networksKeepOverlappingAddressSpacesApart() {
    byte[] frame = udp(C, SRV, 5353, 53, "q");
    Flow a = feed(frame, frame.length, T0, 0);
    Flow b = feed(frame, frame.length, T0 + 100 * MS, 1);
    assertFalse(a == b);
    assertEquals(2, table.active());
  }

  @Test
  void manyFlowsSurviveGrowthAndRemoval() {
    int n = 20_000;
    Flow[] flows = new Flow[n];
    for (int i = 0; i < n; i++) {
      byte[] src = {10, 1, (byte) (i >> 8), (byte) i};
      flows[i] = feed(udp(src, SRV, 30000 + i, 53, "q"), T0 + i * 1_000L);
    }
    assertEquals(n, table.active());
    // Half of them idle out: touch the odd ones 59 s later, then pass the even ones' timeout.
    for (int i = 1; i < n; i += 2) {
      byte[] src = {10, 1, (byte) (i >> 8), (byte) i};
      assertSame(flows[i], feed(udp(SRV, src, 53, 30000 + i, "r"), T0 + 59 * S));
    }
    feed(udp(C, SRV, 1, 2, "tick"), T0 + 62 * S);
    assertEquals(n / 2 + 1, table.active());
    for (int i = 1; i < n; i += 2) {
      byte[] src = {10, 1, (byte) (i >> 8), (byte) i};
      assertSame(flows[i], feed(udp(src, SRV, 30000 + i, 53, "again"), T0 + 63 * S),
          "flow " + i + " still found after backward-shift deletions");
    }
    table.endAll(EndReason.SHUTDOWN);
    assertEquals(0, table.active());
    assertEquals(n + 1, sink.ended.size());
  }
}

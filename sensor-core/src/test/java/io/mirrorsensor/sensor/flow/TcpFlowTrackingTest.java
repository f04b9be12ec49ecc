package io.mirrorsensor.sensor.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.DecodeStatus;
import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.decode.PacketDecoder;
import io.mirrorsensor.decode.tcp.TcpConnection;
import io.mirrorsensor.decode.tcp.TcpFinding;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.gen.Frames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TCP tracker behind the flow table, on real frames from {@link Frames}. */
class TcpFlowTrackingTest {
  private static final long T0 = 1_705_312_800_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final byte[] C = Frames.ip("10.0.1.10");
  private static final byte[] SRV = Frames.ip("10.0.2.20");
  private static final byte[] TARGET = Frames.ip("10.0.0.250");

  private final List<String> alerts = new ArrayList<>();
  private final FlowTable table = new FlowTable(SensorConfig.defaults(), new FlowSink() {
    @Override
    public void flowEnded(Flow flow, EndReason reason) {}

    @Override
    public void finding(Flow flow, TcpFinding finding, long tsNanos) {
      alerts.add(finding.name() + "@" + (tsNanos - T0) / MS);
    }
  });
  private final PacketDecoder decoder = new PacketDecoder(SensorConfig.defaults().decoderConfig());
  private final DecodedPacket p = new DecodedPacket();

  private Flow feed(byte[] frame, long ts) {
    DecodeStatus st = decoder.decode(frame, 0, frame.length, frame.length, LinkType.ETHERNET, ts,
        p);
    assertEquals(DecodeStatus.OK, st);
    return table.packet(p, 0, FlowKey.hash(p, 0));
  }

  private static byte[] seg(boolean fromClient, int flags, long seq, long ack, int len) {
    Frames.Builder b = Frames.frame().ipv4(fromClient ? C : SRV, fromClient ? SRV : C)
        .tcp(fromClient ? 49152 : 443, fromClient ? 443 : 49152).flags(flags).seq(seq).ack(ack)
        .window(64240);
    if (len > 0) {
      b.payload(new byte[len]);
    }
    return b.build();
  }

  /** A whole HTTPS-like exchange: handshake, request, three response segments, close. */
  private static List<byte[]> conversation() {
    List<byte[]> c = new ArrayList<>();
    c.add(seg(true, Frames.SYN, 1000, 0, 0));
    c.add(seg(false, Frames.SYN | Frames.ACK, 9000, 1001, 0));
    c.add(seg(true, Frames.ACK, 1001, 9001, 0));
    c.add(seg(true, Frames.ACK | Frames.PSH, 1001, 9001, 200));
    c.add(seg(false, Frames.ACK, 9001, 1201, 0));
    for (int i = 0; i < 3; i++) {
      c.add(seg(false, Frames.ACK, 9001 + 1000 * i, 1201, 1000));
    }
    c.add(seg(true, Frames.ACK, 1201, 12001, 0));
    c.add(seg(true, Frames.ACK | Frames.FIN, 1201, 12001, 0));
    c.add(seg(false, Frames.ACK | Frames.FIN, 12001, 1202, 0));
    c.add(seg(true, Frames.ACK, 1202, 12002, 0));
    return c;
  }

  @Test
  void everyPacketMirroredTwiceUnderTwoVnisGivesNoRetransmissions() {
    List<byte[]> conv = conversation();
    Flow f = null;
    long t = T0;
    for (byte[] inner : conv) {
      // Both ENIs are mirrored: each packet arrives once per session, the second copy 40 us
      // later with the TTL one lower (it crossed the router), as AWS delivers them.
      Flow a = feed(Frames.vxlan(C, TARGET, 101, inner), t);
      assertNotNull(a);
      f = a;
      assertNull(feed(Frames.vxlan(SRV, TARGET, 102, Frames.withTtl(inner, 63)), t + 40_000));
      t += MS;
    }
    TcpConnection tcp = f.tcp();
    assertEquals(conv.size(), f.mirrorDuplicates());
    assertEquals(0, tcp.retransmissions());
    assertEquals(0, tcp.dupAcks());
    assertEquals(0, tcp.outOfOrder());
    assertEquals(0, tcp.lostSegments());
    assertEquals(0, tcp.missedBytes());
    assertEquals("SF", tcp.connState());
    assertTrue(tcp.history().contains("M") && tcp.history().contains("m"), tcp.history());
    assertEquals(2 * MS, tcp.synRttNanos() + tcp.ackRttNanos(), "RTTs from the first copies");
    assertTrue(alerts.isEmpty(), alerts.toString());
  }

  @Test
  void aSynAnsweredByRstRaisesConnectionRefusedOnce() {
    feed(seg(true, Frames.SYN, 1000, 0, 0), T0);
    Flow f = feed(seg(false, Frames.RST | Frames.ACK, 0, 1001, 0), T0 + MS);
    feed(seg(false, Frames.RST | Frames.ACK, 0, 1001, 0), T0 + 200 * MS);
    assertEquals(List.of("CONNECTION_REFUSED@1"), alerts);
    assertTrue(f.alerted());
    assertEquals("REJ", f.tcp().connState());
    assertEquals(table.findings(TcpFinding.CONNECTION_REFUSED), 1);
  }
}

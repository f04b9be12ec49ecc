package io.mirrorsensor.decode.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.DecodedPacket;
import org.junit.jupiter.api.Test;

/**
 * The tracker on synthetic segments: the decoder's output fields are set directly (as the decoder
 * would for the described packet), so each fixture states exactly the sequence numbers, flags and
 * windows it tests. Times are packet times from {@link #T0}.
 */
class TcpConnectionTest {
  private static final long T0 = 1_705_312_800_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;
  private static final int FIN = 0x01;
  private static final int SYN = 0x02;
  private static final int RST = 0x04;
  private static final int PSH = 0x08;
  private static final int ACK = 0x10;

  private final DecodedPacket p = new DecodedPacket();
  private TcpConnection c = new TcpConnection(TcpConfig.defaults());

  /** One segment; returns its analysis flags. */
  private int seg(boolean fromClient, long t, int flags, long seq, long ack, int len, int window) {
    return seg(fromClient, t, flags, seq, ack, len, len, window, -1);
  }

  private int seg(boolean fromClient, long t, int flags, long seq, long ack, int captured,
      int wireLen, int window, int wscale) {
    p.reset();
    p.tsNanos = t;
    p.ipProto = 6;
    p.l4Offset = 34;
    p.tcpFlags = flags;
    p.seq = seq & 0xFFFF_FFFFL;
    p.ack = ack & 0xFFFF_FFFFL;
    p.window = window;
    p.optWscale = wscale;
    p.payloadLength = captured;
    p.payloadWireLength = wireLen;
    p.truncated = captured < wireLen;
    return c.onPacket(p, fromClient);
  }

  /** Client ISN 1000, server ISN 5000, both offering no window scaling. */
  private void handshake(long t) {
    seg(true, t, SYN, 1000, 0, 0, 0, 64240, -1);
    seg(false, t + 2 * MS, SYN | ACK, 5000, 1001, 0, 0, 65535, -1);
    seg(true, t + 3 * MS, ACK, 1001, 5001, 0, 64240);
  }

  private static final int GAP = TcpEvent.REASSEMBLY_SEQ_GAP.bit();
  private static final int INJECT = TcpEvent.SUSPECTED_RST_INJECT.bit();

  /** Segment, then the stream events it raised. */
  private int ev(boolean fromClient, long t, int flags, long seq, long ack, int len) {
    seg(fromClient, t, flags, seq, ack, len, 64240);
    return c.packetEvents();
  }

  @Test
  void dataAfterAnAcceptedRstFromTheSameSenderIsSuspectedInjection() {
    // suricata-verify security-4710-01: the client's RST (seq = its next), then its GET
    assertEquals(0, ev(true, T0, SYN, 36821, 0, 0));
    assertEquals(0, ev(false, T0 + MS, SYN | ACK, 1102880489L, 36822, 0));
    assertEquals(0, ev(true, T0 + 2 * MS, ACK, 36822, 1102880490L, 0));
    assertEquals(0, ev(true, T0 + 3 * MS, RST | ACK, 36822, 1102880490L, 0));
    assertEquals(INJECT, ev(true, T0 + 4 * MS, PSH | ACK, 36822, 1102880490L, 132));
    assertEquals(0, ev(false, T0 + 5 * MS, ACK, 1102880490L, 36954, 0), "only the RST's sender");
    assertEquals(0, ev(true, T0 + 6 * MS, FIN | ACK, 36954, 1102880490L, 0), "once per RST");
    assertEquals(0, ev(true, T0 + 7 * MS, RST | ACK, 36955, 1102880490L, 0), "a RST is no injection sign");
  }

  @Test
  void aRstOutsideTheSequenceIsNotAcceptedSoNothingFollows() {
    handshake(T0);
    assertEquals(0, ev(true, T0 + 4 * MS, RST, 1001 + 500, 0, 0)); // not the client's next seq
    assertEquals(0, ev(true, T0 + 5 * MS, PSH | ACK, 1001, 5001, 10));
    // two RSTs then data: still one event
    assertEquals(0, ev(true, T0 + 6 * MS, RST, 1011, 0, 0));
    assertEquals(0, ev(true, T0 + 7 * MS, RST, 1011, 0, 0));
    assertEquals(INJECT, ev(true, T0 + 8 * MS, PSH | ACK, 1011, 5001, 10));
  }

  @Test
  void aHoleRaisesSeqGapOnlyWhenThePeerAcknowledgesIt() {
    handshake(T0);
    // suricata-verify tcp-rst-unacked-stream-03-gap: 7 bytes, 4 missing, 3 + 3 bytes
    assertEquals(0, ev(false, T0 + 4 * MS, PSH | ACK, 5001, 1001, 7));
    assertEquals(0, ev(false, T0 + 5 * MS, PSH | ACK, 5012, 1001, 3));
    assertEquals(0, ev(false, T0 + 6 * MS, PSH | ACK, 5015, 1001, 3));
    assertEquals(0, ev(true, T0 + 7 * MS, ACK, 1001, 5008, 0), "acked up to the hole only");
    assertEquals(GAP, ev(true, T0 + 8 * MS, ACK, 1001, 5018, 0), "the hole is acknowledged");
    assertEquals(0, ev(true, T0 + 9 * MS, ACK, 1001, 5018, 0), "once");
    // bytes acknowledged beyond anything seen are a gap too
    assertEquals(GAP, ev(true, T0 + 10 * MS, ACK, 1001, 5100, 0));
    assertEquals(0, ev(false, T0 + 11 * MS, ACK, 5100, 1001, 0));
  }

  @Test
  void aRstAcknowledgingAHoleRaisesNoGap() {
    handshake(T0);
    assertEquals(0, ev(false, T0 + 4 * MS, PSH | ACK, 5001, 1001, 7));
    assertEquals(0, ev(false, T0 + 5 * MS, PSH | ACK, 5012, 1001, 3));
    assertEquals(0, ev(true, T0 + 6 * MS, RST | ACK, 1001, 5015, 0));
  }

  @Test
  void aHoleFilledBeforeItsAckRaisesNothing() {
    handshake(T0);
    assertEquals(0, ev(false, T0 + 4 * MS, PSH | ACK, 5001, 1001, 7));
    assertEquals(0, ev(false, T0 + 5 * MS, PSH | ACK, 5012, 1001, 3));
    assertEquals(0, ev(false, T0 + 6 * MS, PSH | ACK, 5008, 1001, 4)); // the late segment
    assertEquals(0, ev(true, T0 + 7 * MS, ACK, 1001, 5015, 0));
  }

  @Test
  void fullConnectionIsSfWithZeekHistoryAndHandshakeRtts() {
    handshake(T0);
    assertEquals(0, seg(true, T0 + 4 * MS, ACK | PSH, 1001, 5001, 100, 64240));
    assertEquals(0, seg(false, T0 + 6 * MS, ACK | PSH, 5001, 1101, 300, 65535));
    assertEquals(0, seg(true, T0 + 7 * MS, ACK | FIN, 1101, 5301, 0, 64240));
    assertEquals(0, seg(false, T0 + 8 * MS, ACK | FIN, 5301, 1102, 0, 65535));
    assertEquals(0, seg(true, T0 + 9 * MS, ACK, 1102, 5302, 0, 64240));
    assertEquals("SF", c.connState());
    assertEquals("ShADdFf", c.history(), "no 'a': the server never sent a pure ACK");
    assertEquals(2 * MS, c.synRttNanos());
    assertEquals(1 * MS, c.ackRttNanos());
    assertEquals(0, c.retransmissions() + c.outOfOrder() + c.lostSegments() + c.dupAcks());
    assertEquals(0, c.raisedFindings());
  }

  @Test
  void blockedSynRaisesSynUnansweredOnceAtTheThirdTransmission() {
    assertEquals(0, seg(true, T0, SYN, 7, 0, 0, 64240));
    assertEquals(0, c.newFindings());
    assertEquals(TcpAnalysis.RETRANSMISSION, seg(true, T0 + S, SYN, 7, 0, 0, 64240));
    assertEquals(0, c.newFindings());
    assertEquals(TcpAnalysis.RETRANSMISSION, seg(true, T0 + 3 * S, SYN, 7, 0, 0, 64240));
    assertTrue(TcpConnection.raised(c.newFindings(), TcpFinding.SYN_UNANSWERED));
    seg(true, T0 + 7 * S, SYN, 7, 0, 0, 64240);
    assertEquals(0, c.newFindings(), "raised once per flow");
    assertEquals(3, c.retransmissions(), "SYN retransmissions count as retransmissions");
    assertEquals("S0", c.connState());
    assertEquals("S", c.history());
    assertEquals(-1, c.synRttNanos());
  }

  @Test
  void synsFurtherApartThanTheWindowStartANewAttempt() {
    c = new TcpConnection(new TcpConfig(3 * MS, 3, 2 * S, S, 10, 20, 5 * S, 1 << 20, 1 << 26,
        256));
    seg(true, T0, SYN, 7, 0, 0, 64240);
    seg(true, T0 + S, SYN, 7, 0, 0, 64240);
    seg(true, T0 + 3 * S, SYN, 7, 0, 0, 64240); // 3 s after the first: a new attempt
    assertEquals(0, c.raisedFindings());
  }

  @Test
  void rstAnsweringSynIsRejAndConnectionRefused() {
    seg(true, T0, SYN, 1000, 0, 0, 64240);
    seg(false, T0 + MS, RST | ACK, 0, 1001, 0, 0);
    assertTrue(TcpConnection.raised(c.newFindings(), TcpFinding.CONNECTION_REFUSED));
    assertEquals("REJ", c.connState());
    assertEquals("Sr", c.history());
    assertEquals(1, c.resets());
    assertEquals(0, c.zeroWindows(), "a RST's zero window is not a zero window");
  }

  @Test
  void slowHandshakeIsRaisedAtTheSynAck() {
    seg(true, T0, SYN, 1000, 0, 0, 64240);
    seg(false, T0 + 1500 * MS, SYN | ACK, 5000, 1001, 0, 65535);
    assertTrue(TcpConnection.raised(c.newFindings(), TcpFinding.SLOW_HANDSHAKE));
    assertEquals(1500 * MS, c.synRttNanos());
  }

  @Test
  void sequenceNumbersWrapAroundWithoutFalseAnalysis() {
    long isn = 0xFFFF_FF00L; // 256 bytes before the wrap
    seg(true, T0, SYN, isn, 0, 0, 64240);
    seg(false, T0 + MS, SYN | ACK, 5000, isn + 1, 0, 65535);
    seg(true, T0 + 2 * MS, ACK, isn + 1, 5001, 0, 64240);
    long s = isn + 1;
    for (int i = 0; i < 4; i++) { // 4 x 100 bytes: crosses 2^32 during the third
      assertEquals(0, seg(true, T0 + (3 + i) * MS, ACK, s, 5001, 100, 64240), "segment " + i);
      s += 100;
    }
    assertEquals(0, seg(false, T0 + 10 * MS, ACK, 5001, s, 0, 65535));
    // The segment that straddled the wrap, again, much later: a (spurious) retransmission.
    int ta = seg(true, T0 + 500 * MS, ACK, isn + 201, 5001, 100, 64240);
    assertEquals(TcpAnalysis.RETRANSMISSION | TcpAnalysis.SPURIOUS_RETRANSMISSION, ta);
    // Beyond a hole after the wrap: a lost segment.
    assertEquals(TcpAnalysis.LOST_SEGMENT, seg(true, T0 + 600 * MS, ACK, s + 50, 5001, 10, 64240)
        & TcpAnalysis.LOST_SEGMENT);
    assertEquals(1, c.lostSegments());
  }

  @Test
  void windowScaleAppliesOnlyWhenBothSynsOfferIt() {
    seg(true, T0, SYN, 1000, 0, 0, 0, 64240, 7);
    seg(false, T0 + MS, SYN | ACK, 5000, 1001, 0, 0, 65535, 8);
    assertEquals(7, c.windowScale(true));
    assertEquals(8, c.windowScale(false));
    seg(true, T0 + 2 * MS, ACK, 1001, 5001, 0, 4); // client window 4 << 7 = 512 bytes
    // The server fills exactly the client's scaled window: window_full.
    int ta = seg(false, T0 + 3 * MS, ACK, 5001, 1001, 512, 100);
    assertTrue((ta & TcpAnalysis.WINDOW_FULL) != 0, TcpAnalysis.names(ta));

    c = new TcpConnection(TcpConfig.defaults());
    seg(true, T0, SYN, 1000, 0, 0, 0, 64240, 7);
    seg(false, T0 + MS, SYN | ACK, 5000, 1001, 0, 0, 65535, -1); // server does not scale
    assertEquals(0, c.windowScale(true), "RFC 7323: no scaling unless both offer it");
    assertEquals(0, c.windowScale(false));
  }

  @Test
  void dupAcksThenFastRetransmission() {
    handshake(T0);
    seg(false, T0 + 10 * MS, ACK, 5001, 1001, 1000, 65535); // 5001..6001
    // 6001..7001 lost on the network; the next one arrives.
    int ta = seg(false, T0 + 11 * MS, ACK, 7001, 1001, 1000, 65535);
    assertTrue((ta & TcpAnalysis.LOST_SEGMENT) != 0);
    assertEquals(0, seg(true, T0 + 12 * MS, ACK, 1001, 6001, 0, 64240));
    assertEquals(TcpAnalysis.DUPLICATE_ACK, seg(true, T0 + 13 * MS, ACK, 1001, 6001, 0, 64240));
    assertEquals(TcpAnalysis.DUPLICATE_ACK, seg(true, T0 + 14 * MS, ACK, 1001, 6001, 0, 64240));
    ta = seg(false, T0 + 15 * MS, ACK, 6001, 1001, 1000, 65535);
    assertEquals(TcpAnalysis.RETRANSMISSION | TcpAnalysis.FAST_RETRANSMISSION, ta);
    assertEquals(2, c.dupAcks());
    assertEquals(1, c.fastRetransmissions());
    assertEquals(1, c.retransmissions());
    assertEquals("ShAdgt", c.history(), "gap and retransmission by the server");
  }

  @Test
  void reorderWithinTheRttIsOutOfOrderLaterIsRetransmission() {
    handshake(T0); // initial RTT 3 ms
    seg(true, T0 + 10 * MS, ACK, 1101, 5001, 100, 64240); // 1101..1201 before 1001..1101
    int ta = seg(true, T0 + 11 * MS, ACK, 1001, 5001, 100, 64240);
    assertEquals(TcpAnalysis.OUT_OF_ORDER, ta);
    assertEquals(1, c.outOfOrder());
    assertEquals(0, c.retransmissions());
    ta = seg(true, T0 + 100 * MS, ACK, 1001, 5001, 100, 64240); // again, well after
    assertEquals(TcpAnalysis.RETRANSMISSION, ta);
  }

  @Test
  void truncatedCopiesAdvanceSequenceSpaceByTheirWireLength() {
    handshake(T0);
    // AWS truncated each mirror copy to 64 bytes of payload; 1400 were sent.
    for (int i = 0; i < 5; i++) {
      assertEquals(0, seg(false, T0 + (10 + i) * MS, ACK, 5001 + 1400 * i, 1001, 64, 1400,
          65535, -1), "segment " + i);
    }
    assertEquals(0, seg(true, T0 + 20 * MS, ACK, 1001, 5001 + 7000, 0, 64240));
    assertEquals(0, c.lostSegments());
    assertEquals(0, c.missedBytes(), "truncated bytes were seen on the wire: not mirror loss");
  }

  @Test
  void midstreamPickupIsOthAndRaisesNothing() {
    assertEquals(0, seg(false, T0, ACK, 900_000, 12_345, 1400, 501));
    assertEquals(0, seg(true, T0 + MS, ACK, 12_345, 901_400, 0, 1000));
    assertEquals(0, seg(false, T0 + 2 * MS, ACK, 901_400, 12_345, 1400, 501));
    assertEquals("OTH", c.connState());
    assertEquals("dA", c.history());
    assertEquals(-1, c.synRttNanos());
    assertEquals(0, c.raisedFindings());
  }

  @Test
  void bytesAckedButNeverSeenAreMissedOnceTheReorderWindowPassed() {
    handshake(T0);
    seg(false, T0 + 10 * MS, ACK, 5001, 1001, 1000, 65535);
    // 6001..7001 dropped by the mirror; 7001..8001 seen; the client acknowledges everything.
    seg(false, T0 + 11 * MS, ACK, 7001, 1001, 1000, 65535);
    int ta = seg(true, T0 + 12 * MS, ACK, 1001, 8001, 0, 64240);
    // tshark's ack_lost_segment: the ACK covers bytes beyond the contiguous data seen.
    assertEquals(TcpAnalysis.ACK_LOST_SEGMENT, ta & TcpAnalysis.ACK_LOST_SEGMENT);
    assertEquals(1000, c.missedBytes());
    // Bytes acknowledged beyond anything seen: the copy may still come (other ENI's mirror)...
    seg(true, T0 + 13 * MS, ACK, 1001, 9001, 0, 64240);
    assertEquals(2000, c.missedBytes());
    seg(false, T0 + 14 * MS, ACK, 8001, 1001, 1000, 65535); // ... and it does, 1 ms late
    assertEquals(1000, c.missedBytes(), "a late copy is not loss");
    seg(false, T0 + 100 * MS, ACK, 9001, 1001, 0, 65535);
    assertEquals(1000, c.missedBytes());
  }

  @Test
  void zeroWindowKeepAliveAndStall() {
    handshake(T0);
    seg(false, T0 + 10 * MS, ACK, 5001, 1001, 1000, 65535);
    int ta = seg(true, T0 + 11 * MS, ACK, 1001, 6001, 0, 0);
    assertEquals(TcpAnalysis.ZERO_WINDOW, ta);
    ta = seg(false, T0 + 3 * S, ACK, 6000, 1001, 0, 65535);
    assertEquals(TcpAnalysis.KEEP_ALIVE, ta);
    seg(true, T0 + 3 * S + MS, ACK, 1001, 6001, 0, 0);
    assertEquals(0, c.newFindings());
    seg(true, T0 + 6 * S, ACK, 1001, 6001, 0, 0);
    assertTrue(TcpConnection.raised(c.newFindings(), TcpFinding.ZERO_WINDOW_STALL));
    assertEquals(3, c.zeroWindows());
    assertEquals(1, c.keepAlives());
    assertEquals("ShAdWa", c.history());
  }

  @Test
  void retransmissionStormNeedsEnoughSegmentsAndTheRatio() {
    handshake(T0);
    long s = 1001;
    for (int i = 0; i < 18; i++, s += 100) {
      seg(true, T0 + (10 + i) * MS, ACK, s, 5001, 100, 64240);
    }
    // Two retransmissions among 20 data segments: 10 %, not above it.
    seg(true, T0 + 200 * MS, ACK, 1001, 5001, 100, 64240);
    seg(true, T0 + 400 * MS, ACK, 1101, 5001, 100, 64240);
    assertFalse(TcpConnection.raised(c.raisedFindings(), TcpFinding.RETRANSMISSION_STORM));
    seg(true, T0 + 800 * MS, ACK, 1201, 5001, 100, 64240);
    assertTrue(TcpConnection.raised(c.newFindings(), TcpFinding.RETRANSMISSION_STORM));
    assertEquals(3, c.retransmissions());
  }

  @Test
  void splitHandshakeStillGivesRtts() {
    // suricata-verify tcp-split-handshake-01-4whs: SYN, SYN back, SYN-ACK from the client, ACK.
    seg(true, T0, SYN, 1000, 0, 0, 64240);
    seg(false, T0 + MS, SYN, 5000, 0, 0, 65535);
    seg(true, T0 + 2 * MS, SYN | ACK, 1000, 5001, 0, 64240);
    seg(false, T0 + 3 * MS, ACK, 5001, 1001, 0, 65535);
    assertEquals(MS, c.synRttNanos());
    assertEquals(MS, c.ackRttNanos());
  }

  @Test
  void mirrorDuplicatesOnlyAddHistoryLetters() {
    handshake(T0);
    for (int i = 0; i < 10; i++) {
      c.onMirrorDuplicate(true);
    }
    c.onMirrorDuplicate(false);
    assertEquals("ShAMMm", c.history(), "M at the 1st and 10th, as Zeek's repeated letters");
    assertEquals(0, c.retransmissions());
  }
}

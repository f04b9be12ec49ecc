package io.mirrorsensor.decode.tcp;

import io.mirrorsensor.decode.DecodedPacket;

/**
 * The TCP state of one connection, fed every packet of its flow in capture order. Allocated once
 * per flow; {@link #onPacket} allocates nothing.
 *
 * <p>Sequence analysis follows tshark 4.0's {@code tcp_analyze_sequence_number}
 * (epan/dissectors/packet-tcp.c), check by check and in the same order, so that the per-packet
 * flags can be compared with {@code tcp.analysis.*}. Where mirrored traffic differs, so do we:
 *
 * <ul>
 *   <li>Mirror duplicates (the same packet copied at both ends) never reach the tracker: the flow
 *       table drops them first ({@link #onMirrorDuplicate} only records the history letter), so a
 *       duplicate is never a retransmission. tshark, seeing both copies, calls the second one a
 *       retransmission (or a duplicate ACK).
 *   <li>Truncated copies advance sequence space by their wire length
 *       ({@link DecodedPacket#payloadWireLength}), not by the bytes captured: the missing bytes
 *       were sent, so the next segment is not a "lost segment".
 *   <li>The out-of-order window before an RTT is known is {@link TcpConfig#reorderWindowNanos}
 *       (tshark: 3 ms fixed), because a load balancer in the mirror path reorders.
 *   <li>A connection picked up midstream, or seen from one side only, is analysed from its first
 *       packet on and raises nothing for having no handshake: nothing is known before it.
 * </ul>
 *
 * <p>Call order: {@link #onPacket} (or {@link #onMirrorDuplicate}) per packet, from the flow's
 * one owning thread; the accessors at any time on that thread.
 */
public final class TcpConnection {
  private static final int FIN = 0x01;
  private static final int SYN = 0x02;
  private static final int RST = 0x04;
  private static final int ACK = 0x10;
  /** tshark: a retransmission this soon after two duplicate ACKs asking for it is "fast". */
  private static final long FAST_RETRANSMISSION_NANOS = 20_000_000L;
  /** RFC 7323 section 2.3: a shift above 14 is taken as 14. */
  private static final int MAX_WSCALE = 14;
  private static final int HISTORY_MAX = 64;

  private final TcpConfig config;
  private final TcpHalf client = new TcpHalf();
  private final TcpHalf server = new TcpHalf();

  // Handshake: packet times, -1 until seen.
  private long lastSynTime = -1;
  private long synAckTime = -1;
  private boolean lastSynFromClient;
  private boolean synAckFromClient;
  private long synRtt = -1;
  private long ackRtt = -1;
  private long attemptStart = -1;
  private int attemptSyns;

  // Counters of the current record (reset by resetCounters()).
  private long retransmissions;
  private long fastRetransmissions;
  private long spuriousRetransmissions;
  private long outOfOrder;
  private long lostSegments;
  private long ackLostSegments;
  private long dupAcks;
  private long zeroWindows;
  private long zeroWindowProbes;
  private long windowFull;
  private long keepAlives;
  private long resets;
  private long missedBytes;
  private long gapOverflows;

  // Zeek history: letters in the order first seen, per direction.
  private byte[] history = new byte[16];
  private int historyLen;
  private int lettersSeen; // bit per letter index, client letters in the low 16 bits
  private final int[] repeatCounts = new int[8]; // T G W M, client then server
  private final int[] repeatNext = {1, 1, 1, 1, 1, 1, 1, 1};

  private int raised;
  private int newFindings;
  /** {@link TcpEvent} bits raised by the packet handled last. */
  private int events;
  /** Packet time at which each gap was acknowledged, -1 while not: client's gaps, then server's. */
  private final long[] gapAckedAt = new long[2 * TcpHalf.MAX_GAPS];

  public TcpConnection(TcpConfig config) {
    this.config = config;
  }

  /**
   * Analyses one packet of the connection. {@code p} is only read, and only during the call.
   *
   * @param fromClient true when the packet was sent by the flow's client (the originator)
   * @return the {@link TcpAnalysis} flags of this packet (0 when none)
   */
  public int onPacket(DecodedPacket p, boolean fromClient) {
    newFindings = 0;
    events = 0;
    TcpHalf fwd = fromClient ? client : server;
    TcpHalf rev = fromClient ? server : client;
    final int flags = p.tcpFlags;
    final long seq = p.seq;
    final long ack = p.ack;
    final long now = p.tsNanos;
    final int seglen = Math.max(0, p.payloadWireLength);
    final boolean syn = (flags & SYN) != 0;
    final boolean fin = (flags & FIN) != 0;
    final boolean rst = (flags & RST) != 0;
    final boolean hasAck = (flags & ACK) != 0;
    final boolean ctl = syn || fin || rst;

    if (syn) {
      handshake(p, fromClient, fwd, rev, now, hasAck);
    } else if (hasAck && fromClient != synAckFromClient && synAckTime >= 0 && ackRtt < 0
        && !rst) {
      ackRtt = now - synAckTime; // first ACK of the SYN-ACK: tshark's initial_rtt = syn + ack
    }
    long win = p.window;
    if (!syn && fwd.wscale > 0) {
      win <<= fwd.wscale; // RFC 7323 section 2.2: never scaled in a SYN
    }

    // Suricata's StreamTcpPacketCheckPostRst: a RST it accepted (sequence number exactly the
    // sender's next one, StreamTcpValidateRst for the default OS policy), then more from the same
    // sender that is not a RST.
    if (rst) {
      if (!fwd.seqKnown || seq == fwd.nextSeq) {
        fwd.rstSent = true;
      }
    } else if (fwd.rstSent) {
      fwd.rstSent = false;
      events |= TcpEvent.SUSPECTED_RST_INJECT.bit();
    }

    int ta = analyse(fwd, rev, flags, seq, ack, seglen, win, p.window, now, ctl, hasAck);
    if (rst) {
      // Suricata rejects a RST whose ACK is past what the peer sent (rst_invalid_ack) and does
      // not reassemble on it: its acknowledgement raises no gap (the missed bytes still count)
      events &= ~TcpEvent.REASSEMBLY_SEQ_GAP.bit();
    }

    // Counters.
    if ((ta & TcpAnalysis.RETRANSMISSION) != 0) {
      retransmissions++;
      if (seglen > 0) {
        fwd.retransmittedDataSegments++;
      }
    }
    if ((ta & TcpAnalysis.FAST_RETRANSMISSION) != 0) {
      fastRetransmissions++;
    }
    if ((ta & TcpAnalysis.SPURIOUS_RETRANSMISSION) != 0) {
      spuriousRetransmissions++;
    }
    if ((ta & TcpAnalysis.OUT_OF_ORDER) != 0) {
      outOfOrder++;
    }
    if ((ta & TcpAnalysis.LOST_SEGMENT) != 0) {
      lostSegments++;
    }
    if ((ta & TcpAnalysis.ACK_LOST_SEGMENT) != 0) {
      ackLostSegments++;
    }
    if ((ta & TcpAnalysis.DUPLICATE_ACK) != 0) {
      dupAcks++;
    }
    if ((ta & TcpAnalysis.ZERO_WINDOW) != 0) {
      zeroWindows++;
    }
    if ((ta & TcpAnalysis.ZERO_WINDOW_PROBE) != 0) {
      zeroWindowProbes++;
    }
    if ((ta & TcpAnalysis.WINDOW_FULL) != 0) {
      windowFull++;
    }
    if ((ta & TcpAnalysis.KEEP_ALIVE) != 0) {
      keepAlives++;
    }
    if (rst) {
      resets++;
    }
    if (seglen > 0) {
      fwd.dataSegments++;
      fwd.payloadBytes += seglen;
    }

    endpointState(fwd, rev, syn, fin, rst, hasAck);
    historyOf(fromClient, flags, seglen, ta);
    zeroWindow(fwd, p.window, ctl, rst, now);
    findings(fromClient, fwd, rst, seglen, ta, now);
    return ta;
  }

  /**
   * Records a mirror duplicate (dropped before analysis by the flow table) in the history, with our
   * letter {@code M}/{@code m}, counted like Zeek's repeated letters (1, 10, 100, ...).
   */
  public void onMirrorDuplicate(boolean fromClient) {
    repeated(fromClient, 3, 'M');
  }

  private void handshake(DecodedPacket p, boolean fromClient, TcpHalf fwd, TcpHalf rev,
      long now, boolean hasAck) {
    int ws = p.optWscale < 0 ? -1 : Math.min(p.optWscale, MAX_WSCALE);
    fwd.wscaleOffered = ws;
    fwd.sackPermitted |= p.optSackPermitted;
    fwd.timestamps |= p.optTimestamp;
    if (fwd.syns++ == 0) {
      fwd.isn = p.seq;
    }
    if (!hasAck) {
      // tshark measures the initial RTT from the most recent SYN; a split handshake (the server
      // also sends a bare SYN, suricata-verify tcp-split-handshake-01-4whs) turns the roles round.
      lastSynTime = now;
      lastSynFromClient = fromClient;
      if (fromClient) {
        if (attemptStart < 0 || now - attemptStart > config.synUnansweredWindowNanos()) {
          attemptStart = now;
          attemptSyns = 0;
        }
        attemptSyns++;
      }
      return;
    }
    // SYN-ACK. RFC 7323 section 2.2: scaling is on only when both SYNs carried the option.
    if (rev.syns > 0) {
      boolean both = ws >= 0 && rev.wscaleOffered >= 0;
      fwd.wscale = both ? ws : 0;
      rev.wscale = both ? rev.wscaleOffered : 0;
    } else if (ws < 0) {
      fwd.wscale = 0;
      rev.wscale = 0;
    }
    if (synAckTime < 0 && lastSynTime >= 0 && lastSynFromClient != fromClient) {
      synAckTime = now;
      synAckFromClient = fromClient;
      synRtt = now - lastSynTime;
    }
  }

  /** tshark's tcp_analyze_sequence_number, in its order; see the class comment for differences. */
  private int analyse(TcpHalf fwd, TcpHalf rev, int flags, long seq, long ack, int seglen,
      long win, int rawWindow, long now, boolean ctl, boolean hasAck) {
    int ta = 0;
    boolean syn = (flags & SYN) != 0;
    boolean fin = (flags & FIN) != 0;
    boolean rst = (flags & RST) != 0;
    probe:
    {
      // Zero window probe: one byte at the expected sequence number into a zero window.
      if (seglen == 1 && fwd.seqKnown && seq == fwd.nextSeq && rev.winKnown && rev.win == 0) {
        ta |= TcpAnalysis.ZERO_WINDOW_PROBE;
        break probe;
      }
      if (rawWindow == 0 && !ctl) {
        ta |= TcpAnalysis.ZERO_WINDOW;
      }
      // A hole before this segment: the sender's earlier bytes were not seen.
      if (fwd.seqKnown && Seq.gt(seq, fwd.nextSeq) && !rst) {
        ta |= TcpAnalysis.LOST_SEGMENT;
        addGap(fwd, fwd.nextSeq, seq, -1);
      }
      if (seglen <= 1 && !ctl && fwd.seqKnown && seq == Seq.add(fwd.nextSeq, -1)) {
        ta |= TcpAnalysis.KEEP_ALIVE;
        break probe;
      }
      boolean sameAckSeq = seglen == 0 && !ctl && fwd.seqKnown && seq == fwd.nextSeq
          && fwd.ackKnown && ack == fwd.lastAck;
      if (sameAckSeq && rawWindow != 0 && fwd.winKnown && win != fwd.win) {
        ta |= TcpAnalysis.WINDOW_UPDATE;
        break probe;
      }
      if (seglen > 0 && !ctl && rev.winKnown && rev.ackKnown
          && Seq.add(seq, seglen) == Seq.add(rev.lastAck, rev.win)) {
        ta |= TcpAnalysis.WINDOW_FULL;
      }
      boolean sameWindow = fwd.winKnown && win == fwd.win;
      if (sameAckSeq && sameWindow && (rev.lastAnalysis & TcpAnalysis.KEEP_ALIVE) != 0) {
        ta |= TcpAnalysis.KEEP_ALIVE_ACK;
        break probe;
      }
      if (sameAckSeq && sameWindow && rawWindow == 0
          && (rev.lastAnalysis & TcpAnalysis.ZERO_WINDOW_PROBE) != 0) {
        ta |= TcpAnalysis.ZERO_WINDOW_PROBE_ACK;
        break probe;
      }
      if (sameAckSeq && sameWindow && rawWindow != 0) {
        fwd.dupAcks++;
        ta |= TcpAnalysis.DUPLICATE_ACK;
      }
      if ((ta & TcpAnalysis.DUPLICATE_ACK) == 0) {
        fwd.dupAcks = 0;
      }
      // The peer's bytes below this ACK were never all seen: lost on the mirror path.
      if (hasAck && rev.maxSeqKnown && Seq.gt(ack, rev.maxSeqToBeAcked)) {
        ta |= TcpAnalysis.ACK_LOST_SEGMENT;
        rev.maxSeqToBeAcked = rev.nextSeq;
      }
    }

    if ((seglen > 0 || syn || fin) && (ta & TcpAnalysis.KEEP_ALIVE) == 0) {
      boolean notAdvanced = fwd.seqKnown && Seq.lt(seq, fwd.nextSeq);
      // More than one new byte starting one below nextseq adds data: not a retransmission.
      if (seglen > 1 && fwd.seqKnown && Seq.add(fwd.nextSeq, -1) == seq) {
        notAdvanced = false;
      }
      if (notAdvanced) {
        long oooWindow = synRtt >= 0 && ackRtt >= 0 ? synRtt + ackRtt : config.reorderWindowNanos();
        int ctlLen = (syn ? 1 : 0) + (fin ? 1 : 0);
        if (rev.dupAcks >= 2 && rev.lastAck == seq
            && now - rev.lastAckTime < FAST_RETRANSMISSION_NANOS) {
          ta |= TcpAnalysis.RETRANSMISSION | TcpAnalysis.FAST_RETRANSMISSION;
        } else if (seglen > 0 && rev.ackKnown && Seq.le(Seq.add(seq, seglen), rev.lastAck)) {
          // Already acknowledged: spurious, checked before out-of-order as tshark does.
          ta |= TcpAnalysis.RETRANSMISSION | TcpAnalysis.SPURIOUS_RETRANSMISSION;
        } else if (now - fwd.nextSeqTime < oooWindow
            && fwd.nextSeq != Seq.add(seq, seglen + ctlLen)) {
          ta |= TcpAnalysis.OUT_OF_ORDER;
        } else {
          ta |= TcpAnalysis.RETRANSMISSION;
        }
      }
      if (seglen > 0 && fwd.gapCount > 0) {
        fillGaps(fwd, seq, Seq.add(seq, seglen));
      }
    }

    // A RST does not move nextseq (tshark: the SYN retransmitted after a RST that answered a
    // stale-connection challenge ACK is a retransmission; sv-browsing-mixed-retrans frame 157).
    boolean probeSeg = (ta & TcpAnalysis.ZERO_WINDOW_PROBE) != 0 || rst;
    long nextSeq = Seq.add(seq, seglen + (syn ? 1 : 0) + (fin ? 1 : 0));
    if ((!fwd.seqKnown || Seq.gt(nextSeq, fwd.nextSeq)) && !probeSeg) {
      fwd.nextSeq = nextSeq;
      fwd.nextSeqTime = now;
      fwd.seqKnown = true;
    }
    if ((!fwd.maxSeqKnown || seq == fwd.maxSeqToBeAcked) && !probeSeg) {
      fwd.maxSeqToBeAcked = fwd.nextSeq;
      fwd.maxSeqKnown = true;
    }
    fwd.win = win;
    fwd.winKnown = true;
    if (hasAck) {
      if (rev.seqKnown) {
        acknowledged(rev, ack, now);
      }
      fwd.lastAck = ack;
      fwd.ackKnown = true;
      fwd.lastAckTime = now;
    }
    settleGaps(rev, now);
    fwd.lastAnalysis = ta;
    return ta;
  }

  // ---- missed bytes: gaps in a sender's sequence space that its peer acknowledged ----

  /**
   * The peer acknowledged {@code half}'s bytes below {@code ack}. Gaps below it are marked
   * acknowledged now; bytes acknowledged beyond anything seen become an acknowledged gap. Either is
   * counted as missed only after the reorder window, since the two ends of a conversation are
   * mirrored by different ENIs and an ACK's copy may overtake the data's.
   */
  private void acknowledged(TcpHalf half, long ack, long now) {
    for (int i = 0; i < half.gapCount; i++) {
      if (ackedAt(half, i) < 0 && Seq.lt(half.gapStart[i], ack)) {
        if (Seq.lt(ack, half.gapEnd[i])) {
          long end = half.gapEnd[i];
          half.gapEnd[i] = ack;
          addGap(half, ack, end, -1);
        }
        setAckedAt(half, i, now);
        events |= TcpEvent.REASSEMBLY_SEQ_GAP.bit();
      }
    }
    long high = highestCovered(half);
    if (Seq.gt(ack, high)) {
      addGap(half, high, ack, now);
      events |= TcpEvent.REASSEMBLY_SEQ_GAP.bit();
    }
  }

  private long ackedAt(TcpHalf half, int i) {
    return gapAckedAt[(half == client ? 0 : TcpHalf.MAX_GAPS) + i];
  }

  private void setAckedAt(TcpHalf half, int i, long t) {
    gapAckedAt[(half == client ? 0 : TcpHalf.MAX_GAPS) + i] = t;
  }

  /** The highest sequence number seen or already known to be missing. */
  private static long highestCovered(TcpHalf half) {
    long high = half.nextSeq;
    for (int i = 0; i < half.gapCount; i++) {
      if (Seq.gt(half.gapEnd[i], high)) {
        high = half.gapEnd[i];
      }
    }
    return high;
  }

  private void addGap(TcpHalf half, long start, long end, long ackedAtTime) {
    long high = highestCovered(half);
    if (ackedAtTime < 0 && Seq.lt(start, high) && Seq.gt(end, half.nextSeq)) {
      start = high; // never the same bytes twice
    }
    if (!Seq.lt(start, end)) {
      return;
    }
    if (half.gapCount == TcpHalf.MAX_GAPS) {
      gapOverflows++;
      return;
    }
    int i = half.gapCount++;
    half.gapStart[i] = start;
    half.gapEnd[i] = end;
    setAckedAt(half, i, ackedAtTime);
  }

  private void removeGap(TcpHalf half, int i) {
    int last = --half.gapCount;
    half.gapStart[i] = half.gapStart[last];
    half.gapEnd[i] = half.gapEnd[last];
    setAckedAt(half, i, ackedAt(half, last));
  }

  /** Bytes [s, e) were seen after all (a retransmission, or a late mirror copy). */
  private void fillGaps(TcpHalf half, long s, long e) {
    for (int i = half.gapCount - 1; i >= 0; i--) {
      long gs = half.gapStart[i];
      long ge = half.gapEnd[i];
      if (!Seq.lt(s, ge) || !Seq.gt(e, gs)) {
        continue; // no overlap
      }
      boolean left = Seq.gt(s, gs);
      boolean right = Seq.lt(e, ge);
      if (!left && !right) {
        removeGap(half, i);
      } else if (left && right) {
        half.gapEnd[i] = s;
        if (half.gapCount < TcpHalf.MAX_GAPS) {
          addGapRaw(half, e, ge, ackedAt(half, i));
        } else {
          gapOverflows++;
        }
      } else if (left) {
        half.gapEnd[i] = s;
      } else {
        half.gapStart[i] = e;
      }
    }
  }

  private void addGapRaw(TcpHalf half, long start, long end, long ackedAtTime) {
    int i = half.gapCount++;
    half.gapStart[i] = start;
    half.gapEnd[i] = end;
    setAckedAt(half, i, ackedAtTime);
  }

  private void settleGaps(TcpHalf half, long now) {
    for (int i = half.gapCount - 1; i >= 0; i--) {
      long at = ackedAt(half, i);
      if (at >= 0 && now - at > config.reorderWindowNanos()) {
        missedBytes += Seq.diff(half.gapEnd[i], half.gapStart[i]) & Seq.MASK;
        removeGap(half, i);
      }
    }
  }

  private long pendingMissed(TcpHalf half) {
    long n = 0;
    for (int i = 0; i < half.gapCount; i++) {
      if (ackedAt(half, i) >= 0) {
        n += Seq.diff(half.gapEnd[i], half.gapStart[i]) & Seq.MASK;
      }
    }
    return n;
  }

  // ---- Zeek endpoint states, conn_state and history ----

  private static void endpointState(TcpHalf fwd, TcpHalf rev, boolean syn, boolean fin,
      boolean rst, boolean hasAck) {
    if (rst) {
      fwd.state = TcpHalf.RESET;
      return;
    }
    if (fwd.state == TcpHalf.RESET) {
      return;
    }
    if (fin) {
      fwd.state = TcpHalf.CLOSED;
      return;
    }
    if (syn) {
      if (!hasAck && fwd.state == TcpHalf.INACTIVE) {
        fwd.state = TcpHalf.SYN_SENT;
      } else if (hasAck && (fwd.state == TcpHalf.INACTIVE || fwd.state == TcpHalf.SYN_SENT)) {
        fwd.state = TcpHalf.SYN_ACK_SENT;
      }
      return;
    }
    switch (fwd.state) {
      case TcpHalf.INACTIVE:
        fwd.state = TcpHalf.PARTIAL;
        break;
      case TcpHalf.SYN_SENT:
      case TcpHalf.SYN_ACK_SENT:
        if (hasAck) {
          fwd.state = TcpHalf.ESTABLISHED;
          if (rev.state == TcpHalf.SYN_ACK_SENT) {
            rev.state = TcpHalf.ESTABLISHED;
          }
        }
        break;
      default:
        break;
    }
  }

  /** Zeek's conn_state (base/protocols/conn/main.zeek, function conn_state), from our states. */
  public String connState() {
    int os = client.state;
    int rs = server.state;
    boolean oInactive = os == TcpHalf.INACTIVE || os == TcpHalf.PARTIAL;
    boolean rInactive = rs == TcpHalf.INACTIVE || rs == TcpHalf.PARTIAL;
    if (rs == TcpHalf.RESET) {
      if (os == TcpHalf.SYN_SENT || os == TcpHalf.SYN_ACK_SENT
          || (os == TcpHalf.RESET && client.payloadBytes == 0 && server.payloadBytes == 0)) {
        return "REJ";
      }
      return oInactive ? "RSTRH" : "RSTR";
    }
    if (os == TcpHalf.RESET) {
      if (rInactive && hasLetter(true, 'S') && !hasLetter(false, 'S')) {
        return "RSTOS0";
      }
      return "RSTO";
    }
    if (rs == TcpHalf.CLOSED && os == TcpHalf.CLOSED) {
      return "SF";
    }
    if (os == TcpHalf.CLOSED) {
      return rInactive ? "SH" : "S2";
    }
    if (rs == TcpHalf.CLOSED) {
      return oInactive ? "SHR" : "S3";
    }
    if (os == TcpHalf.SYN_SENT && rs == TcpHalf.INACTIVE) {
      return "S0";
    }
    if (os == TcpHalf.ESTABLISHED && rs == TcpHalf.ESTABLISHED) {
      return "S1";
    }
    return "OTH";
  }

  // Letters recorded once per direction, in Zeek's meaning; index = bit in lettersSeen.
  private static final String ONCE = "SHADFRQ";

  private void historyOf(boolean orig, int flags, int seglen, int ta) {
    boolean syn = (flags & SYN) != 0;
    boolean ackFlag = (flags & ACK) != 0;
    boolean fin = (flags & FIN) != 0;
    boolean rst = (flags & RST) != 0;
    if (syn && (fin || rst)) {
      once(orig, 'Q');
    } else if (syn) {
      once(orig, ackFlag ? 'H' : 'S');
    }
    if (seglen > 0) {
      once(orig, 'D');
    } else if (ackFlag && !syn && !fin && !rst) {
      once(orig, 'A');
    }
    if (fin) {
      once(orig, 'F');
    }
    if (rst) {
      once(orig, 'R');
    }
    if ((ta & TcpAnalysis.RETRANSMISSION) != 0 && seglen > 0) {
      repeated(orig, 0, 'T');
    }
    if ((ta & TcpAnalysis.LOST_SEGMENT) != 0) {
      repeated(orig, 1, 'G');
    }
    if ((ta & TcpAnalysis.ZERO_WINDOW) != 0) {
      repeated(orig, 2, 'W');
    }
  }

  private boolean hasLetter(boolean orig, char upper) {
    int bit = ONCE.indexOf(upper) + (orig ? 0 : 16);
    return (lettersSeen & (1 << bit)) != 0;
  }

  private void once(boolean orig, char upper) {
    int bit = 1 << (ONCE.indexOf(upper) + (orig ? 0 : 16));
    if ((lettersSeen & bit) == 0) {
      lettersSeen |= bit;
      append(orig ? upper : Character.toLowerCase(upper));
    }
  }

  /** Zeek records T, G, W again each time their count reaches 10, 100, 1000, ... */
  private void repeated(boolean orig, int kind, char upper) {
    int i = kind + (orig ? 0 : 4);
    if (++repeatCounts[i] == repeatNext[i]) {
      repeatNext[i] = repeatNext[i] >= 100_000_000 ? Integer.MAX_VALUE : repeatNext[i] * 10;
      append(orig ? upper : Character.toLowerCase(upper));
    }
  }

  private void append(char c) {
    if (historyLen == history.length) {
      if (historyLen == HISTORY_MAX) {
        return;
      }
      history = java.util.Arrays.copyOf(history, Math.min(HISTORY_MAX, historyLen * 2));
    }
    history[historyLen++] = (byte) c;
  }

  /** Zeek's history letters; {@code M}/{@code m} are ours: mirror duplicates (see docs). */
  public String history() {
    return new String(history, 0, historyLen, java.nio.charset.StandardCharsets.US_ASCII);
  }

  // ---- findings ----

  private void zeroWindow(TcpHalf fwd, int rawWindow, boolean ctl, boolean rst, long now) {
    if (rst) {
      client.zeroWindowSince = -1;
      server.zeroWindowSince = -1;
    } else if (!ctl) {
      if (rawWindow == 0) {
        if (fwd.zeroWindowSince < 0) {
          fwd.zeroWindowSince = now;
        }
      } else {
        fwd.zeroWindowSince = -1;
      }
    }
  }

  private void findings(boolean fromClient, TcpHalf fwd, boolean rst, int seglen, int ta,
      long now) {
    if (fromClient && server.syns == 0 && attemptSyns >= config.synUnansweredSyns()
        && client.syns > 0 && (client.state == TcpHalf.SYN_SENT)) {
      raise(TcpFinding.SYN_UNANSWERED);
    }
    if (!fromClient && rst && client.syns > 0 && server.syns == 0) {
      raise(TcpFinding.CONNECTION_REFUSED);
    }
    if (synRtt > config.slowHandshakeNanos() && synAckTime == now) {
      raise(TcpFinding.SLOW_HANDSHAKE);
    }
    if ((ta & TcpAnalysis.RETRANSMISSION) != 0 && seglen > 0) {
      long data = client.dataSegments + server.dataSegments;
      long re = client.retransmittedDataSegments + server.retransmittedDataSegments;
      if (data >= config.retransStormMinSegments()
          && re * 100 > (long) config.retransStormPercent() * data) {
        raise(TcpFinding.RETRANSMISSION_STORM);
      }
    }
    long since = Math.min(client.zeroWindowSince < 0 ? Long.MAX_VALUE : client.zeroWindowSince,
        server.zeroWindowSince < 0 ? Long.MAX_VALUE : server.zeroWindowSince);
    if (since != Long.MAX_VALUE && now - since > config.zeroWindowStallNanos()) {
      raise(TcpFinding.ZERO_WINDOW_STALL);
    }
  }

  private void raise(TcpFinding f) {
    if ((raised & f.bit()) == 0) {
      raised |= f.bit();
      newFindings |= f.bit();
    }
  }

  /** Findings first raised by the last {@link #onPacket} call: test with {@link #raised(int, TcpFinding)}. */
  /**
   * The {@link TcpEvent} bits raised while the last packet given to {@link #onPacket} was handled
   * (0 when none); valid until the next one.
   */
  public int packetEvents() {
    return events;
  }

  public int newFindings() {
    return newFindings;
  }

  /** Every finding raised on this connection so far. */
  public int raisedFindings() {
    return raised;
  }

  /** True when {@code f} is in the set {@code findings} ({@link #newFindings()}, ...). */
  public static boolean raised(int findings, TcpFinding f) {
    return (findings & f.bit()) != 0;
  }

  // ---- accessors ----

  /** Starts a new record (active timeout): the counters go to zero; state, RTTs and history stay. */
  public void resetCounters() {
    retransmissions = 0;
    fastRetransmissions = 0;
    spuriousRetransmissions = 0;
    outOfOrder = 0;
    lostSegments = 0;
    ackLostSegments = 0;
    dupAcks = 0;
    zeroWindows = 0;
    zeroWindowProbes = 0;
    windowFull = 0;
    keepAlives = 0;
    resets = 0;
    missedBytes = 0;
  }

  /** SYN -> SYN-ACK in nanoseconds, from the most recent SYN before it (as tshark), or -1. */
  public long synRttNanos() {
    return synRtt;
  }

  /** SYN-ACK -> the client's first ACK in nanoseconds, or -1. */
  public long ackRttNanos() {
    return ackRtt;
  }

  public long retransmissions() {
    return retransmissions;
  }

  public long fastRetransmissions() {
    return fastRetransmissions;
  }

  public long spuriousRetransmissions() {
    return spuriousRetransmissions;
  }

  public long outOfOrder() {
    return outOfOrder;
  }

  public long lostSegments() {
    return lostSegments;
  }

  public long ackLostSegments() {
    return ackLostSegments;
  }

  public long dupAcks() {
    return dupAcks;
  }

  public long zeroWindows() {
    return zeroWindows;
  }

  public long zeroWindowProbes() {
    return zeroWindowProbes;
  }

  public long windowFull() {
    return windowFull;
  }

  public long keepAlives() {
    return keepAlives;
  }

  public long resets() {
    return resets;
  }

  /**
   * Bytes the receiver acknowledged that the sensor never saw (Zeek's missed_bytes, an estimate of
   * mirror loss), including acknowledged gaps still inside the reorder window.
   */
  public long missedBytes() {
    return missedBytes + pendingMissed(client) + pendingMissed(server);
  }

  /** Gaps not tracked because a direction already had {@value TcpHalf#MAX_GAPS} open. */
  public long gapOverflows() {
    return gapOverflows;
  }

  /**
   * The initial sequence number of the client's (true) or server's side, from its SYN or SYN-ACK,
   * or -1 when no SYN of that side was seen (a flow picked up midstream).
   */
  public long initialSeq(boolean ofClient) {
    TcpHalf h = ofClient ? client : server;
    return h.syns > 0 ? h.isn : -1;
  }

  /**
   * Sequence space the client's (true) or server's side has used: its highest sequence number
   * plus length minus its initial sequence number (SYN and FIN count one each), as Suricata's
   * {@code stream_size} reads it; -1 when that side's SYN was not seen.
   */
  public long streamBytes(boolean ofClient) {
    TcpHalf h = ofClient ? client : server;
    return h.syns > 0 && h.seqKnown ? (h.nextSeq - h.isn) & 0xFFFF_FFFFL : -1;
  }

  /** Window scale shift applied to the client's (true) or server's window, -1 when unknown. */
  public int windowScale(boolean ofClient) {
    return (ofClient ? client : server).wscale;
  }

  /** True when both SYNs offered SACK (RFC 2018). */
  public boolean sackPermitted() {
    return client.sackPermitted && server.sackPermitted;
  }

  /** True when both SYNs carried timestamps (RFC 7323). */
  public boolean timestamps() {
    return client.timestamps && server.timestamps;
  }
}

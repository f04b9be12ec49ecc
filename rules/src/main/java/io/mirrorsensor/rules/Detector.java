package io.mirrorsensor.rules;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpBuffer;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import java.util.Arrays;

/**
 * Evaluates a {@link RuleSet} against packets. One per worker thread, not thread-safe; owns its
 * scratch (candidate bitset, buffer span, regex matchers), its threshold / detection_filter state
 * and a per-packet flowbit scratch for packets without a flow.
 *
 * <p>Call order, per decoded packet: the flow table finds the packet's flow and updates it
 * (direction, handshake state), then {@link #inspect}; alerts are delivered to the sink during
 * the call, in rule evaluation order. Time is the packet's {@code tsNanos} (thresholds), never
 * the wall clock.
 *
 * <p>Per packet: the protocol group's prefilter scans the payload once for every fast pattern
 * (case-folded Aho-Corasick); only rules whose fast pattern occurred, plus the group's rules
 * without one, are evaluated in full. Nothing is allocated per packet, except inside RE2/J when a
 * candidate rule has a pcre.
 *
 * <p>Per chunk of a reassembled TCP stream ({@link #inspectStream}): the stream rules, on a
 * window made of the tail of the previous chunk and the new bytes (see {@link RuleSet}).
 *
 * <p>Per transaction ({@link #inspectHttp}, {@link #inspectDns}, {@link #inspectTls}): only the
 * rules of that app protocol are considered; each of its prefilters scans its buffer (one per
 * buffer and direction that holds fast patterns), then candidates are evaluated as for packets,
 * with the flow's endpoints in the rule's direction standing in for the packet. Derived buffers
 * (normalised URI and headers, the dotted DNS name) are built once per call into the detector's
 * scratch; nothing is allocated per call (TLS buffers made from the certificate are made once per
 * transaction by the transaction itself).
 */
public final class Detector implements MultiPatternMatcher.Hits {
  /** Bound on content backtracking steps for one rule on one packet (Suricata: 3000). */
  static final int MAX_BACKTRACK_STEPS = 3000;

  private final RuleSet set;
  private final long[] cand;
  private final int[] touched;
  private int touchedCount;
  private final int[] patStamp;
  private int stamp;
  /** Per pattern of the merged raw message and body prefilter: its body rules marked at this stamp. */
  private final int[] bodyStamp;
  /** While a merged raw message and body prefilter scans ({@link #scanRawAndBody}): it, else null. */
  private RuleSet.Prefilter merged;
  /** While {@link #merged} scans: the head is present, so the raw message's rules can match. */
  private boolean rawPresent;
  /** While {@link #merged} scans: buffer offset where the body starts (max while in the head). */
  private int bodyFrom;
  /** Pattern id to rules, of the prefilter scanning now. */
  private int[][] hitRules;
  private final Span span = new Span();
  private final Inspection in = new Inspection();
  /** Transaction inspection: the flow's endpoints client to server, and server to client. */
  private final DecodedPacket fwd = endpoints();
  private final DecodedPacket rev = endpoints();
  private final TxFlow txFlow = new TxFlow();
  private long transactions;
  private final long[] packetBits;
  private final Matcher[] matchers;
  private final Latin1View view = new Latin1View();
  private int budget;
  /** Values of the byte_extract variables of the rule being evaluated, by slot. */
  final long[] extracted = new long[ByteExtractKeyword.MAX_VARS];
  // failure of the last evaluation (explain)
  private int failIndex;
  private int failOffset;
  private String failWhat;
  /** The buffer that was absent (its text is made only when explained: no concat per candidate). */
  private StickyBuffer failAbsent;
  private int failSeg;
  // threshold table
  private final int tMask;
  private final int[] tRule;
  private final long[] tA0;
  private final long[] tA1;
  private final long[] tB0;
  private final long[] tB1;
  private final long[] tStart;
  private final long[] tCount;
  private long thresholdEvictions;
  private long packets;
  private long candidatesEvaluated;
  private long streamChunks;
  private long streamBytes;
  /** Stream windows: a match must end at or after this buffer offset (in new bytes); else 0. */
  private int minEnd;
  /** While a stream chunk is scanned: its window, where tail hits that may chain go. */
  private StreamWindow pendOut;
  /** Stream offset of index 0 of the buffer being scanned. */
  private long hitBase;
  /** Stream offset from which a chaining hit is kept pending (the next tail's start). */
  private long pendFrom;
  private boolean[] hitChains;
  /** While a stream chunk is scanned ({@link RuleSet#streamScan}): its id maps, else null. */
  private int[] scanToStream;
  private int[] scanToCovered;
  private int[] scanLength;
  /** Stream offset of the first new byte of the chunk being scanned. */
  private long chunkStart;
  /**
   * The packet-only tcp rules' patterns found in the last stream chunk's new bytes (covered group
   * ids), and which bytes they were: when the packet inspected next has exactly this payload, its
   * own scan is skipped.
   */
  private final int[] coveredHits;
  private int coveredHitCount;
  private final int[] coveredStamp;
  private int coveredStampNow;
  private long coveredFor = -1;
  private byte[] coveredBuf;
  private int coveredOff;
  private int coveredLen;
  private int coveredDir;
  /** Stream window scratch: the previous tail, then the new chunk. */
  private byte[] window = new byte[0];
  /** Largest chunk inspected at once: longer deliveries are inspected in pieces. */
  static final int MAX_STREAM_CHUNK = 65536;

  Detector(RuleSet set) {
    this.set = set;
    int n = set.rules.length;
    cand = new long[(n + 63) >>> 6];
    touched = new int[cand.length];
    int maxPatterns = 0;
    for (RuleSet.Group[] gs : set.packetGroups) {
      for (RuleSet.Group g : gs) {
        maxPatterns = Math.max(maxPatterns, g.patternRules.length);
      }
    }
    int maxCovered = 0;
    for (int d = RuleSet.DIR_TS; d <= RuleSet.DIR_TC; d++) {
      maxPatterns = Math.max(maxPatterns, set.coveredTcp[d].patternRules.length);
      maxPatterns = Math.max(maxPatterns, set.stream[d].patternRules.length);
      maxCovered = Math.max(maxCovered, set.coveredTcp[d].patternRules.length);
    }
    coveredHits = new int[maxCovered];
    coveredStamp = new int[maxCovered];
    for (RuleSet.AppGroup g : set.appGroups) {
      for (RuleSet.Prefilter pf : g.prefilters) {
        maxPatterns = Math.max(maxPatterns, pf.patternRules.length);
      }
    }
    patStamp = new int[maxPatterns];
    bodyStamp = new int[maxPatterns];
    packetBits = new long[set.flowbitWords];
    in.xbits = set.xbits;
    matchers = new Matcher[set.regexSlots];
    int cap = set.options.thresholdEntries();
    tMask = cap - 1;
    tRule = new int[cap];
    Arrays.fill(tRule, -1);
    tA0 = new long[cap];
    tA1 = new long[cap];
    tB0 = new long[cap];
    tB1 = new long[cap];
    tStart = new long[cap];
    tCount = new long[cap];
  }

  /**
   * Inspects one decoded packet.
   *
   * @param p the packet, valid for the duration of the call (not kept)
   * @param flow the packet's flow, already updated with this packet, or null when it has none
   * @param sink receives one call per alert
   * @return the number of alerts raised
   */
  public int inspect(DecodedPacket p, FlowContext flow, AlertSink sink) {
    return inspect(p, flow, sink, 0);
  }

  /**
   * {@link #inspect(DecodedPacket, FlowContext, AlertSink, int)} mode: the packet's direction is
   * reassembled and its bytes go to {@link #inspectStream}; a TCP packet then meets only the rules
   * that stay packet rules (tcp-pkt, no_stream, checks on the packet itself, header-only), and the
   * stream rules see its bytes on the stream instead.
   */
  public static final int STREAMED = 1;
  /**
   * Mode: the payload is not inspected (an encrypted TLS connection, as Suricata's default
   * encryption-handling): only rules without payload keywords can match.
   */
  public static final int NO_PAYLOAD = 2;

  /**
   * Inspects one decoded packet in a mode: 0, or {@link #STREAMED} and/or {@link #NO_PAYLOAD}.
   */
  public int inspect(DecodedPacket p, FlowContext flow, AlertSink sink, int mode) {
    if (p.ipVersion == 0) {
      return 0;
    }
    boolean streamInspected = (mode & STREAMED) != 0;
    int gi = groupOf(p);
    int dir = flow == null ? RuleSet.DIR_ANY : flow.toServer() ? RuleSet.DIR_TS : RuleSet.DIR_TC;
    boolean covered = streamInspected && gi == Protocols.TCP && dir != RuleSet.DIR_ANY;
    RuleSet.Group g = covered ? set.coveredTcp[dir] : set.packetGroups[dir][gi];
    // the stream chunk this packet delivered was its whole payload: its scan found this group's
    // patterns already
    boolean prescanned = covered && coveredFor == packets && coveredDir == dir
        && coveredBuf == p.buf && coveredOff == p.payloadOffset && coveredLen == p.payloadLength;
    coveredFor = -1;
    coveredBuf = null;
    packets++;
    long[] bits = flow != null ? flow.flowbits() : packetBits;
    if (flow == null) {
      Arrays.fill(packetBits, 0L);
    }
    in.begin(p, null, null, null);
    in.noPayload = (mode & NO_PAYLOAD) != 0;
    touchedCount = 0;
    markAlways(g, p);
    if (g.mpm != null && p.payloadOffset >= 0 && p.payloadLength > 0 && !in.noPayload) {
      if (prescanned) {
        hitRules = g.patternRules;
        newStamp();
        for (int i = 0; i < coveredHitCount; i++) {
          hit(coveredHits[i]);
        }
      } else {
        scan(g.mpm, g.patternRules, p.buf, p.payloadOffset, p.payloadLength);
      }
    }
    return evaluateCandidates(p, flow, bits, sink, null);
  }

  /**
   * Inspects one HTTP transaction with the http rules: request buffers for to_server rules,
   * response buffers (and either side's shared ones, by direction) for to_client rules.
   *
   * @param t the transaction, read during the call only
   * @param tsNanos packet time of the moment it completed (thresholds)
   * @param flow its flow (endpoints, flowbits, established), not null
   * @return the number of alerts raised
   */
  public int inspectHttp(HttpTransaction t, long tsNanos, FlowContext flow, AlertSink sink) {
    in.begin(null, t, null, null);
    return inspectTransaction(Protocols.APP_HTTP, t, tsNanos, flow, sink, BOTH_SIDES);
  }

  /** Inspect every rule of the transaction ({@link #inspectHttp}). */
  public static final int BOTH_SIDES = 0;
  /** Inspect the to_server rules only: the request has ended, the response is still to come. */
  public static final int REQUEST_SIDE = 1;
  /** Inspect the to_client rules only: the request side was inspected at its end. */
  public static final int RESPONSE_SIDE = 2;

  /**
   * Inspects one side of an HTTP transaction: {@link #REQUEST_SIDE} once the request has ended
   * (the to_server rules, which read request buffers only, so they alert without waiting for the
   * response, as Suricata does), then {@link #RESPONSE_SIDE} when the transaction is complete (the
   * to_client rules). The two calls together raise what one {@link #inspectHttp} would, each rule
   * once; flowbits a request-side rule sets are seen by the response side.
   */
  public int inspectHttp(HttpTransaction t, long tsNanos, FlowContext flow, AlertSink sink,
      int side) {
    in.begin(null, t, null, null);
    return inspectTransaction(Protocols.APP_HTTP, t, tsNanos, flow, sink, side);
  }

  /** Inspects one DNS transaction with the dns rules; as {@link #inspectHttp}. */
  public int inspectDns(DnsTransaction t, long tsNanos, FlowContext flow, AlertSink sink) {
    in.begin(null, null, t, null);
    return inspectTransaction(Protocols.APP_DNS, t, tsNanos, flow, sink, BOTH_SIDES);
  }

  /** Inspects one TLS transaction (the handshake) with the tls rules; as {@link #inspectHttp}. */
  public int inspectTls(TlsTransaction t, long tsNanos, FlowContext flow, AlertSink sink) {
    in.begin(null, null, null, t);
    return inspectTransaction(Protocols.APP_TLS, t, tsNanos, flow, sink, BOTH_SIDES);
  }

  private int inspectTransaction(int app, Object tx, long tsNanos, FlowContext flow,
      AlertSink sink, int side) {
    RuleSet.AppGroup g = set.appGroups[app];
    if (g.always.length == 0 && g.prefilters.length == 0) {
      return 0;
    }
    if (side != RESPONSE_SIDE) {
      transactions++;
    }
    endpoints(flow, tsNanos);
    txFlow.flow = flow;
    touchedCount = 0;
    for (int r : g.always) {
      if (side == BOTH_SIDES || set.rules[r].toClient == (side == RESPONSE_SIDE)) {
        mark(r);
      }
    }
    for (RuleSet.Prefilter pf : g.prefilters) {
      // a prefilter holds the fast patterns of rules of its direction only (RuleSet.buildAppGroup)
      if (side != BOTH_SIDES && pf.toClient != (side == RESPONSE_SIDE)) {
        continue;
      }
      in.toClient = pf.toClient;
      if (pf.bodyRules != null) {
        scanRawAndBody(pf);
      } else if (pf.buffer.multi()) {
        scanInstances(pf);
      } else if (pf.buffer.supplier.fill(in, span) && span.len > 0) {
        scan(pf.mpm, pf.patternRules, span.buf, span.off, span.len);
      }
    }
    int alerts = evaluateCandidates(null, txFlow, flow.flowbits(), sink, tx);
    txFlow.flow = null;
    return alerts;
  }

  /**
   * Scans an http direction's head and then, continuing from the head's state, its body with the
   * merged raw message and body prefilter ({@link RuleSet.Prefilter#bodyRules}): the bytes the
   * raw message ({@link StickyBuffer#HTTP_RAW_MESSAGE}) is made of, without building it, and the
   * body once for both.
   */
  private void scanRawAndBody(RuleSet.Prefilter pf) {
    HttpTransaction t = in.http;
    HttpBuffer line = pf.toClient ? HttpBuffer.RESPONSE_LINE : HttpBuffer.REQUEST_LINE;
    newStamp();
    merged = pf;
    rawPresent = t.length(line) >= 0;
    bodyFrom = Integer.MAX_VALUE;
    try {
      int state = 0;
      if (rawPresent) {
        byte[] head = t.bytes(line);
        state = pf.mpm.scan(head, 0, head.length, 0, this);
      }
      if (StickyBuffer.FILE_DATA.supplier.fill(in, span) && span.len > 0) {
        bodyFrom = span.off;
        pf.mpm.scan(span.buf, span.off, span.len, state, this);
      }
    } finally {
      merged = null;
    }
  }

  /** A hit of the merged raw message and body prefilter. */
  private void mergedHit(int id, int end) {
    RuleSet.Prefilter pf = merged;
    if (rawPresent && patStamp[id] != stamp) {
      patStamp[id] = stamp;
      for (int r : pf.patternRules[id]) {
        mark(r);
      }
    }
    if (end - pf.patternLength[id] >= bodyFrom && bodyStamp[id] != stamp) {
      bodyStamp[id] = stamp;
      for (int r : pf.bodyRules[id]) {
        mark(r);
      }
    }
  }

  /** Scans every instance of a multi-instance buffer (tls.certs ...) with its prefilter. */
  private void scanInstances(RuleSet.Prefilter pf) {
    int n = pf.buffer.instances(in);
    for (int k = 0; k < n; k++) {
      in.instance = k;
      if (pf.buffer.supplier.fill(in, span) && span.len > 0) {
        scan(pf.mpm, pf.patternRules, span.buf, span.off, span.len);
      }
    }
    in.instance = 0;
  }

  /** True when the segment matches in one of the buffer's instances (Suricata's multi-buffers). */
  private boolean matchAnyInstance(PayloadMatch[] seg, StickyBuffer b) {
    int n = b.instances(in);
    boolean ok = false;
    for (int k = 0; k < n && !ok; k++) {
      in.instance = k;
      if (b.supplier.fill(in, span)) {
        budget = MAX_BACKTRACK_STEPS;
        ok = matchFrom(seg, 0, 0, span);
      }
    }
    in.instance = 0;
    if (n == 0) {
      failAbsent = b;
    }
    return ok;
  }

  /**
   * Inspects new in-order bytes of one direction of a reassembled TCP stream with the stream rules
   * (Suricata's raw stream inspection): the window is the tail of what {@code w} saw before plus
   * the new bytes, so a content that spans segments matches; a rule alerts once per match, and a
   * match lying wholly in the tail (reported by the previous window) is not reported again.
   * Absolute positions (offset, depth, startswith) count from the start of the stream. The rules
   * see the flow's endpoints in the stream's direction; {@code flow} must be the stream's flow.
   *
   * @param buf the bytes, read during the call only
   * @param offset stream offset of {@code buf[off]}
   * @param toServer the direction of the stream (client to server)
   * @param tsNanos packet time of the packet that delivered the bytes
   * @return the number of alerts raised
   */
  public int inspectStream(StreamWindow w, byte[] buf, int off, int len, long offset,
      boolean toServer, long tsNanos, FlowContext flow, AlertSink sink) {
    RuleSet.Group g = set.stream[toServer ? RuleSet.DIR_TS : RuleSet.DIR_TC];
    if (len <= 0 || set.streamScan[toServer ? RuleSet.DIR_TS : RuleSet.DIR_TC] == null
        && g.always.length == 0 && g.byPort.length == 0 && g.bySrcPort.length == 0
        && g.alwaysV4.length == 0
        && g.alwaysV6.length == 0 && g.bySrc == null && g.byDst == null) {
      return 0;
    }
    if (offset != w.next) {
      w.gap(w.next, offset - w.next);
    }
    endpoints(flow, tsNanos);
    DecodedPacket p = toServer ? fwd : rev;
    txFlow.flow = flow;
    txFlow.toServer = toServer;
    long[] bits = flow.flowbits();
    int alerts = 0;
    try {
      while (len > 0) {
        int n = Math.min(len, MAX_STREAM_CHUNK);
        alerts += streamChunk(g, toServer ? RuleSet.DIR_TS : RuleSet.DIR_TC, w, buf, off, n,
            offset, p, bits, sink);
        off += n;
        offset += n;
        len -= n;
      }
    } finally {
      minEnd = 0;
      in.stream = false;
      txFlow.flow = null;
    }
    return alerts;
  }

  private int streamChunk(RuleSet.Group g, int dir, StreamWindow w, byte[] buf, int off, int n,
      long offset, DecodedPacket p, long[] bits, AlertSink sink) {
    streamChunks++;
    streamBytes += n;
    int keep = set.streamTail;
    int tl = Math.min(w.tailLen, keep);
    long windowBase = offset - tl;
    in.begin(p, null, null, null);
    touchedCount = 0;
    markAlways(g, p);
    byte[] wb = null;
    MultiPatternMatcher mpm = set.streamScan[dir];
    if (mpm != null) {
      newStamp();
      hitRules = g.patternRules;
      hitChains = g.patternChains;
      pendOut = w;
      pendFrom = offset + n - keep;
      scanToStream = set.streamScanToStream[dir];
      scanToCovered = set.streamScanToCovered[dir];
      scanLength = set.streamScanLength[dir];
      chunkStart = offset;
      coveredHitCount = 0;
      if (++coveredStampNow == 0) {
        Arrays.fill(coveredStamp, 0);
        coveredStampNow = 1;
      }
      coveredFor = packets;
      coveredBuf = buf;
      coveredOff = off;
      coveredLen = n;
      coveredDir = dir;
      if (w.stateOf == mpm && !w.overflow) {
        // continue the scan where the previous chunk left it: only occurrences ending in the new
        // bytes are reported; hits in the tail that may begin a longer match are re-marked
        int kept = 0;
        for (int i = 0; i < w.pendingCount; i++) {
          long at = w.pendingAt[i];
          if (at >= windowBase) {
            hit(w.pendingId[i]);
          }
          if (at >= pendFrom) {
            w.pendingId[kept] = w.pendingId[i];
            w.pendingAt[kept++] = at;
          }
        }
        w.pendingCount = kept;
        hitBase = offset - off;
        w.state = mpm.scan(buf, off, n, w.state, this);
      } else {
        // afresh (first chunk, after a gap, a reload, or too many pending hits): the whole window
        w.pendingCount = 0;
        w.overflow = false;
        wb = window(w, tl, buf, off, n);
        hitBase = windowBase;
        w.state = mpm.scan(wb, 0, tl + n, 0, this);
      }
      w.stateOf = mpm;
      pendOut = null;
      scanToStream = null;
    }
    int alerts = 0;
    if (touchedCount > 0) {
      if (wb == null) {
        wb = tl > 0 ? window(w, tl, buf, off, n) : buf;
      }
      in.stream = true;
      in.streamBuf = wb;
      in.streamOff = wb == buf ? off : 0;
      in.streamLen = tl + n;
      in.streamBase = windowBase;
      minEnd = tl + 1;
      alerts = evaluateCandidates(p, txFlow, bits, sink, null);
      minEnd = 0;
      in.stream = false;
    }
    w.append(buf, off, n, keep, offset + n);
    return alerts;
  }

  /** The window scratch holding the last {@code tl} bytes of the tail, then the new bytes. */
  private byte[] window(StreamWindow w, int tl, byte[] buf, int off, int n) {
    int wl = tl + n;
    if (window.length < wl) {
      window = new byte[Math.max(wl, Math.min(2 * window.length, MAX_STREAM_CHUNK + set.streamTail))];
    }
    if (tl > 0) {
      System.arraycopy(w.tail, w.tailLen - tl, window, 0, tl);
    }
    System.arraycopy(buf, off, window, tl, n);
    return window;
  }

  private void newStamp() {
    if (++stamp == 0) {
      Arrays.fill(patStamp, 0);
      Arrays.fill(bodyStamp, 0);
      stamp = 1;
    }
  }

  private void scan(MultiPatternMatcher mpm, int[][] rulesOfPattern, byte[] b, int off, int len) {
    hitRules = rulesOfPattern;
    newStamp();
    mpm.scan(b, off, len, this);
  }

  /**
   * Evaluates the marked candidates in rule order. {@code p} is the packet, or null for a
   * transaction {@code tx}: then each rule sees the endpoints in its own direction.
   */
  private int evaluateCandidates(DecodedPacket packet, FlowContext flow, long[] bits,
      AlertSink sink, Object tx) {
    // evaluate candidates in rule order: ascending word, ascending bit
    int tc = touchedCount;
    for (int i = 1; i < tc; i++) {
      int w = touched[i];
      int j = i - 1;
      while (j >= 0 && touched[j] > w) {
        touched[j + 1] = touched[j];
        j--;
      }
      touched[j + 1] = w;
    }
    int alerts = 0;
    boolean passed = false;
    for (int t = 0; t < tc; t++) {
      int w = touched[t];
      long word = cand[w];
      cand[w] = 0;
      while (word != 0 && !passed) {
        int bit = Long.numberOfTrailingZeros(word);
        word &= word - 1;
        Rule r = set.rules[(w << 6) + bit];
        if (in.stream && in.streamBase >= r.streamEnd) {
          continue; // its anchored content lies before this window
        }
        candidatesEvaluated++;
        DecodedPacket p = packet;
        if (tx != null) {
          p = r.toClient ? rev : fwd;
          in.toClient = r.toClient;
          txFlow.toServer = !r.toClient;
        }
        if (!evaluate(r, p, flow, bits)) {
          continue;
        }
        for (int b : r.setBits) {
          bits[b >>> 6] |= 1L << b;
        }
        for (int b : r.unsetBits) {
          bits[b >>> 6] &= ~(1L << b);
        }
        for (int b : r.toggleBits) {
          bits[b >>> 6] ^= 1L << b;
        }
        for (XbitsKeyword.Op x : r.xbitActions) {
          x.act(set.xbits, p);
        }
        if (r.flowintActions.length > 0 && flow != null) {
          long[] fi = flow.flowints();
          for (FlowintKeyword.Op o : r.flowintActions) {
            o.act(fi);
          }
        }
        if (r.action.equals("pass")) {
          passed = true;
          break;
        }
        if (r.noalert) {
          continue;
        }
        if (r.threshold != null && !(r.threshold.type == Threshold.Type.BACKOFF ? backoffAllows(r.threshold, flow)
            : thresholdAllows(r, p))) {
          continue;
        }
        alerts++;
        if (tx == null) {
          sink.alert(r, p);
        } else {
          sink.transactionAlert(r, p, tx);
        }
      }
    }
    return alerts;
  }

  /** Marks the group's rules without a fast pattern that the packet's addresses can match. */
  private void markAlways(RuleSet.Group g, DecodedPacket p) {
    for (int r : g.always) {
      mark(r);
    }
    if (g.byPort.length > 0) {
      int i = Arrays.binarySearch(g.byPort, p.dstPort);
      if (i >= 0) {
        for (int r : g.byPortRules[i]) {
          mark(r);
        }
      }
    }
    if (g.bySrcPort.length > 0) {
      int i = Arrays.binarySearch(g.bySrcPort, p.srcPort);
      if (i >= 0) {
        for (int r : g.bySrcPortRules[i]) {
          mark(r);
        }
      }
    }
    if (p.ipVersion == 4) {
      for (int r : g.alwaysV4) {
        mark(r);
      }
      if (g.bySrc != null || g.byDst != null) {
        markByAddress(g.bySrc, p.srcAddr);
        markByAddress(g.byDst, p.dstAddr);
      }
    } else {
      for (int r : g.alwaysV6) {
        mark(r);
      }
    }
  }

  private void markByAddress(RuleSet.AddressIndex idx, byte[] addr) {
    if (idx == null) {
      return;
    }
    int[] rs = idx.lookup(((addr[0] & 0xFFL) << 24) | ((addr[1] & 0xFFL) << 16)
        | ((addr[2] & 0xFFL) << 8) | (addr[3] & 0xFFL));
    if (rs != null) {
      for (int r : rs) {
        mark(r);
      }
    }
  }

  @Override
  public void hit(int patternId, int end) {
    if (merged != null) {
      mergedHit(patternId, end);
      return;
    }
    if (scanToStream == null) {
      hit(patternId);
      return;
    }
    // a stream chunk's scan: stream rules' patterns, and packet-only rules' patterns wholly in
    // the new bytes (for the packet that delivered them)
    int sp = scanToStream[patternId];
    int cp = scanToCovered[patternId];
    if (cp < 0 && sp >= 0 && patStamp[sp] == stamp && !hitChains[sp]) {
      return; // seen in this chunk already, and its position matters no more
    }
    long at = hitBase + end - scanLength[patternId];
    if (cp >= 0 && at >= chunkStart && coveredStamp[cp] != coveredStampNow) {
      coveredStamp[cp] = coveredStampNow;
      coveredHits[coveredHitCount++] = cp;
    }
    if (sp < 0) {
      return;
    }
    if (hitChains[sp] && at >= pendFrom) {
      pendOut.pend(sp, at);
    }
    hit(sp);
  }

  private void hit(int patternId) {
    if (patStamp[patternId] == stamp) {
      return;
    }
    patStamp[patternId] = stamp;
    for (int r : hitRules[patternId]) {
      mark(r);
    }
  }

  private void mark(int r) {
    int w = r >>> 6;
    if (cand[w] == 0) {
      touched[touchedCount++] = w;
    }
    cand[w] |= 1L << r;
  }

  static int groupOf(DecodedPacket p) {
    switch (p.ipProto) {
      case 6:
        return p.l4Offset >= 0 ? Protocols.TCP : Protocols.IP;
      case 17:
        return p.l4Offset >= 0 ? Protocols.UDP : Protocols.IP;
      case 1:
      case 58:
        return Protocols.ICMP;
      default:
        return Protocols.IP;
    }
  }

  /** Full evaluation of one rule; records the furthest failure for {@link #explain}. */
  boolean evaluate(Rule r, DecodedPacket p, FlowContext flow, long[] bits) {
    failIndex = -1;
    failOffset = -1;
    failWhat = null;
    failAbsent = null;
    failSeg = -1;
    if (!r.headerMatches(p)) {
      failWhat = "header (protocol, address or port)";
      return false;
    }
    if (r.never) {
      failWhat = "direction (flow keyword contradicts the buffers' side)";
      return false;
    }
    for (PacketCheck c : r.checks) {
      if (!c.test(in, p, flow, bits)) {
        failWhat = c.keyword;
        return false;
      }
    }
    // each buffer is inspected on its own, relative keywords within it (Suricata's engines)
    for (int s = 0; s < r.segments.length; s++) {
      StickyBuffer b = r.segBuffers[s];
      span.base = 0;
      failSeg = s;
      if (b.multi()) {
        if (!matchAnyInstance(r.segments[s], b)) {
          return false;
        }
        continue;
      }
      if (!b.supplier.fill(in, span)) {
        failAbsent = b;
        return false;
      }
      budget = MAX_BACKTRACK_STEPS;
      if (!matchFrom(r.segments[s], 0, 0, span)) {
        return false;
      }
    }
    return true;
  }

  private boolean matchFrom(PayloadMatch[] pm, int i, int prevEnd, Span s) {
    if (i == pm.length) {
      return prevEnd >= minEnd;
    }
    if (--budget < 0) {
      fail(i, prevEnd);
      return false;
    }
    PayloadMatch m = pm[i];
    if (m instanceof ContentMatch) {
      ContentMatch c = (ContentMatch) m;
      int start;
      int end;
      if (s.base != 0 && !c.relative()) {
        // a stream window: absolute positions count from the start of the stream
        if (c.startswith) {
          fail(i, 0);
          return false;
        }
        start = (int) Math.max(0, c.windowStart(0, extracted) - s.base);
        end = (int) Math.max(0, Math.min(s.len, c.windowEnd(0, Integer.MAX_VALUE, extracted) - s.base));
      } else {
        start = c.windowStart(prevEnd, extracted);
        end = c.windowEnd(prevEnd, s.len, extracted);
      }
      int plen = c.pattern.length;
      if (c.negated) {
        int f = end - start >= plen ? c.find(s, start, end) : -1;
        if (f >= 0) {
          fail(i, f);
          return false;
        }
        return matchFrom(pm, i + 1, prevEnd, s);
      }
      int from = start;
      if (minEnd > 0 && i + 1 == pm.length) {
        from = Math.max(from, minEnd - plen); // a stream match must end in new bytes
      }
      boolean retry = i + 1 < pm.length && pm[i + 1].relative();
      while (true) {
        int f = end - from >= plen ? c.find(s, from, end) : -1;
        if (f < 0) {
          fail(i, from);
          return false;
        }
        if (matchFrom(pm, i + 1, f + plen, s)) {
          return true;
        }
        if (!retry || budget < 0) {
          return false;
        }
        from = f + 1;
      }
    }
    int ne = m.eval(s, prevEnd, this);
    if (ne < 0) {
      fail(i, prevEnd);
      return false;
    }
    return matchFrom(pm, i + 1, ne, s);
  }

  private void fail(int i, int offset) {
    if (i >= failIndex) {
      failIndex = i;
      failOffset = offset;
    }
  }

  /** What is being inspected (for keywords that keep scratch in it, as base64_decode). */
  Inspection inspection() {
    return in;
  }

  Matcher regexMatcher(int slot, Pattern pattern, byte[] buf, int off, int len) {
    view.set(buf, off, len);
    Matcher m = matchers[slot];
    if (m == null) {
      m = pattern.matcher(view);
      matchers[slot] = m;
    } else {
      m.reset(view);
    }
    return m;
  }

  /** threshold backoff by_flow: counts the flow's matches in its hidden flowint slot. */
  private static boolean backoffAllows(Threshold t, FlowContext flow) {
    long[] v = flow == null ? null : flow.flowints();
    if (v == null) {
      return t.count == 1; // no flow to count in: every match is a first one
    }
    long n = Math.min((v[t.flowSlot] & FlowintKeyword.VALUE) + 1, FlowintKeyword.VALUE);
    v[t.flowSlot] = FlowintKeyword.SET | n;
    return t.backoffAlerts(n);
  }

  private boolean thresholdAllows(Rule r, DecodedPacket p) {
    Threshold t = r.threshold;
    long a0 = 0;
    long a1 = 0;
    long b0 = 0;
    long b1 = 0;
    if (t.track == Threshold.Track.BY_SRC || t.track == Threshold.Track.BY_BOTH) {
      a0 = word(p.srcAddr, 0) ^ p.ipVersion;
      a1 = word(p.srcAddr, 8);
    }
    if (t.track == Threshold.Track.BY_DST || t.track == Threshold.Track.BY_BOTH) {
      b0 = word(p.dstAddr, 0) ^ p.ipVersion;
      b1 = word(p.dstAddr, 8);
    }
    long h = (r.index * 0x9E3779B97F4A7C15L) ^ a0 * 31 ^ a1 * 131 ^ b0 * 1031 ^ b1 * 8191;
    h ^= h >>> 29;
    int slot = (int) h & tMask;
    long now = p.tsNanos;
    long window = t.seconds * 1_000_000_000L;
    int victim = slot;
    for (int probe = 0; probe < 32; probe++) {
      int s = (slot + probe) & tMask;
      if (tRule[s] == r.index && tA0[s] == a0 && tA1[s] == a1 && tB0[s] == b0 && tB1[s] == b1) {
        if (now - tStart[s] > window) {
          tStart[s] = now;
          tCount[s] = 0;
        }
        return t.alerts(++tCount[s]);
      }
      if (tRule[s] < 0) {
        victim = s;
        break;
      }
      if (tStart[s] < tStart[victim]) {
        victim = s;
      }
    }
    if (tRule[victim] >= 0) {
      thresholdEvictions++;
    }
    tRule[victim] = r.index;
    tA0[victim] = a0;
    tA1[victim] = a1;
    tB0[victim] = b0;
    tB1[victim] = b1;
    tStart[victim] = now;
    tCount[victim] = 1;
    return t.alerts(1);
  }

  private static long word(byte[] a, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (a[off + i] & 0xFF);
    }
    return v;
  }

  private static DecodedPacket endpoints() {
    DecodedPacket p = new DecodedPacket();
    p.reset();
    p.l3Offset = 0;
    p.l4Offset = 0;
    p.payloadOffset = -1;
    p.payloadLength = 0;
    return p;
  }

  /** The flow as an app-layer rule sees it: the direction is the rule's. */
  private static final class TxFlow implements FlowContext {
    FlowContext flow;
    boolean toServer;

    @Override
    public boolean established() {
      return flow.established();
    }

    @Override
    public boolean toServer() {
      return toServer;
    }

    @Override
    public long[] flowbits() {
      return flow.flowbits();
    }

    @Override
    public void clientToServer(DecodedPacket out) {
      flow.clientToServer(out);
    }

    @Override
    public String appProto() {
      return flow.appProto();
    }

    @Override
    public boolean appEvent(String id) {
      return flow.appEvent(id);
    }

    @Override
    public int streamEvents() {
      return flow.streamEvents();
    }

    @Override
    public long[] flowints() {
      return flow.flowints();
    }
  }

  /** Transactions inspected so far (those of a protocol without rules are not counted). */
  public long transactions() {
    return transactions;
  }

  /** Windows of reassembled TCP streams inspected so far. */
  public long streamChunks() {
    return streamChunks;
  }

  /** Bytes of reassembled TCP streams inspected so far (new bytes, not counting tails). */
  public long streamBytes() {
    return streamBytes;
  }

  /** Packets inspected so far. */
  public long packets() {
    return packets;
  }

  /**
   * Rules evaluated in full so far, on packets and transactions (the prefilters' candidates plus
   * rules without a fast pattern).
   */
  public long candidatesEvaluated() {
    return candidatesEvaluated;
  }

  /** Threshold entries overwritten because the table was full (a configured bound was hit). */
  public long thresholdEvictions() {
    return thresholdEvictions;
  }

  /**
   * Explains whether rule {@code sid} (gid 1 or any gid) matches this packet, without changing any
   * state: "matched", or the first keyword that failed and the buffer offset it was evaluated at.
   * Returns null when the rule's header does not accept the packet (not a candidate) or the sid is
   * not loaded. For rule authors (allocates).
   */
  public String explain(DecodedPacket p, FlowContext flow, long sid) {
    return explain(p, flow, sid, 0);
  }

  /**
   * {@link #explain(DecodedPacket, FlowContext, long)} for a packet inspected in {@code mode} (as
   * {@link #inspect(DecodedPacket, FlowContext, AlertSink, int)}): null also for a stream rule on
   * a packet whose direction is {@link #STREAMED} (it is explained per stream chunk, {@link
   * #explainStream}).
   */
  public String explain(DecodedPacket p, FlowContext flow, long sid, int mode) {
    Rule r = rule(sid);
    if (r == null || r.app != Protocols.APP_NONE || p.ipVersion == 0 || !r.headerMatches(p)
        || (mode & STREAMED) != 0 && groupOf(p) == Protocols.TCP && flow != null
            && r.streamMode != Rule.PACKET) {
      return null;
    }
    in.begin(p, null, null, null);
    in.noPayload = (mode & NO_PAYLOAD) != 0;
    long[] bits = flow != null ? flow.flowbits().clone() : new long[set.flowbitWords];
    boolean ok = evaluate(r, p, flow, bits);
    StringBuilder sb = new StringBuilder();
    if (r.fastPattern != null) {
      boolean pre = p.payloadOffset >= 0 && p.payloadLength > 0
          && set.groups[groupOf(p)].mpm != null
          && prefilterHas(r, p.buf, p.payloadOffset, p.payloadLength);
      sb.append("prefilter ").append(pre ? "passed" : "rejected (fast pattern absent)").append("; ");
    }
    return describe(sb, r, ok, 0);
  }

  /**
   * Explains rule {@code sid} on one HTTP, DNS or TLS transaction {@code tx} of {@code flow}, as
   * {@link #explain(DecodedPacket, FlowContext, long)}: null when the rule does not inspect that
   * protocol's transactions or its header does not accept the flow's endpoints in its direction;
   * else "matched" or the first keyword that failed, in which buffer and at which offset.
   */
  public String explainTransaction(Object tx, FlowContext flow, long sid) {
    return explainTransaction(tx, flow, sid, BOTH_SIDES);
  }

  /** As {@link #explainTransaction(Object, FlowContext, long)}, null for a rule of the other side. */
  public String explainTransaction(Object tx, FlowContext flow, long sid, int side) {
    Rule r = rule(sid);
    int app = tx instanceof HttpTransaction ? Protocols.APP_HTTP
        : tx instanceof DnsTransaction ? Protocols.APP_DNS
        : tx instanceof TlsTransaction ? Protocols.APP_TLS : -1;
    if (r == null || r.app != app
        || side != BOTH_SIDES && r.toClient != (side == RESPONSE_SIDE)) {
      return null;
    }
    endpoints(flow, 0);
    DecodedPacket p = r.toClient ? rev : fwd;
    if (!r.headerMatches(p)) {
      return null;
    }
    in.begin(null, app == Protocols.APP_HTTP ? (HttpTransaction) tx : null,
        app == Protocols.APP_DNS ? (DnsTransaction) tx : null,
        app == Protocols.APP_TLS ? (TlsTransaction) tx : null);
    in.toClient = r.toClient;
    txFlow.flow = flow;
    txFlow.toServer = !r.toClient;
    try {
      return describe(new StringBuilder(), r, evaluate(r, p, txFlow, flow.flowbits().clone()), 0);
    } finally {
      txFlow.flow = null;
    }
  }

  /**
   * Explains stream rule {@code sid} on the window {@link #inspectStream} would inspect for these
   * new bytes (call it before {@code inspectStream}; {@code w} is not changed): null when {@code
   * sid} is not a stream rule or its header does not accept the stream's endpoints; else "matched"
   * or the first keyword that failed and at which stream offset. Only the first {@link
   * #MAX_STREAM_CHUNK} bytes are explained.
   */
  public String explainStream(StreamWindow w, byte[] buf, int off, int len, long offset,
      boolean toServer, FlowContext flow, long sid) {
    Rule r = rule(sid);
    if (r == null || r.app != Protocols.APP_NONE || r.streamMode == Rule.PACKET || len <= 0) {
      return null;
    }
    endpoints(flow, 0);
    DecodedPacket p = toServer ? fwd : rev;
    if (!r.headerMatches(p)) {
      return null;
    }
    int n = Math.min(len, MAX_STREAM_CHUNK);
    int tl = offset == w.next ? Math.min(w.tailLen, set.streamTail) : 0;
    byte[] wb = tl > 0 ? window(w, tl, buf, off, n) : buf;
    in.begin(p, null, null, null);
    in.stream = true;
    in.streamBuf = wb;
    in.streamOff = wb == buf ? off : 0;
    in.streamLen = tl + n;
    in.streamBase = offset - tl;
    minEnd = tl + 1;
    txFlow.flow = flow;
    txFlow.toServer = toServer;
    try {
      boolean ok = evaluate(r, p, txFlow, flow.flowbits().clone());
      StringBuilder sb = new StringBuilder("window ").append(offset - tl).append("..")
          .append(offset + n).append(" of the ").append(toServer ? "to_server" : "to_client")
          .append(" stream; ");
      if (r.fastPattern != null) {
        sb.append("prefilter ").append(prefilterHas(r, wb, in.streamOff, tl + n) ? "passed"
            : "rejected (fast pattern absent)").append("; ");
      }
      return describe(sb, r, ok, offset - tl);
    } finally {
      minEnd = 0;
      in.stream = false;
      txFlow.flow = null;
    }
  }

  private Rule rule(long sid) {
    for (Rule x : set.rules) {
      if (x.sid == sid) {
        return x;
      }
    }
    return null;
  }

  /** Sets {@link #fwd} and {@link #rev} to the flow's endpoints. */
  private void endpoints(FlowContext flow, long tsNanos) {
    flow.clientToServer(fwd);
    fwd.tsNanos = tsNanos;
    rev.ipVersion = fwd.ipVersion;
    rev.ipProto = fwd.ipProto;
    System.arraycopy(fwd.srcAddr, 0, rev.dstAddr, 0, 16);
    System.arraycopy(fwd.dstAddr, 0, rev.srcAddr, 0, 16);
    rev.srcPort = fwd.dstPort;
    rev.dstPort = fwd.srcPort;
    rev.tsNanos = tsNanos;
  }

  /**
   * The end of an explanation after {@link #evaluate}: "matched", or the failure (keywords
   * numbered as written in the rule; {@code base}: offset of the buffer's first byte, non-zero on
   * a stream window, whose offsets are stream offsets).
   */
  private String describe(StringBuilder sb, Rule r, boolean ok, long base) {
    if (ok) {
      return sb.append("matched").toString();
    }
    if (failWhat != null) {
      return sb.append("failed at ").append(failWhat).toString();
    }
    if (failAbsent != null) {
      return sb.append("failed at ").append(failAbsent == StickyBuffer.PKT_DATA
          ? "pkt_data (the packet has no payload)" : failAbsent.name + " (absent)").toString();
    }
    if (failSeg < 0 || failIndex < 0) {
      return sb.append("failed").toString();
    }
    PayloadMatch m = r.segments[failSeg][failIndex];
    int k = java.util.Arrays.asList(r.payload).indexOf(m);
    StickyBuffer b = r.segBuffers[failSeg];
    sb.append("failed at keyword ").append(k + 1).append(" '").append(m.keyword).append("'");
    if (b != StickyBuffer.PKT_DATA && !in.stream) {
      sb.append(" in ").append(b.name);
    }
    return sb.append(" at ").append(in.stream ? "stream" : "buffer").append(" offset ")
        .append(base + failOffset).append(" of ").append(in.stream ? base + span.len : span.len)
        .toString();
  }

  private boolean prefilterHas(Rule r, byte[] buf, int off, int len) {
    byte[] fp = r.fastPattern.prefilterBytes();
    MultiPatternMatcher m = new MultiPatternMatcher(java.util.List.of(fp));
    return m.count(buf, off, len) > 0;
  }
}

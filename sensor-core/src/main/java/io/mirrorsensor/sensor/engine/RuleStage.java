package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import io.mirrorsensor.decode.tcp.StreamSink;
import io.mirrorsensor.rules.AlertSink;
import io.mirrorsensor.rules.Detector;
import io.mirrorsensor.rules.FlowContext;
import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.rules.StreamWindow;
import io.mirrorsensor.sensor.flow.Flow;

/**
 * One worker's rule check: every packet the flow table accounted (mirror duplicates never reach
 * it, so a mirrored packet cannot alert twice) goes through the worker's {@link Detector}, with
 * its flow as the {@link FlowContext}; so does every HTTP, DNS and TLS transaction the app layer
 * finds ({@link #onHttp}, {@link #onDns}, {@link #onTls}). Allocates nothing per packet or
 * transaction: the context and the alert sink are this object, re-pointed at each flow.
 *
 * <p>TCP streams: when the rule set has stream rules, the stage taps every reassembled direction
 * ({@link #streamSink}): the bytes go, in order, to {@link Detector#inspectStream} (a content may
 * span segments), and the packets of such a direction meet only the packet rules ({@link
 * Detector#inspect(DecodedPacket, FlowContext, AlertSink, boolean)}), so one match alerts once.
 *
 * <p>Hot reload: the stage checks once per packet and per transaction whether a newer set of its
 * rule set's lineage was published ({@link RuleSet#current()}, one volatile read) and then
 * switches to a new detector for it (threshold state starts afresh; flowbits stay on the flows
 * and keep their bit numbers, see {@code RuleLoader.reload}). Counters add up across switches.
 *
 * <p>Call order, on the worker's thread: {@link #inspect} after the flow table has accounted the
 * packet (the flow's direction and state are then the packet's); the {@code on*} methods from the
 * app layer when a transaction is complete, during the flow table's handling of a packet.
 */
final class RuleStage implements FlowContext, AlertSink {
  private RuleSet set;
  private Detector detector;
  private int flowbitWords;
  private int flowintSlots;
  private final EventSink out;
  private Flow flow;
  /** The worker's app layer, or null without parsers. */
  private AppLayer app;
  private long pcapCnt;
  private long tsNanos;
  /** The transaction being inspected (valid during an {@code on*} call), or null. */
  private Object transaction;
  private long alerts;
  private long reloads;
  private long packetsBefore;
  private long transactionsBefore;
  private long candidatesBefore;
  /** App-parser events raised while the packet numbered eventPcapCnt of eventFlow was handled. */
  private final String[] events = new String[16];
  private int eventCount;
  private Flow eventFlow;
  private long eventPcapCnt;
  private long streamChunksBefore;
  private long streamBytesBefore;
  /** Alerts and explanations for rule authors ({@code rules test}), or null. */
  private RuleTrace trace;
  private long[] explainSids = new long[0];
  /** True while a stream chunk is inspected. */
  private boolean inStream;

  RuleStage(RuleSet rules, EventSink out) {
    this.set = rules.current();
    this.detector = set.newDetector();
    this.flowbitWords = set.flowbitWords();
    this.flowintSlots = set.flowintSlots();
    this.out = out;
  }

  /**
   * True when the set in force reads HTTP bodies ({@link RuleSet#readsHttpBodies}): the app layer
   * keeps bodies only then (checked per new HTTP parser, so a reload that adds body rules takes
   * effect on new flows).
   */
  boolean readsHttpBodies() {
    return set.current().readsHttpBodies();
  }

  /** Switches to the newest published set of the lineage, if there is one. */
  private void current() {
    RuleSet cur = set.current();
    if (cur != set) {
      packetsBefore += detector.packets();
      transactionsBefore += detector.transactions();
      candidatesBefore += detector.candidatesEvaluated();
      streamChunksBefore += detector.streamChunks();
      streamBytesBefore += detector.streamBytes();
      set = cur;
      detector = cur.newDetector();
      flowbitWords = cur.flowbitWords();
      flowintSlots = cur.flowintSlots();
      reloads++;
    }
  }

  /**
   * Notes that the app parsers raised event {@code id} while the current packet of {@code f} was
   * handled (called by the app layer, before {@link #inspect} of that packet): app-layer-event
   * rules read it. Up to 16 per packet are kept.
   */
  void appEvent(Flow f, String id) {
    long cnt = f.lastPcapCnt();
    if (f != eventFlow || cnt != eventPcapCnt) {
      eventFlow = f;
      eventPcapCnt = cnt;
      eventCount = 0;
    }
    if (eventCount < events.length) {
      events[eventCount++] = id;
    }
  }

  @Override
  public boolean appEvent(String id) {
    if (flow == null || flow != eventFlow || flow.lastPcapCnt() != eventPcapCnt) {
      return false;
    }
    for (int i = 0; i < eventCount; i++) {
      if (events[i].equals(id)) {
        return true;
      }
    }
    return false;
  }

  /** Reports alerts, and explanations for {@code sids}, to {@code t} (before any packet). */
  void trace(RuleTrace t, long[] sids) {
    this.trace = t;
    this.explainSids = sids.clone();
  }

  void inspect(Flow f, DecodedPacket p, long pcapCnt) {
    current();
    this.flow = f;
    this.pcapCnt = pcapCnt;
    int mode = 0;
    if (p.isTcp()) {
      if (f.streamSink(f.lastFromClient()) instanceof Tap) {
        mode |= Detector.STREAMED;
      }
      if (app != null && app.encrypted(f)) {
        mode |= Detector.NO_PAYLOAD;
      }
    }
    for (long sid : explainSids) {
      String why = detector.explain(p, this, sid, mode);
      if (why != null) {
        trace.explain(f, sid, pcapCnt, null, false, why);
      }
    }
    detector.inspect(p, this, this, mode);
    this.flow = null;
    eventCount = 0; // the packet's events are consumed
  }

  /** The worker's app layer: says which flows are encrypted TLS (call once, before any packet). */
  void app(AppLayer a) {
    this.app = a;
  }

  /** True when the rule set in force has stream rules (streams are then worth reassembling). */
  boolean wantsStreams() {
    return set.current().hasStreamRules();
  }

  /**
   * The sink for one direction of {@code f}'s reassembled stream: {@code inner} (the app layer's
   * sink, or null) and then the stream rules; or {@code inner} itself when the set has no stream
   * rules.
   */
  StreamSink streamSink(Flow f, boolean toServer, StreamSink inner) {
    return wantsStreams() ? new Tap(f, toServer, inner) : inner;
  }

  /** Stream rules' inspection of new in-order bytes of one direction (called by a {@link Tap}). */
  private void onStream(Tap t, byte[] buf, int off, int len, long offset) {
    current();
    Flow saved = flow;
    long savedCnt = pcapCnt;
    this.flow = t.flow;
    this.pcapCnt = t.flow.lastPcapCnt();
    for (long sid : explainSids) {
      String why = detector.explainStream(t.window, buf, off, len, offset, t.toServer, this, sid);
      if (why != null) {
        trace.explain(flow, sid, pcapCnt, null, true, why);
      }
    }
    inStream = true;
    detector.inspectStream(t.window, buf, off, len, offset, t.toServer, t.flow.lastNanos(), this,
        this);
    inStream = false;
    this.flow = saved;
    this.pcapCnt = savedCnt;
  }

  /**
   * One reassembled direction seen by the stream rules: passes every call on to the app layer's
   * sink (if any) first, then inspects the bytes. Holds the direction's {@link StreamWindow}.
   */
  private final class Tap implements StreamSink {
    final Flow flow;
    final boolean toServer;
    final StreamSink inner;
    final StreamWindow window = new StreamWindow();

    Tap(Flow flow, boolean toServer, StreamSink inner) {
      this.flow = flow;
      this.toServer = toServer;
      this.inner = inner;
    }

    @Override
    public void data(byte[] buf, int off, int len, long offset) {
      // TLS application data is not inspected (Suricata's default encryption-handling); the
      // bytes that end the handshake are (the parser turns encrypted while reading them)
      boolean encrypted = app != null && app.encrypted(flow);
      if (inner != null) {
        inner.data(buf, off, len, offset);
      }
      if (!encrypted) {
        onStream(this, buf, off, len, offset);
      }
    }

    @Override
    public void gap(long offset, long len) {
      if (inner != null) {
        inner.gap(offset, len);
      }
      window.gap(offset, len);
    }

    @Override
    public void end() {
      if (inner != null) {
        inner.end();
      }
    }
  }

  /**
   * Runs the to_server http rules on a transaction of {@code f} whose request has just ended (the
   * response is still to come: its buffers are absent); alerts go to {@link EventSink#ruleAlert}
   * with {@code tsNanos}, the request's end, and no packet number. {@code t} is read during the
   * call only. {@link #onHttp} runs the rest.
   */
  void onHttpRequest(Flow f, HttpTransaction t, long tsNanos) {
    current();
    begin(f, t, tsNanos);
    explainTransaction(t, Detector.REQUEST_SIDE);
    detector.inspectHttp(t, tsNanos, this, this, Detector.REQUEST_SIDE);
    end();
  }

  /**
   * Runs the http rules on a complete transaction of {@code f}: the to_client ones, and the
   * to_server ones too when no {@link #onHttpRequest} came (a gap or the flow's end cut the request
   * short: its end was never seen); alerts as {@link #onHttpRequest}.
   */
  void onHttp(Flow f, HttpTransaction t, long tsNanos) {
    current();
    begin(f, t, tsNanos);
    int side = t.requestEndNanos() >= 0 ? Detector.RESPONSE_SIDE : Detector.BOTH_SIDES;
    explainTransaction(t, side);
    detector.inspectHttp(t, tsNanos, this, this, side);
    end();
  }

  /** Runs the dns rules on a transaction of {@code f}; as {@link #onHttp}. */
  void onDns(Flow f, DnsTransaction t, long tsNanos) {
    current();
    begin(f, t, tsNanos);
    explainTransaction(t);
    detector.inspectDns(t, tsNanos, this, this);
    end();
  }

  /** Runs the tls rules on the handshake of {@code f}; as {@link #onHttp}. */
  void onTls(Flow f, TlsTransaction t, long tsNanos) {
    current();
    begin(f, t, tsNanos);
    explainTransaction(t);
    detector.inspectTls(t, tsNanos, this, this);
    end();
  }

  private void explainTransaction(Object t) {
    explainTransaction(t, Detector.BOTH_SIDES);
  }

  private void explainTransaction(Object t, int side) {
    for (long sid : explainSids) {
      String why = detector.explainTransaction(t, this, sid, side);
      if (why != null) {
        trace.explain(flow, sid, flow.lastPcapCnt(), t, false, why);
      }
    }
  }

  private void begin(Flow f, Object t, long ts) {
    this.flow = f;
    this.transaction = t;
    this.tsNanos = ts;
    this.pcapCnt = 0;
  }

  private void end() {
    this.flow = null;
    this.transaction = null;
  }

  /**
   * The transaction whose inspection raised the alert being written: valid during {@link
   * EventSink#ruleAlert} called from an {@code on*} method (an {@link HttpTransaction}, {@link
   * DnsTransaction} or {@link TlsTransaction}), null for packet alerts.
   */
  Object alertTransaction() {
    return transaction;
  }

  long alerts() {
    return alerts;
  }

  long packets() {
    return packetsBefore + detector.packets();
  }

  long transactions() {
    return transactionsBefore + detector.transactions();
  }

  long streamChunks() {
    return streamChunksBefore + detector.streamChunks();
  }

  long streamBytes() {
    return streamBytesBefore + detector.streamBytes();
  }

  long candidatesEvaluated() {
    return candidatesBefore + detector.candidatesEvaluated();
  }

  /** Rule sets switched to since start (hot reloads seen by this worker). */
  long reloads() {
    return reloads;
  }

  @Override
  public boolean established() {
    return flow.established();
  }

  @Override
  public boolean toServer() {
    return flow.lastFromClient();
  }

  @Override
  public long[] flowbits() {
    return flow.flowbits(Math.max(1, flowbitWords));
  }

  @Override
  public long[] flowints() {
    return flow.flowints(Math.max(1, flowintSlots));
  }

  @Override
  public int streamEvents() {
    io.mirrorsensor.decode.tcp.TcpConnection c = flow.tcp();
    return c == null ? 0 : c.packetEvents();
  }

  @Override
  public void clientToServer(DecodedPacket p) {
    FlowKey k = flow.key();
    p.ipVersion = k.ipVersion();
    p.ipProto = k.proto();
    if (flow.keySrcIsClient()) {
      k.copyAddresses(p.srcAddr, p.dstAddr);
      p.srcPort = k.srcPort();
      p.dstPort = k.dstPort();
    } else {
      k.copyAddresses(p.dstAddr, p.srcAddr);
      p.srcPort = k.dstPort();
      p.dstPort = k.srcPort();
    }
  }

  @Override
  public String appProto() {
    String a = flow.appProto();
    return a != null ? a : AppLayer.detected(flow);
  }

  @Override
  public long streamSize(boolean client) {
    io.mirrorsensor.decode.tcp.TcpConnection c = flow.tcp();
    return c == null ? -1 : c.streamBytes(client);
  }

  @Override
  public void alert(Rule rule, DecodedPacket packet) {
    alerts++;
    flow.markRuleAlert();
    out.ruleAlert(flow, rule, flow.key().isFromSrc(packet), packet.tsNanos, pcapCnt);
    if (trace != null) {
      trace.alert(flow, rule, packet, pcapCnt, null, inStream);
    }
  }

  @Override
  public void transactionAlert(Rule rule, DecodedPacket endpoints, Object tx) {
    alerts++;
    flow.markRuleAlert();
    // to_server rules: the client sent it; to_client rules: the server
    boolean fromKeySrc = rule.toClient() != flow.keySrcIsClient();
    out.ruleAlert(flow, rule, fromKeySrc, tsNanos, 0, tx);
    if (trace != null) {
      trace.alert(flow, rule, endpoints, flow.lastPcapCnt(), tx, false);
    }
  }
}

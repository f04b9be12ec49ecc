package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.app.AppFinding;
import io.mirrorsensor.decode.app.dns.DnsConfig;
import io.mirrorsensor.decode.app.dns.DnsEvent;
import io.mirrorsensor.decode.app.dns.DnsListener;
import io.mirrorsensor.decode.app.dns.DnsParser;
import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpConfig;
import io.mirrorsensor.decode.app.http.HttpEvent;
import io.mirrorsensor.decode.app.http.HttpListener;
import io.mirrorsensor.decode.app.http.HttpParser;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.decode.app.tls.TlsConfig;
import io.mirrorsensor.decode.app.tls.TlsEvent;
import io.mirrorsensor.decode.app.tls.TlsListener;
import io.mirrorsensor.decode.app.tls.TlsParser;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import io.mirrorsensor.decode.tcp.StreamSink;
import io.mirrorsensor.decode.tcp.TcpFinding;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.flow.EndReason;
import io.mirrorsensor.sensor.flow.Flow;
import io.mirrorsensor.sensor.flow.FlowSink;
import io.mirrorsensor.sensor.flow.StreamConsumerFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One worker's app layer: it hands each TCP flow's reassembled streams to a parser and writes
 * the transactions they find. DNS goes by port 53 (UDP datagrams through {@link #udp}, TCP through
 * the 2-byte-length splitter, unless the flow's first to-server bytes are an HTTP request line);
 * any other TCP flow is offered to both the HTTP and the TLS parser,
 * each of which decides by content (the first to-server bytes: a request line, or a TLS
 * handshake record) and goes inert on a flow that is not its protocol.
 *
 * <p>It sits between the flow table and the worker's {@link EventSink}: as the table's {@link
 * StreamConsumerFactory} it opens parsers, and as its {@link FlowSink} it closes a flow's parsers
 * (their last transactions are written) before the flow record. Call order, on the worker's
 * thread: {@link #now} before the flow table sees each packet (the streams carry no time), {@link
 * #udp} after it, for UDP packets of a flow.
 *
 * <p>It also raises the built-in app-layer findings ({@link AppFindings}, docs/FINDINGS.md sids
 * 6-15) from the transactions, and writes the parsers' named anomalies as EVE {@code anomaly}
 * events ({@code type: applayer}), at most {@code anomaly.events_per_id_per_minute} per id per
 * minute of packet time, as the decode anomalies; the counters keep the full counts.
 */
final class AppLayer implements StreamConsumerFactory, FlowSink {
  private static final int DNS_PORT = 53;
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final EventSink out;
  private final DnsConfig dnsConfig;
  /** HTTP settings with the configured body limits: for flows while rules read bodies. */
  private final HttpConfig httpConfig;
  /**
   * The same without keeping bodies (de-chunking still runs, nothing is copied or decompressed):
   * nothing else reads a body, and keeping them cost a tenth of the replay of an HTTP-heavy mix.
   */
  private final HttpConfig noBodies;
  /** One parse buffer for every DNS flow of this worker (see DnsParser's sharing constructor). */
  private final io.mirrorsensor.decode.app.dns.DnsMessage dnsMessage;
  private final AppFindings findings;
  private final int anomaliesPerMinute;
  /** Per anomaly (HTTP, then DNS, then TLS ordinals): minute of packet time and events in it. */
  private final long[] anomalyMinute =
      new long[HttpEvent.values().length + DnsEvent.values().length + TlsEvent.values().length];
  private final int[] anomalyInMinute = new int[anomalyMinute.length];
  private long now;
  /** True while a flow's parsers are closed: what they report then came from no packet. */
  private boolean closing;
  private long httpTransactions;
  private long dnsTransactions;
  private long tlsSessions;
  private final long[] tlsEvents = new long[TlsEvent.values().length];
  private final long[] httpEvents = new long[HttpEvent.values().length];
  private final long[] dnsEvents = new long[DnsEvent.values().length];
  /** HTTP request end to response start, per transaction with both (packet time). */
  private final io.mirrorsensor.sensor.output.LatencyHistogram httpLatency =
      new io.mirrorsensor.sensor.output.LatencyHistogram();
  /** DNS query to response, per answered transaction (packet time). */
  private final io.mirrorsensor.sensor.output.LatencyHistogram dnsLatency =
      new io.mirrorsensor.sensor.output.LatencyHistogram();

  /** The worker's rule check for transactions, or null without rules. */
  private RuleStage rules;

  /** Lets app-layer rules see this worker's transactions (call once, before any packet). */
  void rules(RuleStage stage) {
    this.rules = stage;
  }

  AppLayer(EventSink out, SensorConfig config) {
    this.out = out;
    DnsConfig d = DnsConfig.defaults();
    this.dnsConfig = new DnsConfig(d.maxPointerHops(), d.maxRecords(), d.maxPending(),
        config.appAlerts().dnsQueryTimeoutNanos());
    this.dnsMessage = new io.mirrorsensor.decode.app.dns.DnsMessage(dnsConfig);
    this.httpConfig = HttpConfig.defaults().withBodyLimits(
        config.appAlerts().httpRequestBodyLimit(), config.appAlerts().httpResponseBodyLimit());
    this.noBodies = httpConfig.withBodyLimits(0, 0);
    this.findings = new AppFindings(config.appAlerts(), out);
    this.anomaliesPerMinute = config.anomalyEventsPerIdPerMinute();
    java.util.Arrays.fill(anomalyMinute, Long.MIN_VALUE);
  }

  /** Packet time of the packet the flow table is about to see. */
  void now(long tsNanos) {
    now = tsNanos;
  }

  /** A UDP packet accounted to {@code flow}: DNS when either port is 53. */
  void udp(Flow flow, DecodedPacket p) {
    if (p.payloadLength <= 0 || (p.srcPort != DNS_PORT && p.dstPort != DNS_PORT)) {
      return;
    }
    FlowApp a = state(flow);
    DnsParser dns = a.dns();
    dns.onUdp(p);
    if (flow.appProto() == null && dns.pending() > 0) {
      // a well-formed query is waiting for its answer: recognised (an answer sets it on its
      // transaction), as Suricata's UDP probing recognises the first valid message
      flow.appProto("dns");
    }
  }

  /**
   * The app protocol a parser of {@code flow} has recognised so far, before its first transaction
   * is complete: "http" once a request line was seen, "tls" once a hello, "dns" once a message;
   * else null.
   */
  static String detected(Flow flow) {
    Object s = flow.app();
    if (!(s instanceof FlowApp)) {
      return null;
    }
    FlowApp a = (FlowApp) s;
    if (a.http != null && a.http.isHttp()) {
      return "http";
    }
    if (a.tls != null && a.tls.isTls()) {
      return "tls";
    }
    return a.dns != null && a.dns.messages() > 0 ? "dns" : null;
  }

  private FlowApp state(Flow flow) {
    Object s = flow.app();
    if (s instanceof FlowApp) {
      return (FlowApp) s;
    }
    FlowApp a = new FlowApp(flow);
    flow.app(a);
    return a;
  }

  @Override
  public StreamSink open(Flow flow, boolean toServer) {
    FlowApp a = state(flow);
    if (flow.key().srcPort() == DNS_PORT || flow.key().dstPort() == DNS_PORT) {
      return new PortDns(a, toServer);
    }
    return byContent(a, toServer);
  }

  /** The HTTP and TLS parsers of {@code a}, each deciding by content. */
  private StreamSink byContent(FlowApp a, boolean toServer) {
    HttpParser http = a.http();
    TlsParser tls = a.tls();
    return new ByContent(toServer ? http.toServer() : http.toClient(), http,
        toServer ? tls.toServer() : tls.toClient(), tls);
  }

  @Override
  public void flowEnded(Flow flow, EndReason reason) {
    Object s = flow.app();
    if (reason != EndReason.ACTIVE && s instanceof FlowApp) {
      closing = true;
      try {
        ((FlowApp) s).close();
      } finally {
        closing = false;
      }
      flow.app(null);
    }
    out.flowEnded(flow, reason);
  }

  @Override
  public void finding(Flow flow, TcpFinding finding, long tsNanos) {
    out.finding(flow, finding, tsNanos);
  }

  /**
   * True when {@code flow} is a TLS connection whose handshake is over: its payload is encrypted
   * (the rule stage then stops content inspection, as Suricata's default {@code
   * encryption-handling}).
   */
  boolean encrypted(Flow flow) {
    Object s = flow.app();
    return s instanceof FlowApp && ((FlowApp) s).tls != null && ((FlowApp) s).tls.encrypted();
  }

  /** App-layer findings raised so far (for {@code stats.detect.by_sid}). */
  long findings(AppFinding f) {
    return findings.raised(f);
  }

  /** Record number of the packet being processed, 0 while a flow's parsers are being closed. */
  private long pcapCnt(Flow flow) {
    return closing ? 0 : flow.lastPcapCnt();
  }

  /** Writes an anomaly event unless its id had its share this minute of packet time. */
  private void anomaly(Flow flow, int slot, String layer, String id, long tsNanos) {
    long minute = Math.floorDiv(tsNanos, MINUTE_NANOS);
    if (anomalyMinute[slot] != minute) {
      anomalyMinute[slot] = minute;
      anomalyInMinute[slot] = 0;
    }
    if (anomalyInMinute[slot] < anomaliesPerMinute) {
      anomalyInMinute[slot]++;
      out.appAnomaly(flow, layer, id, tsNanos, pcapCnt(flow));
    }
  }

  /**
   * Counters for the stats event's {@code app} object, with copies of the HTTP response and DNS
   * latency histograms ({@code http_response_ms}, {@code dns_response_ms}).
   */
  Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("http_transactions", httpTransactions);
    m.put("dns_transactions", dnsTransactions);
    m.put("tls_sessions", tlsSessions);
    m.put("http_response_ms", httpLatency.copy());
    m.put("dns_response_ms", dnsLatency.copy());
    Map<String, Object> events = new LinkedHashMap<>();
    for (HttpEvent e : HttpEvent.values()) {
      if (httpEvents[e.ordinal()] > 0) {
        events.put(e.id(), httpEvents[e.ordinal()]);
      }
    }
    for (DnsEvent e : DnsEvent.values()) {
      if (dnsEvents[e.ordinal()] > 0) {
        events.put(e.id(), dnsEvents[e.ordinal()]);
      }
    }
    for (TlsEvent e : TlsEvent.values()) {
      if (tlsEvents[e.ordinal()] > 0) {
        events.put(e.id(), tlsEvents[e.ordinal()]);
      }
    }
    if (!events.isEmpty()) {
      m.put("events", events);
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("tracked", findings.tracked());
    f.put("evicted", findings.evictions());
    m.put("findings_state", f);
    return m;
  }

  /**
   * One direction of a TCP flow offered to HTTP and TLS at once: each parser sees the bytes until
   * it has decided the flow is not its protocol, then is skipped.
   */
  private final class ByContent implements StreamSink {
    private final StreamSink httpSink;
    private final HttpParser http;
    private final StreamSink tlsSink;
    private final TlsParser tls;

    ByContent(StreamSink httpSink, HttpParser http, StreamSink tlsSink, TlsParser tls) {
      this.httpSink = httpSink;
      this.http = http;
      this.tlsSink = tlsSink;
      this.tls = tls;
    }

    @Override
    public void data(byte[] buf, int off, int len, long offset) {
      if (!http.notHttp()) {
        http.time(now);
        httpSink.data(buf, off, len, offset);
      }
      if (!tls.notTls()) {
        tls.time(now);
        tlsSink.data(buf, off, len, offset);
      }
    }

    @Override
    public void gap(long offset, long len) {
      if (!http.notHttp()) {
        http.time(now);
        httpSink.gap(offset, len);
      }
      if (!tls.notTls()) {
        tls.time(now);
        tlsSink.gap(offset, len);
      }
    }

    @Override
    public void end() {
      http.time(now);
      httpSink.end();
      tls.time(now);
      tlsSink.end();
    }
  }

  /**
   * One direction of a TCP flow on port 53: DNS, unless the first to-server bytes are an HTTP
   * request line (Suricata detects HTTP by its patterns before the port's probing parser); the
   * choice is made once per flow, on its first bytes, and both directions follow it.
   */
  private final class PortDns implements StreamSink {
    private final FlowApp app;
    private final boolean toServer;
    private StreamSink sink;

    PortDns(FlowApp app, boolean toServer) {
      this.app = app;
      this.toServer = toServer;
    }

    private StreamSink sink(byte[] buf, int off, int len) {
      if (sink == null) {
        if (app.port53Http == 0) {
          app.port53Http = toServer && len > 0
              && HttpParser.probe(buf, off, Math.min(len, 33)) == HttpParser.PROBE_YES ? 1 : -1;
        }
        if (app.port53Http > 0) {
          sink = byContent(app, toServer);
        } else {
          DnsParser dns = app.dns();
          sink = new Timed(dns.tcpSink(), dns, null);
        }
      }
      return sink;
    }

    @Override
    public void data(byte[] buf, int off, int len, long offset) {
      sink(buf, off, len).data(buf, off, len, offset);
    }

    @Override
    public void gap(long offset, long len) {
      sink(null, 0, 0).gap(offset, len);
    }

    @Override
    public void end() {
      sink(null, 0, 0).end();
    }
  }

  /** A stream sink that sets its parser's packet time before each call. */
  private final class Timed implements StreamSink {
    private final StreamSink sink;
    private final DnsParser dns;
    private final HttpParser http;

    Timed(StreamSink sink, DnsParser dns, HttpParser http) {
      this.sink = sink;
      this.dns = dns;
      this.http = http;
    }

    private void time() {
      if (dns != null) {
        dns.time(now);
      } else {
        http.time(now);
      }
    }

    @Override
    public void data(byte[] buf, int off, int len, long offset) {
      time();
      sink.data(buf, off, len, offset);
    }

    @Override
    public void gap(long offset, long len) {
      time();
      sink.gap(offset, len);
    }

    @Override
    public void end() {
      time();
      sink.end();
    }
  }

  /** The parsers of one flow and the listener that writes their transactions. */
  private final class FlowApp implements HttpListener, DnsListener, TlsListener {
    private final Flow flow;
    private final AppFindings.PerFlow raised = new AppFindings.PerFlow();
    private HttpParser http;
    private DnsParser dns;
    private TlsParser tls;
    /** TCP on port 53: 0 undecided, 1 HTTP by content, -1 DNS. */
    int port53Http;

    FlowApp(Flow flow) {
      this.flow = flow;
    }

    HttpParser http() {
      if (http == null) {
        http = new HttpParser(rules != null && rules.readsHttpBodies() ? httpConfig : noBodies,
            this);
      }
      return http;
    }

    TlsParser tls() {
      if (tls == null) {
        tls = new TlsParser(TlsConfig.defaults(), this);
      }
      return tls;
    }

    DnsParser dns() {
      if (dns == null) {
        dns = new DnsParser(dnsConfig, this, dnsMessage);
      }
      return dns;
    }

    void close() {
      if (http != null) {
        http.time(now);
        http.close();
      }
      if (dns != null) {
        dns.time(now);
        dns.close();
      }
      if (tls != null) {
        tls.time(now);
        tls.close();
      }
    }

    @Override
    public void clientHello(TlsTransaction t) {
      flow.appProto("tls"); // recognised: dns and tls rules see the flow's packets from here on
      findings.tlsClientHello(flow, raised, t, now, pcapCnt(flow));
    }

    @Override
    public void serverHello(TlsTransaction t) {
      flow.appProto("tls");
    }

    @Override
    public void certificate(TlsTransaction t) {
      findings.tlsCertificate(flow, raised, t, now, pcapCnt(flow));
    }

    @Override
    public void complete(TlsTransaction t) {
      tlsSessions++;
      flow.appProto("tls");
      out.tls(flow, t);
      if (rules != null) {
        rules.onTls(flow, t, now);
      }
    }

    @Override
    public void event(TlsEvent e, long tsNanos) {
      if (rules != null && !closing) {
        rules.appEvent(flow, e.id());
      }
      tlsEvents[e.ordinal()]++;
      anomaly(flow, httpEvents.length + dnsEvents.length + e.ordinal(), "tls", e.id(), tsNanos);
    }

    @Override
    public void requestEnded(HttpTransaction t) {
      if (rules != null) {
        rules.onHttpRequest(flow, t, now);
      }
    }

    @Override
    public void transaction(HttpTransaction t) {
      httpTransactions++;
      httpLatency.recordNanos(t.responseLatencyNanos());
      flow.appProto("http");
      out.http(flow, t);
      findings.http(flow, raised, t, now, pcapCnt(flow));
      if (rules != null) {
        rules.onHttp(flow, t, now);
      }
    }

    @Override
    public void event(HttpEvent e, long tsNanos) {
      if (rules != null && !closing) {
        rules.appEvent(flow, e.id());
      }
      httpEvents[e.ordinal()]++;
      anomaly(flow, e.ordinal(), "http", e.id(), tsNanos);
    }

    @Override
    public void transaction(DnsTransaction t) {
      dnsTransactions++;
      dnsLatency.recordNanos(t.latencyNanos());
      flow.appProto("dns");
      out.dns(flow, t);
      findings.dns(flow, raised, t, now, pcapCnt(flow));
      if (rules != null) {
        rules.onDns(flow, t, now);
      }
    }

    @Override
    public void event(DnsEvent e, long tsNanos) {
      if (rules != null && !closing) {
        rules.appEvent(flow, e.id());
      }
      dnsEvents[e.ordinal()]++;
      anomaly(flow, httpEvents.length + e.ordinal(), "dns", e.id(), tsNanos);
    }
  }
}

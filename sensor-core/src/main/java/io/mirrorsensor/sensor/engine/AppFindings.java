package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.app.AppFinding;
import io.mirrorsensor.decode.app.dns.DnsMessage;
import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpBuffer;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.decode.app.tls.TlsCertificate;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import io.mirrorsensor.sensor.config.AppAlertConfig;
import io.mirrorsensor.sensor.flow.Flow;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One worker's built-in app-layer detectors (docs/FINDINGS.md sids 6-15). Per-flow findings are
 * raised at most once per flow (the flow's {@link PerFlow} remembers); keyed ones (5xx burst per
 * server, NXDOMAIN burst per client, tunnelling per client and registered domain) keep their
 * state in maps bounded by {@link AppAlertConfig#maxTracked()}, least recently seen evicted and
 * counted. Time is packet time only.
 *
 * <p>Called by {@link AppLayer} on the worker's thread, from the parsers' listener callbacks, with
 * the packet time and record number of the packet that delivered the transaction (0 when the
 * flow's end delivered it).
 */
final class AppFindings {
  private static final int RCODE_SERVFAIL = 2;
  private static final int RCODE_NXDOMAIN = 3;
  private static final int HTTPS_PORT = 443;
  /** Subdomain bytes below which entropy says nothing (16 bytes hold at most 4 bits each). */
  static final int ENTROPY_MIN_BYTES = 16;

  private final AppAlertConfig c;
  private final EventSink out;
  private final long[] raised = new long[AppFinding.values().length];
  private long evictions;
  private final Map<ByteBuffer, Burst> serverErrors;
  private final Map<ByteBuffer, Burst> nxdomains;
  private final Map<ByteBuffer, Names> tunnels;
  private final int[] byteCounts = new int[256];
  /** Label starts of the name being looked at (a name has at most 127 labels). */
  private final int[] starts = new int[128];

  AppFindings(AppAlertConfig c, EventSink out) {
    this.c = c;
    this.out = out;
    this.serverErrors = bounded(c.maxTracked());
    this.nxdomains = bounded(c.maxTracked());
    this.tunnels = bounded(c.maxTracked());
  }

  /** Which findings a flow raised already: one per flow, held in the flow's app state. */
  static final class PerFlow {
    private int raised;

    boolean once(AppFinding f) {
      int bit = 1 << f.ordinal();
      if ((raised & bit) != 0) {
        return false;
      }
      raised |= bit;
      return true;
    }
  }

  private <V> Map<ByteBuffer, V> bounded(int cap) {
    return new LinkedHashMap<>(64, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<ByteBuffer, V> eldest) {
        if (size() > cap) {
          evictions++;
          return true;
        }
        return false;
      }
    };
  }

  long raised(AppFinding f) {
    return raised[f.ordinal()];
  }

  /** Keys evicted from the detectors' bounded maps (state forgotten early). */
  long evictions() {
    return evictions;
  }

  /** Keys tracked now, all keyed detectors together. */
  long tracked() {
    return serverErrors.size() + nxdomains.size() + tunnels.size();
  }

  private void raise(Flow flow, AppFinding f, long now, long pcapCnt, String detail) {
    raised[f.ordinal()]++;
    flow.markRuleAlert(); // EVE flow.alerted: "a finding or a rule alerted on this flow"
    out.appFinding(flow, f, now, pcapCnt, detail);
  }

  private static int serverPort(Flow f) {
    return f.keySrcIsClient() ? f.key().dstPort() : f.key().srcPort();
  }

  /** Network id and the client's (or server's) address: the key of per-address state. */
  private static ByteBuffer addressKey(Flow f, boolean server, byte[] suffix, int suffixLen) {
    FlowKey k = f.key();
    byte[] addr = server == f.keySrcIsClient() ? k.dstAddr() : k.srcAddr();
    ByteBuffer b = ByteBuffer.allocate(4 + 1 + addr.length + suffixLen);
    b.putInt(k.network()).put((byte) addr.length).put(addr);
    if (suffixLen > 0) {
      b.put(suffix, 0, suffixLen);
    }
    return b.flip();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }

  // ---- HTTP ----

  void http(Flow flow, PerFlow s, HttpTransaction t, long now, long pcapCnt) {
    long latency = t.responseLatencyNanos();
    if (c.httpSlowResponseNanos() > 0 && latency > c.httpSlowResponseNanos()
        && s.once(AppFinding.HTTP_SLOW_RESPONSE)) {
      raise(flow, AppFinding.HTTP_SLOW_RESPONSE, now, pcapCnt, "response latency "
          + seconds(latency) + " > " + seconds(c.httpSlowResponseNanos()) + ": "
          + request(t) + " -> " + t.status());
    }
    int status = t.status();
    if (c.http5xxCount() > 0 && status >= 500 && status <= 599) {
      long at = t.responseStartNanos() > 0 ? t.responseStartNanos() : now;
      Burst b = serverErrors.computeIfAbsent(addressKey(flow, true, null, 0),
          k -> new Burst(c.http5xxCount()));
      if (b.add(at, c.http5xxWindowNanos())) {
        raise(flow, AppFinding.HTTP_5XX_BURST, now, pcapCnt, c.http5xxCount()
            + " 5xx responses within " + seconds(c.http5xxWindowNanos()) + " from server "
            + (flow.keySrcIsClient() ? flow.key().dstIp() : flow.key().srcIp()) + " (last: "
            + status + " to " + request(t) + ")");
      }
    }
  }

  private static String request(HttpTransaction t) {
    String method = t.text(HttpBuffer.METHOD);
    String host = t.text(HttpBuffer.HOST);
    String uri = t.text(HttpBuffer.URI_RAW);
    return (method == null ? "" : method + " ") + (host == null ? "" : host)
        + (uri == null ? "" : uri);
  }

  // ---- DNS ----

  void dns(Flow flow, PerFlow s, DnsTransaction t, long now, long pcapCnt) {
    DnsMessage r = t.response();
    if (r != null && r.rcode() == RCODE_SERVFAIL && c.dnsServfail()
        && s.once(AppFinding.DNS_SERVFAIL)) {
      raise(flow, AppFinding.DNS_SERVFAIL, now, pcapCnt, "SERVFAIL for " + t.rrname());
    }
    if (t.timedOut() && c.dnsTimeout() && s.once(AppFinding.DNS_TIMEOUT)) {
      raise(flow, AppFinding.DNS_TIMEOUT, now, pcapCnt, "no answer to " + t.rrname()
          + " (id " + t.id() + ") within " + seconds(c.dnsQueryTimeoutNanos()));
    }
    if (r != null && r.rcode() == RCODE_NXDOMAIN && c.dnsNxdomainCount() > 0) {
      Burst b = nxdomains.computeIfAbsent(addressKey(flow, false, null, 0),
          k -> new Burst(c.dnsNxdomainCount()));
      if (b.add(t.responseNanos(), c.dnsNxdomainWindowNanos())) {
        raise(flow, AppFinding.DNS_NXDOMAIN_BURST, now, pcapCnt, c.dnsNxdomainCount()
            + " NXDOMAIN answers within " + seconds(c.dnsNxdomainWindowNanos()) + " to client "
            + (flow.keySrcIsClient() ? flow.key().srcIp() : flow.key().dstIp()) + " (last: "
            + t.rrname() + ")");
      }
    }
    if (c.dnsTunnelNames() > 0 && t.qnameLength() > 1) {
      tunnel(flow, t, now, pcapCnt);
    }
  }

  /**
   * Sid 11. The name is split into its registered domain (last two labels, three when the
   * second-level label is at most 3 bytes: {@code co.uk}, {@code com.au}) and the labels below
   * it; a name is suspicious when a label below is at least {@code label_length} long, or when
   * the bytes below (dots left out) number at least {@link #ENTROPY_MIN_BYTES} with Shannon
   * entropy at least {@code entropy} bits per byte. Unique suspicious names are counted per
   * client and registered domain in a window that opens at the first one.
   */
  private void tunnel(Flow flow, DnsTransaction t, long now, long pcapCnt) {
    byte[] q = t.qname();
    int len = t.qnameLength();
    // Label starts, in order (a flat wire name: length byte, bytes, ..., terminating 0).
    int labels = 0;
    for (int p = 0; p < len && (q[p] & 0xFF) != 0 && labels < starts.length; ) {
      starts[labels++] = p;
      p += 1 + (q[p] & 0xFF);
    }
    if (labels < 3) {
      return; // nothing below a registered domain
    }
    int secondLevel = q[starts[labels - 2]] & 0xFF;
    int registered = secondLevel <= 3 ? 3 : 2;
    if (labels <= registered) {
      return;
    }
    int below = labels - registered;
    boolean suspicious = false;
    int bytes = 0;
    java.util.Arrays.fill(byteCounts, 0);
    for (int i = 0; i < below; i++) {
      int l = q[starts[i]] & 0xFF;
      if (l >= c.dnsTunnelLabelLength()) {
        suspicious = true;
      }
      for (int j = 1; j <= l; j++) {
        byteCounts[q[starts[i] + j] & 0xFF]++;
      }
      bytes += l;
    }
    if (!suspicious && bytes >= ENTROPY_MIN_BYTES) {
      suspicious = entropy(byteCounts, bytes) >= c.dnsTunnelEntropy();
    }
    if (!suspicious) {
      return;
    }
    int domainAt = starts[below];
    byte[] domain = java.util.Arrays.copyOfRange(q, domainAt, len);
    ByteBuffer key = addressKey(flow, false, domain, domain.length);
    Names n = tunnels.computeIfAbsent(key, k -> new Names());
    long at = t.hasQuery() ? t.queryNanos() : t.responseNanos();
    if (n.add(at, c.dnsTunnelWindowNanos(), hash(q, len), c.dnsTunnelNames())) {
      raise(flow, AppFinding.DNS_TUNNEL_SUSPECT, now, pcapCnt, c.dnsTunnelNames()
          + " unique long or high-entropy names within " + seconds(c.dnsTunnelWindowNanos())
          + " under " + DnsMessage.flatNameText(domain, domain.length)
          + " from client " + (flow.keySrcIsClient() ? flow.key().srcIp() : flow.key().dstIp())
          + " (last: " + t.rrname() + ")");
    }
  }

  /** Shannon entropy in bits per byte of the counted bytes. */
  static double entropy(int[] counts, int total) {
    double h = 0;
    for (int n : counts) {
      if (n > 0) {
        double p = (double) n / total;
        h -= p * (Math.log(p) / Math.log(2));
      }
    }
    return h;
  }

  private static long hash(byte[] b, int len) {
    long h = 0xcbf29ce484222325L; // FNV-1a 64
    for (int i = 0; i < len; i++) {
      h = (h ^ (b[i] & 0xFF)) * 0x100000001b3L;
    }
    return h;
  }

  // ---- TLS ----

  /** The ClientHello was parsed: port checks. */
  void tlsClientHello(Flow flow, PerFlow s, TlsTransaction t, long now, long pcapCnt) {
    int port = serverPort(flow);
    if (c.plainPort(port) && s.once(AppFinding.TLS_ON_PLAIN_PORT)) {
      raise(flow, AppFinding.TLS_ON_PLAIN_PORT, now, pcapCnt, "TLS ClientHello to port " + port
          + (t.sni() == null ? "" : " (SNI " + t.sni() + ")"));
    }
    if (c.tlsSniMissing443() && port == HTTPS_PORT && t.sni() == null
        && s.once(AppFinding.TLS_SNI_MISSING_443)) {
      raise(flow, AppFinding.TLS_SNI_MISSING_443, now, pcapCnt,
          "ClientHello to port 443 without server_name");
    }
  }

  /** The server's certificate was parsed at packet time {@code now}: validity check. */
  void tlsCertificate(Flow flow, PerFlow s, TlsTransaction t, long now, long pcapCnt) {
    TlsCertificate cert = t.certificate();
    if (cert == null || !c.tlsCertificateValidity()) {
      return;
    }
    long sec = Math.floorDiv(now, 1_000_000_000L);
    if (!cert.invalidAt(sec)) {
      return;
    }
    AppFinding f = sec > cert.notAfterSeconds() ? AppFinding.TLS_CERT_EXPIRED
        : AppFinding.TLS_CERT_NOT_YET_VALID;
    if (s.once(f)) {
      raise(flow, f, now, pcapCnt, "certificate " + cert.subject() + " valid "
          + cert.notBeforeText() + " to " + cert.notAfterText()
          + (t.sni() == null ? "" : " (SNI " + t.sni() + ")"));
    }
  }

  /**
   * A count of events in a sliding window: the last {@code n} times in a ring. {@link #add} is
   * true when the n-th most recent event is within the window of this one and no alert was given
   * in the window ending now (once per key per window).
   */
  static final class Burst {
    private final long[] times;
    private int next;
    private int count;
    private long alertedAt = Long.MIN_VALUE;

    Burst(int n) {
      times = new long[n];
    }

    boolean add(long at, long window) {
      times[next] = at;
      next = (next + 1) % times.length;
      if (count < times.length) {
        count++;
      }
      if (count < times.length) {
        return false;
      }
      long oldest = times[next]; // the n-th most recent, now that the ring is full
      if (at - oldest > window) {
        return false;
      }
      if (alertedAt != Long.MIN_VALUE && at - alertedAt <= window) {
        return false;
      }
      alertedAt = at;
      return true;
    }
  }

  /** Unique name hashes in a window that opens at its first name; at most {@code n} kept. */
  static final class Names {
    private final Set<Long> seen = new HashSet<>();
    private long windowStart = Long.MIN_VALUE;
    private boolean alerted;

    boolean add(long at, long window, long nameHash, int n) {
      if (windowStart == Long.MIN_VALUE || at - windowStart > window) {
        windowStart = at;
        seen.clear();
        alerted = false;
      }
      if (alerted) {
        return false;
      }
      seen.add(nameHash);
      if (seen.size() >= n) {
        alerted = true;
        seen.clear();
        return true;
      }
      return false;
    }
  }
}

package io.mirrorsensor.sensor.config;

/**
 * Thresholds of the built-in app-layer findings (docs/FINDINGS.md sids 6-15; keys in
 * docs/CONFIG.md, "App-layer findings"). Immutable; {@link #defaults()} is what runs with no
 * config file.
 *
 * @param httpSlowResponseNanos response latency above this raises sid 6; 0 turns it off
 * @param http5xxCount 5xx responses from one server address within {@code http5xxWindowNanos}
 *     that raise sid 7; 0 turns it off
 * @param http5xxWindowNanos see {@code http5xxCount}
 * @param dnsNxdomainCount NXDOMAIN answers to one client within {@code dnsNxdomainWindowNanos}
 *     that raise sid 8; 0 turns it off
 * @param dnsNxdomainWindowNanos see {@code dnsNxdomainCount}
 * @param dnsServfail raise sid 9 on a SERVFAIL answer
 * @param dnsTimeout raise sid 10 on a query that timed out
 * @param dnsQueryTimeoutNanos packet time after which an unanswered DNS query has timed out
 * @param dnsTunnelNames unique suspicious names one client asks under one registered domain
 *     within {@code dnsTunnelWindowNanos} that raise sid 11; 0 turns it off
 * @param dnsTunnelWindowNanos see {@code dnsTunnelNames}
 * @param dnsTunnelLabelLength a label at least this long makes a name suspicious
 * @param dnsTunnelEntropy a subdomain part of at least 16 bytes with Shannon entropy at least
 *     this (bits per byte) makes a name suspicious
 * @param tlsCertificateValidity raise sids 12 and 13 on a certificate outside its validity
 * @param tlsPlainPorts server ports where TLS raises sid 14 (empty: off)
 * @param tlsSniMissing443 raise sid 15 on a ClientHello without SNI to port 443
 * @param maxTracked per worker, bound on keys (servers, clients, client+domain pairs) each keyed
 *     detector tracks; beyond it the least recently seen is evicted and counted
 * @param httpRequestBodyLimit bytes of each HTTP request body kept (de-chunked, decompressed) for
 *     rules ({@code http.request_body_limit}, Suricata's request-body-limit); 0: none
 * @param httpResponseBodyLimit the same for response bodies ({@code http.response_body_limit})
 */
public record AppAlertConfig(
    long httpSlowResponseNanos,
    int http5xxCount,
    long http5xxWindowNanos,
    int dnsNxdomainCount,
    long dnsNxdomainWindowNanos,
    boolean dnsServfail,
    boolean dnsTimeout,
    long dnsQueryTimeoutNanos,
    int dnsTunnelNames,
    long dnsTunnelWindowNanos,
    int dnsTunnelLabelLength,
    double dnsTunnelEntropy,
    boolean tlsCertificateValidity,
    int[] tlsPlainPorts,
    boolean tlsSniMissing443,
    int maxTracked,
    int httpRequestBodyLimit,
    int httpResponseBodyLimit) {

  /** The findings' settings with the default HTTP body limits. */
  public AppAlertConfig(long httpSlowResponseNanos, int http5xxCount, long http5xxWindowNanos,
      int dnsNxdomainCount, long dnsNxdomainWindowNanos, boolean dnsServfail, boolean dnsTimeout,
      long dnsQueryTimeoutNanos, int dnsTunnelNames, long dnsTunnelWindowNanos,
      int dnsTunnelLabelLength, double dnsTunnelEntropy, boolean tlsCertificateValidity,
      int[] tlsPlainPorts, boolean tlsSniMissing443, int maxTracked) {
    this(httpSlowResponseNanos, http5xxCount, http5xxWindowNanos, dnsNxdomainCount,
        dnsNxdomainWindowNanos, dnsServfail, dnsTimeout, dnsQueryTimeoutNanos, dnsTunnelNames,
        dnsTunnelWindowNanos, dnsTunnelLabelLength, dnsTunnelEntropy, tlsCertificateValidity,
        tlsPlainPorts, tlsSniMissing443, maxTracked,
        io.mirrorsensor.decode.app.http.HttpConfig.DEFAULT_MAX_BODY_BYTES,
        io.mirrorsensor.decode.app.http.HttpConfig.DEFAULT_MAX_BODY_BYTES);
  }

  public static AppAlertConfig defaults() {
    return new AppAlertConfig(2_000_000_000L, 10, 60_000_000_000L, 20, 60_000_000_000L, true,
        true, 5_000_000_000L, 30, 60_000_000_000L, 40, 3.5, true,
        new int[] {21, 23, 25, 80, 110, 143}, false, 10_000);
  }

  /** True when {@code port} is one of {@link #tlsPlainPorts}. */
  public boolean plainPort(int port) {
    for (int p : tlsPlainPorts) {
      if (p == port) {
        return true;
      }
    }
    return false;
  }
}

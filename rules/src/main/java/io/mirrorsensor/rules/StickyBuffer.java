package io.mirrorsensor.rules;

import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpBuffer;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.decode.app.tls.TlsBuffer;
import io.mirrorsensor.decode.app.tls.TlsTransaction;

/**
 * A named buffer rules can inspect: the packet payload ({@code pkt_data}) or one of the app-layer
 * buffers of an HTTP, DNS or TLS transaction, with the app protocol that has it and the side
 * (request, response, or either, by the rule's direction) it is read from. Each buffer has one
 * {@link BufferSupplier}, used by both the prefilter and the full match.
 */
final class StickyBuffer {
  static final int REQUEST = 0;
  static final int RESPONSE = 1;
  /** Read from the request for to_server rules, from the response for to_client rules. */
  static final int EITHER = 2;

  /**
   * The packet payload (TCP/UDP/ICMP payload), the default buffer of content and pcre; while a
   * TCP stream is inspected, the window of reassembled stream bytes.
   */
  static final StickyBuffer PKT_DATA =
      new StickyBuffer(
          0,
          "pkt_data",
          Protocols.APP_NONE,
          REQUEST,
          (in, out) -> {
            if (in.stream) {
              out.buf = in.streamBuf;
              out.off = in.streamOff;
              out.len = in.streamLen;
              out.base = in.streamBase;
              return in.streamLen > 0;
            }
            io.mirrorsensor.decode.DecodedPacket p = in.packet;
            if (p == null || in.noPayload || p.payloadOffset < 0 || p.payloadLength <= 0) {
              return false;
            }
            out.buf = p.buf;
            out.off = p.payloadOffset;
            out.len = p.payloadLength;
            return true;
          });

  // ---- HTTP (decoders HttpBuffer ranges, or derived by HttpNormalizer) ----
  static final StickyBuffer HTTP_METHOD = http(1, "http.method", REQUEST, HttpBuffer.METHOD, null);
  static final StickyBuffer HTTP_URI =
      derived(2, "http.uri", Protocols.APP_HTTP, REQUEST, new Inspection.Deriver() {
        @Override
        public int bound(Inspection in) {
          return in.http.length(HttpBuffer.URI_RAW);
        }

        @Override
        public int derive(Inspection in, byte[] dst) {
          HttpTransaction t = in.http;
          return HttpNormalizer.uri(t.bytes(HttpBuffer.URI_RAW), t.offset(HttpBuffer.URI_RAW),
              t.length(HttpBuffer.URI_RAW), dst);
        }
      });
  static final StickyBuffer HTTP_URI_RAW = http(3, "http.uri.raw", REQUEST, HttpBuffer.URI_RAW, null);
  static final StickyBuffer HTTP_PROTOCOL = http(4, "http.protocol", REQUEST, HttpBuffer.PROTOCOL, null);
  static final StickyBuffer HTTP_REQUEST_LINE =
      http(5, "http.request_line", REQUEST, HttpBuffer.REQUEST_LINE, null);
  static final StickyBuffer HTTP_HOST =
      derived(6, "http.host", Protocols.APP_HTTP, REQUEST, new Inspection.Deriver() {
        @Override
        public int bound(Inspection in) {
          HttpTransaction t = in.http;
          return t.hasRequest()
              ? Math.max(0, t.length(HttpBuffer.URI_RAW)) + Math.max(0, t.length(HttpBuffer.HOST))
              : -1;
        }

        @Override
        public int derive(Inspection in, byte[] dst) {
          return HttpNormalizer.host(in.http, dst);
        }
      });
  static final StickyBuffer HTTP_HOST_RAW = http(7, "http.host.raw", REQUEST, HttpBuffer.HOST, null);
  static final StickyBuffer HTTP_USER_AGENT =
      http(8, "http.user_agent", REQUEST, HttpBuffer.USER_AGENT, null);
  static final StickyBuffer HTTP_REFERER = http(9, "http.referer", REQUEST, HttpBuffer.REFERER, null);
  static final StickyBuffer HTTP_HEADER =
      derived(10, "http.header", Protocols.APP_HTTP, EITHER, new Inspection.Deriver() {
        @Override
        public int bound(Inspection in) {
          int len = in.http.length(in.toClient ? HttpBuffer.RESPONSE_HEADER : HttpBuffer.REQUEST_HEADER);
          return len < 0 ? -1 : HttpNormalizer.headersBound(len);
        }

        @Override
        public int derive(Inspection in, byte[] dst) {
          HttpBuffer b = in.toClient ? HttpBuffer.RESPONSE_HEADER : HttpBuffer.REQUEST_HEADER;
          HttpTransaction t = in.http;
          return HttpNormalizer.headers(t.bytes(b), t.offset(b), t.length(b), in.toClient, dst);
        }
      });
  static final StickyBuffer HTTP_HEADER_RAW =
      http(11, "http.header.raw", EITHER, HttpBuffer.REQUEST_HEADER, HttpBuffer.RESPONSE_HEADER);
  static final StickyBuffer HTTP_HEADER_NAMES =
      derived(12, "http.header_names", Protocols.APP_HTTP, EITHER, new Inspection.Deriver() {
        @Override
        public int bound(Inspection in) {
          int len = in.http.length(in.toClient ? HttpBuffer.RESPONSE_HEADER : HttpBuffer.REQUEST_HEADER);
          return len < 0 ? -1 : 2 * len + 8;
        }

        @Override
        public int derive(Inspection in, byte[] dst) {
          HttpBuffer b = in.toClient ? HttpBuffer.RESPONSE_HEADER : HttpBuffer.REQUEST_HEADER;
          HttpTransaction t = in.http;
          return HttpNormalizer.headerNames(t.bytes(b), t.offset(b), t.length(b), dst);
        }
      });
  private static final byte[] SET_COOKIE = {'s', 'e', 't', '-', 'c', 'o', 'o', 'k', 'i', 'e'};
  /** {@code Cookie} of the request, {@code Set-Cookie} of the response (Suricata's http.cookie). */
  static final StickyBuffer HTTP_COOKIE =
      new StickyBuffer(13, "http.cookie", Protocols.APP_HTTP, EITHER, (in, out) -> {
        HttpTransaction t = in.http;
        if (!in.toClient) {
          return range(t, HttpBuffer.COOKIE, out);
        }
        int len = t.length(HttpBuffer.RESPONSE_HEADER);
        if (len < 0) {
          return false;
        }
        byte[] b = t.bytes(HttpBuffer.RESPONSE_HEADER);
        long r = HttpNormalizer.findHeader(b, t.offset(HttpBuffer.RESPONSE_HEADER), len, SET_COOKIE);
        if (r < 0) {
          return false;
        }
        out.buf = b;
        out.off = (int) (r >>> 32);
        out.len = (int) r;
        return true;
      });
  static final StickyBuffer HTTP_CONTENT_TYPE = http(14, "http.content_type", EITHER,
      HttpBuffer.REQUEST_CONTENT_TYPE, HttpBuffer.CONTENT_TYPE);
  static final StickyBuffer HTTP_STAT_CODE = http(15, "http.stat_code", RESPONSE, HttpBuffer.STAT_CODE, null);
  static final StickyBuffer HTTP_STAT_MSG = http(16, "http.stat_msg", RESPONSE, HttpBuffer.STAT_MSG, null);
  static final StickyBuffer HTTP_RESPONSE_LINE =
      http(17, "http.response_line", RESPONSE, HttpBuffer.RESPONSE_LINE, null);
  static final StickyBuffer HTTP_SERVER = http(18, "http.server", RESPONSE, HttpBuffer.SERVER, null);
  static final StickyBuffer HTTP_LOCATION = http(19, "http.location", RESPONSE, HttpBuffer.LOCATION, null);

  // ---- DNS ----
  /**
   * {@code dns.query}: the question name, dotted, without the trailing dot, as Suricata presents
   * it. The parser keeps the first question only, lower-cased (Suricata keeps the case).
   */
  static final StickyBuffer DNS_QUERY =
      derived(20, "dns.query", Protocols.APP_DNS, REQUEST, new Inspection.Deriver() {
        @Override
        public int bound(Inspection in) {
          DnsTransaction d = in.dns;
          return d.qnameLength() <= 1 ? -1 : d.qnameLength();
        }

        @Override
        public int derive(Inspection in, byte[] dst) {
          byte[] flat = in.dns.qname();
          int len = in.dns.qnameLength();
          int n = 0;
          int p = 0;
          while (p < len) {
            int l = flat[p] & 0xFF;
            if (l == 0 || p + 1 + l > len) {
              break;
            }
            if (n > 0) {
              dst[n++] = '.';
            }
            System.arraycopy(flat, p + 1, dst, n, l);
            n += l;
            p += 1 + l;
          }
          return n == 0 ? -1 : n;
        }
      });

  // ---- TLS ----
  static final StickyBuffer TLS_SNI = tls(21, "tls.sni", REQUEST, TlsBuffer.SNI);
  static final StickyBuffer TLS_CERT_SUBJECT = tls(22, "tls.cert_subject", RESPONSE, TlsBuffer.CERT_SUBJECT);
  static final StickyBuffer TLS_CERT_ISSUER = tls(23, "tls.cert_issuer", RESPONSE, TlsBuffer.CERT_ISSUER);
  static final StickyBuffer TLS_CERT_SERIAL = tls(24, "tls.cert_serial", RESPONSE, TlsBuffer.CERT_SERIAL);
  static final StickyBuffer JA3_HASH = tls(25, "ja3.hash", REQUEST, TlsBuffer.JA3_HASH);
  static final StickyBuffer JA3_STRING = tls(26, "ja3.string", REQUEST, TlsBuffer.JA3_STRING);
  static final StickyBuffer JA3S_HASH = tls(27, "ja3s.hash", RESPONSE, TlsBuffer.JA3S_HASH);
  static final StickyBuffer JA3S_STRING = tls(28, "ja3s.string", RESPONSE, TlsBuffer.JA3S_STRING);
  static final StickyBuffer JA4_HASH = tls(29, "ja4.hash", REQUEST, TlsBuffer.JA4_HASH);

  /** Number of buffers defined (sizes per-detector tables). */
  static final int COUNT = 30;

  final int id;
  final String name;
  /** {@link Protocols#APP_NONE} for pkt_data, else the app protocol that has the buffer. */
  final int app;
  /** {@link #REQUEST}, {@link #RESPONSE} or {@link #EITHER}. */
  final int side;
  final BufferSupplier supplier;

  private StickyBuffer(int id, String name, int app, int side, BufferSupplier supplier) {
    this.id = id;
    this.name = name;
    this.app = app;
    this.side = side;
    this.supplier = supplier;
  }

  /** A buffer that is a range of the transaction ({@code response} used for to_client rules). */
  private static StickyBuffer http(int id, String name, int side, HttpBuffer request,
      HttpBuffer response) {
    return new StickyBuffer(id, name, Protocols.APP_HTTP, side,
        (in, out) -> range(in.http, in.toClient && response != null ? response : request, out));
  }

  private static boolean range(HttpTransaction t, HttpBuffer b, Span out) {
    int len = t.length(b);
    if (len < 0) {
      return false;
    }
    out.buf = t.bytes(b);
    out.off = t.offset(b);
    out.len = len;
    return true;
  }

  private static StickyBuffer tls(int id, String name, int side, TlsBuffer b) {
    return new StickyBuffer(id, name, Protocols.APP_TLS, side, (in, out) -> {
      TlsTransaction t = in.tls;
      int len = t.length(b);
      if (len < 0) {
        return false;
      }
      out.buf = t.bytes(b);
      out.off = t.offset(b);
      out.len = len;
      return true;
    });
  }

  private static StickyBuffer derived(int id, String name, int app, int side, Inspection.Deriver d) {
    return new StickyBuffer(id, name, app, side, (in, out) -> in.derived(id, d, out));
  }

  @Override
  public String toString() {
    return name;
  }
}

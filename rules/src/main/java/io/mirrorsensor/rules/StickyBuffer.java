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

  // ---- HTTP bodies and more headers (HttpBuffer ranges, or derived) ----
  /** {@code http.request_body} ({@code http_client_body}): de-chunked, decompressed, bounded. */
  static final StickyBuffer HTTP_REQUEST_BODY =
      http(30, "http.request_body", REQUEST, HttpBuffer.REQUEST_BODY, null);
  /** {@code http.response_body} ({@code http_server_body}): as the request body. */
  static final StickyBuffer HTTP_RESPONSE_BODY =
      http(31, "http.response_body", RESPONSE, HttpBuffer.RESPONSE_BODY, null);
  /**
   * {@code file.data} ({@code file_data}) on HTTP: the response body for to_client rules, the
   * request body for to_server rules (Suricata 7).
   */
  static final StickyBuffer FILE_DATA =
      http(32, "file.data", EITHER, HttpBuffer.REQUEST_BODY, HttpBuffer.RESPONSE_BODY);
  static final StickyBuffer HTTP_CONTENT_LEN = http(33, "http.content_len", EITHER,
      HttpBuffer.REQUEST_CONTENT_LENGTH, HttpBuffer.CONTENT_LENGTH);
  static final StickyBuffer HTTP_CONNECTION = http(34, "http.connection", EITHER,
      HttpBuffer.REQUEST_CONNECTION, HttpBuffer.CONNECTION);
  static final StickyBuffer HTTP_ACCEPT = http(35, "http.accept", REQUEST, HttpBuffer.ACCEPT, null);
  static final StickyBuffer HTTP_ACCEPT_ENC =
      http(36, "http.accept_enc", REQUEST, HttpBuffer.ACCEPT_ENCODING, null);
  static final StickyBuffer HTTP_ACCEPT_LANG =
      http(37, "http.accept_lang", REQUEST, HttpBuffer.ACCEPT_LANGUAGE, null);
  /**
   * {@code http.start}: the request (or response) line, CRLF, every header as {@code Name:
   * value} CRLF (cookies included), then CRLF (Suricata's detect-http-start.c).
   */
  static final StickyBuffer HTTP_START =
      derived(38, "http.start", Protocols.APP_HTTP, EITHER, new Inspection.Deriver() {
        @Override
        public int bound(Inspection in) {
          HttpBuffer line = in.toClient ? HttpBuffer.RESPONSE_LINE : HttpBuffer.REQUEST_LINE;
          HttpBuffer hdr = in.toClient ? HttpBuffer.RESPONSE_HEADER : HttpBuffer.REQUEST_HEADER;
          int l = in.http.length(line);
          return l < 0 ? -1 : l + 4 + HttpNormalizer.headersBound(Math.max(0, in.http.length(hdr)));
        }

        @Override
        public int derive(Inspection in, byte[] dst) {
          return HttpNormalizer.start(in.http, in.toClient, dst);
        }
      });
  /**
   * The packet payload as an http rule that also reads http buffers sees it (Suricata inspects
   * such a rule's {@code pkt_data} part on the packets and stream of the transaction): the
   * transaction's raw head in the rule's direction (start line and header lines as on the wire)
   * followed by its kept body.
   */
  static final StickyBuffer HTTP_RAW_MESSAGE =
      derived(39, "pkt_data", Protocols.APP_HTTP, EITHER, new Inspection.Deriver() {
        @Override
        public int bound(Inspection in) {
          HttpTransaction t = in.http;
          HttpBuffer line = in.toClient ? HttpBuffer.RESPONSE_LINE : HttpBuffer.REQUEST_LINE;
          HttpBuffer body = in.toClient ? HttpBuffer.RESPONSE_BODY : HttpBuffer.REQUEST_BODY;
          if (t.length(line) < 0) {
            return -1;
          }
          return t.bytes(line).length + Math.max(0, t.length(body));
        }

        @Override
        public int derive(Inspection in, byte[] dst) {
          HttpTransaction t = in.http;
          HttpBuffer line = in.toClient ? HttpBuffer.RESPONSE_LINE : HttpBuffer.REQUEST_LINE;
          HttpBuffer body = in.toClient ? HttpBuffer.RESPONSE_BODY : HttpBuffer.REQUEST_BODY;
          byte[] head = t.bytes(line);
          System.arraycopy(head, 0, dst, 0, head.length);
          int n = head.length;
          int bl = t.length(body);
          if (bl > 0) {
            System.arraycopy(t.bytes(body), t.offset(body), dst, n, bl);
            n += bl;
          }
          return n;
        }
      });

  // ---- TLS and DNS buffers of detect-tls-random.c, detect-tls-certs.c, detect-dns-*.c ----
  /** {@code tls.random}: the ClientHello's random to the server, the ServerHello's to the client. */
  static final StickyBuffer TLS_RANDOM = tlsRandom(60, "tls.random", 0, 32);
  /** {@code tls.random_time}: the random's first 4 bytes (gmt_unix_time of TLS 1.2). */
  static final StickyBuffer TLS_RANDOM_TIME = tlsRandom(61, "tls.random_time", 0, 4);
  /** {@code tls.random_bytes}: the random's last 28 bytes. */
  static final StickyBuffer TLS_RANDOM_BYTES = tlsRandom(62, "tls.random_bytes", 4, 28);
  /** {@code tls.certs}: each DER certificate of the server's chain (a match in any one counts). */
  static final StickyBuffer TLS_CERTS = multi(63, "tls.certs", Protocols.APP_TLS, RESPONSE,
      in -> in.tls.chainCount(),
      (in, out) -> {
        TlsTransaction t = in.tls;
        if (in.instance >= t.chainCount()) {
          return false;
        }
        out.buf = t.chainBytes();
        out.off = t.chainOffset(in.instance);
        out.len = t.chainLength(in.instance);
        return true;
      });
  /** {@code tls.subjectaltname}: each dNSName of the server certificate's subjectAltName. */
  static final StickyBuffer TLS_SAN = multi(64, "tls.subjectaltname", Protocols.APP_TLS, RESPONSE,
      in -> in.tls.subjectAltNames().length,
      (in, out) -> {
        byte[][] names = in.tls.subjectAltNames();
        if (in.instance >= names.length) {
          return false;
        }
        out.buf = names[in.instance];
        out.off = 0;
        out.len = out.buf.length;
        return true;
      });
  /**
   * {@code dns.answers.rrname}: the owner name of each answer record (raw labels joined by '.').
   * Only responses are kept whole, so it is a response buffer here (Suricata also reads the
   * answers a request carries): a rule without flow:to_client still sees the response's.
   */
  static final StickyBuffer DNS_ANSWER_NAME = dnsNames(65, "dns.answers.rrname", RESPONSE, false);
  /** {@code dns.response.rrname}: every name of the response: questions, answers, authority, additional. */
  static final StickyBuffer DNS_RESPONSE_RRNAME = dnsNames(66, "dns.response.rrname", RESPONSE, true);

  /**
   * {@code base64_data}: what the rule's last base64_decode decoded (in the inspection's scratch).
   * Not an app-layer buffer: it follows whatever buffer was decoded, in packet and app rules.
   */
  static final StickyBuffer BASE64_DATA = new StickyBuffer(67, "base64_data", Protocols.APP_NONE,
      EITHER, (in, out) -> {
        if (in.base64Len <= 0) {
          return false;
        }
        out.buf = in.base64;
        out.off = 0;
        out.len = in.base64Len;
        return true;
      });

  /** Number of buffers defined (sizes per-detector tables). */
  static final int COUNT = 70;

  final int id;
  final String name;
  /** {@link Protocols#APP_NONE} for pkt_data, else the app protocol that has the buffer. */
  final int app;
  /** {@link #REQUEST}, {@link #RESPONSE} or {@link #EITHER}. */
  final int side;
  final BufferSupplier supplier;
  /** The untransformed buffer this one is made from: itself unless {@link #transforms} is set. */
  final StickyBuffer root;
  /** Transforms applied to {@link #root}'s bytes, in rule order; empty for a plain buffer. */
  final Transform[] transforms;

  private StickyBuffer(int id, String name, int app, int side, BufferSupplier supplier) {
    this.id = id;
    this.name = name;
    this.app = app;
    this.side = side;
    this.supplier = supplier;
    this.root = this;
    this.transforms = new Transform[0];
  }

  private StickyBuffer(int id, StickyBuffer root, Transform[] transforms, BufferSupplier supplier) {
    this.id = id;
    this.name = root.name + TransformedBuffer.suffix(transforms);
    this.app = root.app;
    this.side = root.side;
    this.supplier = supplier;
    this.root = root;
    this.transforms = transforms;
  }

  /**
   * {@code base} with transform {@code t} added: one shared instance per root buffer and transform
   * chain (so rules with the same chain share a prefilter), numbered from {@link #COUNT} up.
   */
  static StickyBuffer transformed(StickyBuffer base, Transform t) {
    return TransformedBuffer.of(base, t, (id, root, chain, supplier) ->
        new StickyBuffer(id, root, chain, supplier));
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

  /** Counts the instances of a multi-instance buffer for an inspection (0 when absent). */
  interface Instances {
    int count(Inspection in);
  }

  /** Null for a single buffer; else the count of instances the detector walks ({@link Inspection#instance}). */
  Instances instances;

  /** Instances of this buffer (its root's) in the inspection: 1 for a single buffer. */
  int instances(Inspection in) {
    return root.instances == null ? 1 : root.instances.count(in);
  }

  boolean multi() {
    return root.instances != null;
  }

  private static StickyBuffer multi(int id, String name, int app, int side, Instances count,
      BufferSupplier supplier) {
    StickyBuffer b = new StickyBuffer(id, name, app, side, supplier);
    b.instances = count;
    return b;
  }

  private static StickyBuffer tlsRandom(int id, String name, int from, int len) {
    return new StickyBuffer(id, name, Protocols.APP_TLS, EITHER, (in, out) -> {
      TlsTransaction t = in.tls;
      TlsBuffer b = in.toClient ? TlsBuffer.SERVER_RANDOM : TlsBuffer.CLIENT_RANDOM;
      if (t.length(b) < from + len) {
        return false;
      }
      out.buf = t.bytes(b);
      out.off = t.offset(b) + from;
      out.len = len;
      return true;
    });
  }

  /**
   * Record names of the response as a multi-instance buffer: the answers, or with {@code all}
   * every section. Each name is written into the inspection's scratch on demand.
   */
  private static StickyBuffer dnsNames(int id, String name, int side, boolean all) {
    Inspection.Deriver d = new Inspection.Deriver() {
      @Override
      public int bound(Inspection in) {
        return 255;
      }

      @Override
      public int derive(Inspection in, byte[] dst) {
        int rec = dnsRecord(in, all);
        return rec < 0 ? -1 : in.dns.response().nameBytes(rec, dst);
      }
    };
    return multi(id, name, Protocols.APP_DNS, side, in -> {
      io.mirrorsensor.decode.app.dns.DnsMessage m = in.dns.response();
      if (!in.toClient || m == null) {
        return 0;
      }
      return all ? m.records() : m.sectionCount(io.mirrorsensor.decode.app.dns.DnsMessage.SECTION_ANSWER);
    }, (in, out) -> in.derived(id, d, out));
  }

  /** The record index of instance {@code in.instance}: the n-th answer, or the n-th record. */
  private static int dnsRecord(Inspection in, boolean all) {
    io.mirrorsensor.decode.app.dns.DnsMessage m = in.dns.response();
    if (m == null) {
      return -1;
    }
    if (all) {
      return in.instance < m.records() ? in.instance : -1;
    }
    int k = in.instance;
    for (int r = 0; r < m.records(); r++) {
      if (m.section(r) == io.mirrorsensor.decode.app.dns.DnsMessage.SECTION_ANSWER && k-- == 0) {
        return r;
      }
    }
    return -1;
  }

  private static StickyBuffer derived(int id, String name, int app, int side, Inspection.Deriver d) {
    return new StickyBuffer(id, name, app, side, (in, out) -> in.derived(id, d, out));
  }

  @Override
  public String toString() {
    return name;
  }
}

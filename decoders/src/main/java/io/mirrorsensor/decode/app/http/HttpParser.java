package io.mirrorsensor.decode.app.http;

import io.mirrorsensor.decode.tcp.StreamSink;
import java.util.ArrayDeque;

/**
 * HTTP/1.x for one TCP connection (RFC 9112): a splitter per direction finds message boundaries
 * in the in-order byte stream (start line, header lines, then a body framed by Content-Length,
 * chunked coding with trailers, or the close of the connection), and the parser pairs requests
 * with responses in order (pipelining) into {@link HttpTransaction}s.
 *
 * <p>Detected by content, not port: the first to-server bytes must have the shape of a request
 * line ({@link #probe}); otherwise the parser goes inert ({@link #notHttp()}). To-client bytes
 * are ignored until a request line was seen. HEAD, 1xx, 204 and 304 responses have no body;
 * {@code 100 Continue} (any 1xx but 101) is an interim response; CONNECT and 101 end parsing of
 * both directions after their heads. HTTP/0.9 ({@code GET /path} without a version) is
 * tolerated: its response is the rest of the to-client stream.
 *
 * <p>Gaps announced by the stream end or mark the transaction they fall into ({@link
 * HttpTransaction#gap()}); the direction then resynchronises on the next line with the shape of
 * a request (or status) line.
 *
 * <p>Call order, one owning thread: {@link #time} with the packet's time before feeding the
 * packet's bytes to the reassembler whose sink is {@link #toServer()} or {@link #toClient()};
 * {@link #close} once when the connection ends (ends a body delimited by the close, then hands
 * over the transactions still open).
 */
public final class HttpParser {
  public static final int PROBE_NO = -1;
  public static final int PROBE_NEED_MORE = 0;
  public static final int PROBE_YES = 1;
  private static final int MAX_METHOD = 32;

  private final HttpConfig config;
  private final HttpListener listener;
  private final Half toServer;
  private final Half toClient;
  private final ArrayDeque<HttpTransaction> open = new ArrayDeque<>();
  private final long[] eventCounts = new long[HttpEvent.values().length];
  private long nowNanos;
  /** 0 unknown, 1 HTTP, -1 not HTTP. */
  private int detected;
  private long transactions;

  public HttpParser(HttpConfig config, HttpListener listener) {
    this.config = config;
    this.listener = listener;
    this.toServer = new Half(true);
    this.toClient = new Half(false);
  }

  /** Packet time of the bytes fed next. */
  public void time(long tsNanos) {
    nowNanos = tsNanos;
  }

  /** The client-to-server stream. */
  public StreamSink toServer() {
    return toServer;
  }

  /** The server-to-client stream. */
  public StreamSink toClient() {
    return toClient;
  }

  /** True once the first request line was seen. */
  public boolean isHttp() {
    return detected > 0;
  }

  /** True when the first to-server bytes were not a request line: nothing more is parsed. */
  public boolean notHttp() {
    return detected < 0;
  }

  public long count(HttpEvent e) {
    return eventCounts[e.ordinal()];
  }

  /** Transactions handed to the listener. */
  public long transactions() {
    return transactions;
  }

  /**
   * Whether {@code buf[off, off + len)}, the first bytes of a to-server stream, look like a
   * request line: a method token of capitals, '-' or '_' followed by a space.
   */
  public static int probe(byte[] buf, int off, int len) {
    for (int i = 0; i < len && i <= MAX_METHOD; i++) {
      int c = buf[off + i];
      if (c == ' ') {
        return i > 0 ? PROBE_YES : PROBE_NO;
      }
      if (!((c >= 'A' && c <= 'Z') || c == '-' || c == '_')) {
        return PROBE_NO;
      }
    }
    return len > MAX_METHOD ? PROBE_NO : PROBE_NEED_MORE;
  }

  /** Ends the connection: a body delimited by the close ends here; open transactions go out. */
  public void close() {
    toServer.closeStream();
    toClient.closeStream();
    toServer.bodyDecoder.finish();
    toClient.bodyDecoder.finish();
    while (!open.isEmpty()) {
      emit(open.pollFirst());
    }
  }

  private void requestEnded(HttpTransaction t) {
    t.requestEndNanos = nowNanos;
    listener.requestEnded(t);
  }

  private void event(HttpEvent e) {
    eventCounts[e.ordinal()]++;
    listener.event(e, nowNanos);
  }

  private void emit(HttpTransaction t) {
    transactions++;
    listener.transaction(t);
  }

  /** The oldest transaction without a final response, or null. */
  private HttpTransaction awaitingResponse() {
    return open.peekFirst();
  }

  private static final int START = 0;
  private static final int HEADERS = 1;
  private static final int BODY_LENGTH = 2;
  private static final int CHUNK_SIZE = 3;
  private static final int CHUNK_DATA = 4;
  private static final int CHUNK_END = 5;
  private static final int TRAILERS = 6;
  private static final int UNTIL_CLOSE = 7;
  private static final int RESYNC = 8;
  /** Terminal: CONNECT, 101, Connection: close after the response, or not HTTP. */
  private static final int DONE = 9;

  private static boolean tchar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  /** One direction: the splitter's state machine and the head being collected. */
  private final class Half implements StreamSink {
    final boolean request;
    int state = START;
    byte[] head = new byte[1024];
    int headLen;
    int lineStart;
    boolean skipping;
    /** Start line parts (a, b, c as offset/length; c length -1 when absent). */
    final int[] parts = new int[6];
    int[] hdr = new int[4 * 16];
    int hdrCount;
    boolean tooManyNoted;
    int headersOff;
    long remaining;
    long msgStartNanos = -1;
    HttpTransaction tx;
    boolean orphan;
    boolean chunked;
    long contentLength;
    final HttpBodyDecoder bodyDecoder;

    Half(boolean request) {
      this.request = request;
      this.bodyDecoder = new HttpBodyDecoder(config, request);
    }

    @Override
    public void data(byte[] b, int off, int len, long offset) {
      int p = off;
      int end = off + len;
      if (detected < 0 || (!request && detected == 0)) {
        return;
      }
      if (request && detected == 0 && headLen == 0 && state == START && len > 0
          && probe(b, off, Math.min(len, MAX_METHOD + 1)) == PROBE_NO) {
        detected = -1;
        return;
      }
      while (p < end) {
        switch (state) {
          case START:
            if (!request && headLen == 0 && !skipping) {
              HttpTransaction t = awaitingResponse();
              if (t != null && t.http09 && t.response == null && t.status < 0) {
                tx = t;
                orphan = false;
                t.responseStartNanos = nowNanos;
                t.status = 0;
                state = UNTIL_CLOSE;
                continue;
              }
            }
            p = line(b, p, end);
            break;
          case HEADERS:
          case CHUNK_SIZE:
          case CHUNK_END:
          case TRAILERS:
          case RESYNC:
            p = line(b, p, end);
            break;
          case BODY_LENGTH:
          case CHUNK_DATA: {
            int n = (int) Math.min(remaining, end - p);
            body(b, p, n);
            remaining -= n;
            p += n;
            if (remaining == 0) {
              if (state == BODY_LENGTH) {
                messageDone();
              } else {
                state = CHUNK_END;
              }
            }
            break;
          }
          case UNTIL_CLOSE:
            body(b, p, end - p);
            if (tx != null) {
              tx.responseEndNanos = nowNanos;
            }
            p = end;
            break;
          default:
            return;
        }
        if (detected < 0) {
          return;
        }
      }
    }

    private void body(byte[] b, int off, int n) {
      if (tx == null) {
        return;
      }
      if (request) {
        tx.requestBodyBytes += n;
      } else {
        tx.responseBodyBytes += n;
      }
      HttpEvent e = bodyDecoder.data(b, off, n);
      if (e != null) {
        event(e);
      }
    }

    /** A body framed by {@code h} begins: keep it for inspection (not for orphan responses). */
    private void startBody(HttpHead h) {
      if (tx == null || (!request && orphan)) {
        return;
      }
      int ce = h.find(HttpTransaction.CONTENT_ENCODING, 0);
      int coding = HttpBodyDecoder.IDENTITY;
      if (ce >= 0) {
        coding = HttpBodyDecoder.coding(h.text(h.valueOff(ce), h.valueLen(ce)));
        if (h.find(HttpTransaction.CONTENT_ENCODING, 1) >= 0) {
          coding = HttpBodyDecoder.OTHER; // layered codings: kept as on the wire
        }
      }
      bodyDecoder.start(tx, coding);
      if (state == BODY_LENGTH) {
        tx.declareBody(request, contentLength); // framing() just read it
      }
    }

    /** Takes bytes up to and including the next LF; returns the new position. */
    private int line(byte[] b, int p, int end) {
      int lf = -1;
      for (int i = p; i < end; i++) {
        if (b[i] == '\n') {
          lf = i;
          break;
        }
      }
      int stop = lf >= 0 ? lf + 1 : end;
      int n = stop - p;
      if (skipping) {
        if (lf >= 0) {
          skipping = false;
        }
        return stop;
      }
      if (headLen - lineStart + n > config.maxLineBytes()) {
        boolean quiet = state == RESYNC;
        if (request && detected == 0) {
          detected = -1;
          return end;
        }
        if (!quiet) {
          event(HttpEvent.LINE_TOO_LONG);
        }
        if (state == START || state == CHUNK_SIZE || state == CHUNK_END) {
          abandon();
        }
        headLen = lineStart;
        skipping = lf < 0;
        return stop;
      }
      if (headLen + n > config.maxHeadBytes()) {
        event(HttpEvent.HEAD_TOO_LONG);
        abandon();
        skipping = lf < 0;
        return stop;
      }
      if (headLen == 0 && (state == START || state == RESYNC)) {
        msgStartNanos = nowNanos;
      }
      if (headLen + n > head.length) {
        head = java.util.Arrays.copyOf(head, Math.min(config.maxHeadBytes(),
            Math.max(head.length * 2, headLen + n)));
      }
      System.arraycopy(b, p, head, headLen, n);
      headLen += n;
      if (lf >= 0) {
        int s = lineStart;
        int e = headLen - 1;
        if (e > s && head[e - 1] == '\r') {
          e--;
        }
        lineStart = headLen;
        onLine(s, e);
      }
      return stop;
    }

    /** Drops the message in progress and resynchronises. */
    private void abandon() {
      headLen = 0;
      lineStart = 0;
      hdrCount = 0;
      if (tx != null && state != START && state != HEADERS && state != RESYNC) {
        tx.gap = true;
        messageDone();
      }
      state = RESYNC;
    }

    private void resetHead() {
      headLen = 0;
      lineStart = 0;
      hdrCount = 0;
      tooManyNoted = false;
    }

    private void onLine(int s, int e) {
      switch (state) {
        case START:
        case RESYNC:
          if (e == s) {
            resetHead(); // RFC 9112 section 2.2: empty lines before a start line are ignored
            return;
          }
          if (request ? requestLine(s, e) : statusLine(s, e)) {
            if (request) {
              detected = 1;
            }
            headersOff = headLen;
            if (request && parts[5] < 0) {
              // HTTP/0.9: no headers, no body.
              finishHead();
              return;
            }
            state = HEADERS;
            return;
          }
          if (request && detected == 0) {
            detected = -1;
            return;
          }
          if (state == START) {
            event(request ? HttpEvent.INVALID_REQUEST_LINE : HttpEvent.INVALID_STATUS_LINE);
          }
          state = RESYNC;
          resetHead();
          return;
        case HEADERS:
          if (e == s) {
            finishHead();
            return;
          }
          header(s, e);
          return;
        case CHUNK_SIZE:
          chunkSize(s, e);
          resetHead();
          return;
        case CHUNK_END:
          // The CRLF after chunk data; anything else there is a framing error.
          resetHead();
          if (e != s) {
            event(HttpEvent.INVALID_CHUNK_SIZE);
            abandon();
            return;
          }
          state = CHUNK_SIZE;
          return;
        case TRAILERS:
          resetHead();
          if (e == s) {
            messageDone();
          }
          return;
        default:
          return;
      }
    }

    private boolean requestLine(int s, int e) {
      int sp1 = -1;
      for (int i = s; i < e && i - s <= MAX_METHOD; i++) {
        int c = head[i];
        if (c == ' ') {
          sp1 = i;
          break;
        }
        if (!tchar(c)) {
          return false;
        }
      }
      if (sp1 <= s) {
        return false;
      }
      // libhtp: the request-target runs to the last space ("GET /a b HTTP/1.1" asks for "/a b")
      int sp2 = -1;
      for (int i = sp1 + 1; i < e; i++) {
        int c = head[i] & 0xFF;
        if (c == ' ') {
          sp2 = i;
          continue;
        }
        if (c < 0x20 || c == 0x7F) {
          return false;
        }
      }
      parts[0] = s;
      parts[1] = sp1 - s;
      if (sp2 < 0) {
        // HTTP/0.9 (RFC 1945 section 4.1): "GET" SP Request-URI, nothing else.
        if (sp1 - s != 3 || head[s] != 'G' || head[s + 1] != 'E' || head[s + 2] != 'T'
            || e == sp1 + 1) {
          return false;
        }
        parts[2] = sp1 + 1;
        parts[3] = e - sp1 - 1;
        parts[4] = e;
        parts[5] = -1;
        return true;
      }
      if (sp2 == sp1 + 1 || !version(sp2 + 1, e)) {
        return false;
      }
      parts[2] = sp1 + 1;
      parts[3] = sp2 - sp1 - 1;
      parts[4] = sp2 + 1;
      parts[5] = e - sp2 - 1;
      return true;
    }

    /** "HTTP/" DIGIT "." DIGIT exactly filling [s, e). */
    private boolean version(int s, int e) {
      return e - s == 8 && head[s] == 'H' && head[s + 1] == 'T' && head[s + 2] == 'T'
          && head[s + 3] == 'P' && head[s + 4] == '/' && digit(head[s + 5])
          && head[s + 6] == '.' && digit(head[s + 7]);
    }

    private boolean statusLine(int s, int e) {
      if (e - s < 12 || !version(s, s + 8) || head[s + 8] != ' ' || !digit(head[s + 9])
          || !digit(head[s + 10]) || !digit(head[s + 11]) || (e > s + 12 && head[s + 12] != ' ')) {
        return false;
      }
      parts[0] = s + 9;
      parts[1] = 3;
      parts[2] = s;
      parts[3] = 8;
      parts[4] = Math.min(e, s + 13);
      parts[5] = e - parts[4];
      return true;
    }

    private boolean digit(byte c) {
      return c >= '0' && c <= '9';
    }

    private void header(int s, int e) {
      int c0 = head[s];
      if (c0 == ' ' || c0 == '\t') {
        // RFC 9112 section 5.2: obs-fold; the value now runs to the end of this line.
        event(HttpEvent.OBSOLETE_LINE_FOLDING);
        if (hdrCount > 0) {
          int v = 4 * (hdrCount - 1);
          int ve = e;
          while (ve > s && (head[ve - 1] == ' ' || head[ve - 1] == '\t')) {
            ve--;
          }
          if (hdr[v + 3] == 0) {
            hdr[v + 2] = s;
          }
          hdr[v + 3] = ve - hdr[v + 2];
        }
        return;
      }
      int colon = -1;
      int nameEnd = -1;
      for (int i = s; i < e; i++) {
        int c = head[i];
        if (c == ':') {
          colon = i;
          break;
        }
        if (c == ' ' || c == '\t') {
          // libhtp takes "Name : value" with the name trimmed (RFC 9112 would reject it)
          if (nameEnd < 0) {
            nameEnd = i;
          }
          continue;
        }
        if (!tchar(c) || nameEnd >= 0) {
          break;
        }
      }
      if (nameEnd < 0) {
        nameEnd = colon;
      }
      if (colon <= s || nameEnd <= s) {
        event(HttpEvent.INVALID_HEADER);
        return;
      }
      if (hdrCount == config.maxHeaders()) {
        if (!tooManyNoted) {
          tooManyNoted = true;
          event(HttpEvent.TOO_MANY_HEADERS);
        }
        return;
      }
      int vs = colon + 1;
      while (vs < e && (head[vs] == ' ' || head[vs] == '\t')) {
        vs++;
      }
      int ve = e;
      while (ve > vs && (head[ve - 1] == ' ' || head[ve - 1] == '\t')) {
        ve--;
      }
      if (4 * hdrCount + 4 > hdr.length) {
        hdr = java.util.Arrays.copyOf(hdr, hdr.length * 2);
      }
      int v = 4 * hdrCount++;
      hdr[v] = s;
      hdr[v + 1] = nameEnd - s;
      hdr[v + 2] = vs;
      hdr[v + 3] = ve - vs;
    }

    /** The head is complete: copy it out, then decide how the body is framed. */
    private void finishHead() {
      int headersEnd = state == HEADERS ? Math.max(headersOff, lineStart
          - (lineStart >= 2 && head[lineStart - 2] == '\r' ? 2 : 1)) : headersOff;
      int lineEnd = parts[5] < 0 ? parts[2] + parts[3] : parts[4] + parts[5];
      HttpHead h = new HttpHead(java.util.Arrays.copyOf(head, headLen), lineEnd, parts.clone(),
          headersOff, headersEnd, java.util.Arrays.copyOf(hdr, 4 * hdrCount), hdrCount);
      long startNanos = msgStartNanos;
      resetHead();
      if (request) {
        requestHead(h, startNanos);
      } else {
        responseHead(h, startNanos);
      }
    }

    private void requestHead(HttpHead h, long startNanos) {
      if (open.size() == config.maxPipelined()) {
        event(HttpEvent.TOO_MANY_PIPELINED);
        emit(open.pollFirst());
      }
      HttpTransaction t = new HttpTransaction();
      t.request = h;
      t.requestStartNanos = startNanos;
      t.http09 = h.cLen < 0;
      t.close = hasToken(h, HttpTransaction.CONNECTION, "close");
      int host = h.find(HttpTransaction.HOST, 0);
      // libhtp joins repeated Host headers with ", ", which is never a valid host
      if (host >= 0 && (h.find(HttpTransaction.HOST, 1) >= 0
          || !HostHeader.valid(h.bytes, h.valueOff(host), h.valueLen(host)))) {
        event(HttpEvent.HOST_INVALID);
      }
      open.addLast(t);
      tx = t;
      if (t.http09) {
        messageDone();
        return;
      }
      if (h.aLen == 7 && new String(h.bytes, h.aOff, 7, java.nio.charset.StandardCharsets.US_ASCII)
          .equals("CONNECT")) {
        t.connect = true;
        requestEnded(t);
        state = DONE;
        return;
      }
      if (framing(h)) {
        startBody(h);
      } else {
        if (chunked || contentLength == -2) {
          // unknown length: cannot find the next request
          requestEnded(t);
          state = RESYNC;
          return;
        }
        messageDone();
      }
    }

    /**
     * Reads Transfer-Encoding / Content-Length; sets state for a body and returns true, or
     * returns false when there is none. {@code contentLength} -2 marks an unusable length.
     */
    private boolean framing(HttpHead h) {
      chunked = false;
      contentLength = -1;
      int te = h.find(HttpTransaction.TRANSFER_ENCODING, 0);
      int cl = h.find(HttpTransaction.CONTENT_LENGTH, 0);
      if (te >= 0) {
        if (cl >= 0) {
          event(HttpEvent.TE_AND_CL);
        }
        if (endsWithChunked(h, te)) {
          state = CHUNK_SIZE;
          return true;
        }
        if (request) {
          event(HttpEvent.TRANSFER_ENCODING_INVALID);
          contentLength = -2;
          return false;
        }
        state = UNTIL_CLOSE;
        return true;
      }
      if (cl >= 0) {
        long v = decimal(h.bytes, h.valueOff(cl), h.valueLen(cl));
        // libhtp compares each repeated C-L with the first: ambiguous when either is not a number
        for (int i = 1; h.find(HttpTransaction.CONTENT_LENGTH, i) >= 0; i++) {
          int o = h.find(HttpTransaction.CONTENT_LENGTH, i);
          long w = decimal(h.bytes, h.valueOff(o), h.valueLen(o));
          if (v < 0 || w < 0 || w != v) {
            event(HttpEvent.CONTENT_LENGTH_CONFLICT);
            break;
          }
        }
        if (v < 0) {
          event(HttpEvent.INVALID_CONTENT_LENGTH);
          contentLength = -2;
          return false;
        }
        contentLength = v;
        if (v == 0) {
          return false;
        }
        remaining = v;
        state = BODY_LENGTH;
        return true;
      }
      if (request) {
        return false;
      }
      state = UNTIL_CLOSE;
      return true;
    }

    private void responseHead(HttpHead h, long startNanos) {
      HttpTransaction t = awaitingResponse();
      int code = (h.bytes[h.aOff] - '0') * 100 + (h.bytes[h.aOff + 1] - '0') * 10
          + (h.bytes[h.aOff + 2] - '0');
      if (t == null) {
        event(HttpEvent.UNSOLICITED_RESPONSE);
        t = new HttpTransaction(); // parsed for framing only, never handed over
        orphan = true;
      } else {
        orphan = false;
      }
      tx = t;
      if (code >= 100 && code < 200 && code != 101) {
        t.interimResponses++;
        state = START;
        return;
      }
      t.response = h;
      t.status = code;
      t.responseStartNanos = startNanos;
      t.close |= hasToken(h, HttpTransaction.CONNECTION, "close");
      boolean head = t.request != null && t.request.aLen == 4 && t.request.bytes[t.request.aOff] == 'H'
          && t.request.bytes[t.request.aOff + 1] == 'E';
      if (code == 101 || (t.connect && code >= 200 && code < 300)) {
        messageDone();
        state = DONE;
        toServer.state = DONE;
        return;
      }
      if (head || code == 204 || code == 304) {
        messageDone();
        return;
      }
      if (framing(h)) {
        startBody(h);
      } else {
        if (contentLength == -2) {
          t.gap = true;
          messageDone();
          state = RESYNC;
          return;
        }
        messageDone();
      }
    }

    /** The message in this direction ended now. */
    private void messageDone() {
      bodyDecoder.finish();
      HttpTransaction t = tx;
      state = START;
      if (t == null) {
        return;
      }
      if (request) {
        requestEnded(t);
        if (t.close) {
          // RFC 9112 section 9.6: a client that sent close sends no further request.
          state = DONE;
        }
        return;
      }
      t.responseEndNanos = nowNanos;
      t.responseComplete = t.response != null || t.http09;
      tx = null;
      if (!orphan && open.peekFirst() == t) {
        open.pollFirst();
        emit(t);
      }
      if (t.close && t.response != null) {
        state = DONE;
      }
    }

    private void chunkSize(int s, int e) {
      long v = 0;
      int i = s;
      int digits = 0;
      for (; i < e; i++) {
        int c = head[i];
        int d = Character.digit(c, 16);
        if (d < 0) {
          break;
        }
        if (++digits > 15) {
          break;
        }
        v = (v << 4) | d;
      }
      // After the digits: optional whitespace and chunk extensions (RFC 9112 section 7.1.1).
      boolean ok = digits > 0 && digits <= 15
          && (i == e || head[i] == ';' || head[i] == ' ' || head[i] == '\t');
      if (!ok) {
        event(HttpEvent.INVALID_CHUNK_SIZE);
        abandonBody();
        return;
      }
      for (int j = i; j < e; j++) {
        if (head[j] == ';') {
          event(HttpEvent.CHUNK_EXTENSION);
          break;
        }
      }
      if (v == 0) {
        state = TRAILERS;
        return;
      }
      remaining = v;
      state = CHUNK_DATA;
    }

    private void abandonBody() {
      if (tx != null) {
        tx.gap = true;
        messageDone();
      }
      state = RESYNC;
    }

    @Override
    public void gap(long offset, long len) {
      if (detected <= 0 || state == DONE) {
        return;
      }
      event(HttpEvent.STREAM_GAP);
      if (state == BODY_LENGTH && len < remaining) {
        remaining -= len;
        if (tx != null) {
          tx.gap = true;
        }
        bodyDecoder.gap(len);
        return;
      }
      if (state == UNTIL_CLOSE) {
        if (tx != null) {
          tx.gap = true;
        }
        bodyDecoder.gap(len);
        return;
      }
      bodyDecoder.finish();
      skipping = false;
      if (state == HEADERS && !request) {
        // The response head was lost: the transaction ends without it.
        HttpTransaction t = awaitingResponse();
        if (t != null) {
          t.gap = true;
          tx = t;
          orphan = false;
          resetHead();
          messageDone();
        }
      } else if (state == BODY_LENGTH || state == CHUNK_SIZE || state == CHUNK_DATA
          || state == CHUNK_END || state == TRAILERS) {
        if (tx != null) {
          tx.gap = true;
          messageDone();
        }
      }
      resetHead();
      state = RESYNC;
    }

    void closeStream() {
      if (!request && state == UNTIL_CLOSE && tx != null) {
        messageDone();
      }
    }
  }

  private static boolean hasToken(HttpHead h, byte[] name, String token) {
    for (int n = 0; ; n++) {
      int i = h.find(name, n);
      if (i < 0) {
        return false;
      }
      String v = h.text(h.valueOff(i), h.valueLen(i));
      for (String part : v.split(",")) {
        if (part.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
  }

  private static boolean endsWithChunked(HttpHead h, int te) {
    int off = h.valueOff(te);
    int end = off + h.valueLen(te);
    while (end > off && (h.bytes[end - 1] == ' ' || h.bytes[end - 1] == ',')) {
      end--;
    }
    if (end - off < 7) {
      return false;
    }
    if (end - off > 7 && h.bytes[end - 8] != ',' && h.bytes[end - 8] != ' ') {
      return false;
    }
    return HttpHead.equalsLower(h.bytes, end - 7, HttpTransaction.ascii("chunked"));
  }

  /** Non-negative decimal (at most 18 digits), or -1. */
  static long decimal(byte[] b, int off, int len) {
    if (len <= 0 || len > 18) {
      return -1;
    }
    long v = 0;
    for (int i = off; i < off + len; i++) {
      int c = b[i];
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}

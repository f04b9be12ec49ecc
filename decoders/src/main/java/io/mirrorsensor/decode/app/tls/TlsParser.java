package io.mirrorsensor.decode.app.tls;

import io.mirrorsensor.decode.tcp.StreamSink;

/**
 * TLS handshake metadata for one TCP connection: the record layer (RFC 8446 section 5.1, RFC
 * 5246 section 6.2.1) per direction, handshake messages reassembled across records and records
 * across segments (several messages per record too), then the ClientHello, ServerHello and the
 * server's Certificate (TLS 1.2 and earlier) into one {@link TlsTransaction}.
 *
 * <pre>
 * TLSPlaintext: type(1) legacy_record_version(2) length(2) fragment[length]
 * Handshake:    msg_type(1) length(3) body[length]
 * </pre>
 *
 * <p>Detected by content, not port: the first to-server record must be a handshake record of
 * version 3.x ({@link #probe}); otherwise the parser goes inert ({@link #notTls()}). Each
 * direction is a state machine: record header, record body, and two terminal states: {@code
 * ENCRYPTED} (after a ChangeCipherSpec or an application_data record, or a TLS 1.3 ServerHello
 * that is not a HelloRetryRequest: what follows is encrypted, nothing more is parsed) and {@code
 * BAD} (malformed record layer, a gap, or too many records; a named {@link TlsEvent}).
 *
 * <p>Call order, one owning thread: {@link #time} with the packet's time before feeding the
 * packet's bytes to the reassembler whose sink is {@link #toServer()} or {@link #toClient()};
 * {@link #close} once when the connection ends. The listener's {@link TlsListener#complete} comes
 * once: when the server direction turns encrypted, or at {@link #close}.
 */
public final class TlsParser {
  public static final int PROBE_NO = -1;
  public static final int PROBE_NEED_MORE = 0;
  public static final int PROBE_YES = 1;

  static final int TYPE_CHANGE_CIPHER_SPEC = 20;
  static final int TYPE_ALERT = 21;
  static final int TYPE_HANDSHAKE = 22;
  static final int TYPE_APPLICATION_DATA = 23;
  static final int TYPE_HEARTBEAT = 24;
  static final int RECORD_HEADER_LENGTH = 5;
  /** TLSCiphertext.length at most 2^14 + 2048 (RFC 5246 section 6.2.3). */
  static final int MAX_RECORD_LENGTH = 16384 + 2048;
  static final int HS_CLIENT_HELLO = 1;
  static final int HS_SERVER_HELLO = 2;
  static final int HS_CERTIFICATE = 11;

  private static final int RECORD_HEADER = 0;
  private static final int HANDSHAKE_BODY = 1;
  private static final int SKIP_BODY = 2;
  private static final int ENCRYPTED = 3;
  private static final int BAD = 4;
  /** Terminal: the direction never looked like TLS. */
  private static final int INERT = 5;
  /** The body of an SSLv2-compatible ClientHello, the first thing a client may send. */
  private static final int V2_HELLO_BODY = 6;

  private final TlsConfig config;
  private final TlsListener listener;
  private final Half toServer;
  private final Half toClient;
  private final TlsTransaction tx = new TlsTransaction();
  private final long[] eventCounts = new long[TlsEvent.values().length];
  private long nowNanos;
  /** 0 unknown, 1 TLS, -1 not TLS. */
  private int detected;
  private boolean completed;

  public TlsParser(TlsConfig config, TlsListener listener) {
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

  /** True once a hello was parsed. */
  public boolean isTls() {
    return detected > 0;
  }

  /**
   * True once the handshake is over: a hello was parsed and the server's direction turned
   * encrypted (what follows on the connection is application data).
   */
  public boolean encrypted() {
    return detected > 0 && toClient.state == ENCRYPTED;
  }

  /** True when the first to-server bytes were not a TLS handshake record. */
  public boolean notTls() {
    return detected < 0;
  }

  /** The connection's transaction (filled as the handshake goes). */
  public TlsTransaction transaction() {
    return tx;
  }

  public long count(TlsEvent e) {
    return eventCounts[e.ordinal()];
  }

  /**
   * Whether {@code buf[off, off + len)}, the first bytes of a to-server stream, look like a TLS
   * ClientHello: record type 22, version 3.0 to 3.4, a plausible length, handshake type 1.
   */
  public static int probe(byte[] buf, int off, int len) {
    if (len >= 1 && (buf[off] & 0x80) != 0) {
      // SSLv2-compatible ClientHello (RFC 5246 appendix E.2): 2-byte length with the high bit,
      // msg_type 1, version 3.x.
      if (len >= 3 && buf[off + 2] != HS_CLIENT_HELLO) {
        return PROBE_NO;
      }
      if (len >= 4 && buf[off + 3] != 3) {
        return PROBE_NO;
      }
      return len >= 4 ? PROBE_YES : PROBE_NEED_MORE;
    }
    if (len >= 1 && (buf[off] & 0xff) != TYPE_HANDSHAKE) {
      return PROBE_NO;
    }
    if (len >= 2 && buf[off + 1] != 3) {
      return PROBE_NO;
    }
    if (len >= 3 && (buf[off + 2] & 0xff) > 4) {
      return PROBE_NO;
    }
    if (len >= 5) {
      int rlen = ((buf[off + 3] & 0xff) << 8) | (buf[off + 4] & 0xff);
      if (rlen < 4 || rlen > MAX_RECORD_LENGTH) {
        return PROBE_NO;
      }
    }
    if (len >= 6) {
      return buf[off + 5] == HS_CLIENT_HELLO ? PROBE_YES : PROBE_NO;
    }
    return PROBE_NEED_MORE;
  }

  /** Ends the connection: {@link TlsListener#complete} if it has not come yet. */
  public void close() {
    complete();
  }

  void event(TlsEvent e) {
    eventCounts[e.ordinal()]++;
    listener.event(e, nowNanos);
  }

  private void complete() {
    if (!completed && (tx.client != null || tx.server != null)) {
      completed = true;
      listener.complete(tx);
    }
  }

  /** One direction: record layer and handshake message reassembly. */
  private final class Half implements StreamSink {
    final boolean client;
    int state = RECORD_HEADER;
    final byte[] hdr = new byte[RECORD_HEADER_LENGTH];
    int hdrHave;
    int recordRemaining;
    int records;
    final byte[] hsHdr = new byte[4];
    int hsHdrHave;
    int msgType;
    int msgLen;
    int msgHave;
    byte[] msg;
    /** The message being handed to {@link #message} came as an SSLv2-compatible hello. */
    boolean v2;

    Half(boolean client) {
      this.client = client;
    }

    @Override
    public void data(byte[] b, int off, int len, long offset) {
      int p = off;
      int end = off + len;
      if (detected < 0) {
        return;
      }
      while (p < end) {
        switch (state) {
          case RECORD_HEADER: {
            int take = Math.min(RECORD_HEADER_LENGTH - hdrHave, end - p);
            System.arraycopy(b, p, hdr, hdrHave, take);
            hdrHave += take;
            p += take;
            if (hdrHave == RECORD_HEADER_LENGTH) {
              hdrHave = 0;
              record();
            }
            break;
          }
          case HANDSHAKE_BODY: {
            int n = Math.min(recordRemaining, end - p);
            recordRemaining -= n;
            handshake(b, p, n);
            p += n;
            if (recordRemaining == 0 && state == HANDSHAKE_BODY) {
              state = RECORD_HEADER;
            }
            break;
          }
          case SKIP_BODY: {
            int n = Math.min(recordRemaining, end - p);
            recordRemaining -= n;
            p += n;
            if (recordRemaining == 0) {
              state = RECORD_HEADER;
            }
            break;
          }
          case V2_HELLO_BODY: {
            int take = Math.min(msgLen - msgHave, end - p);
            if (msg == null || msg.length < msgLen) {
              msg = new byte[msgLen];
            }
            System.arraycopy(b, p, msg, msgHave, take);
            msgHave += take;
            p += take;
            if (msgHave == msgLen) {
              state = RECORD_HEADER;
              v2Hello();
            }
            break;
          }
          default:
            return; // ENCRYPTED, BAD, INERT
        }
      }
    }

    /** A complete record header in {@link #hdr}. */
    private void record() {
      int type = hdr[0] & 0xff;
      int length = ((hdr[3] & 0xff) << 8) | (hdr[4] & 0xff);
      if (records == 0 && client && (hdr[0] & 0x80) != 0
          && probe(hdr, 0, RECORD_HEADER_LENGTH) == PROBE_YES) {
        records++;
        // SSLv2 record: length(2, high bit set) msg_type(1) version(2): 3 of length consumed.
        msgLen = (((hdr[0] & 0x7f) << 8) | (hdr[1] & 0xff)) - 3;
        msgHave = 0;
        if (msgLen < 6 || msgLen > config.maxHandshakeBytes()) {
          bad(TlsEvent.INVALID_HANDSHAKE);
        } else {
          state = V2_HELLO_BODY;
        }
        return;
      }
      if (records++ == 0 && probe(hdr, 0, RECORD_HEADER_LENGTH) == PROBE_NO) {
        // Not a TLS stream: no anomalies for traffic that never was TLS.
        state = INERT;
        if (client) {
          detected = -1;
        }
        return;
      }
      if (type < TYPE_CHANGE_CIPHER_SPEC || type > TYPE_HEARTBEAT) {
        bad(TlsEvent.INVALID_RECORD_TYPE);
        return;
      }
      if (hdr[1] != 3) {
        bad(TlsEvent.INVALID_RECORD_VERSION);
        return;
      }
      if (length > MAX_RECORD_LENGTH) {
        bad(TlsEvent.RECORD_TOO_LONG);
        return;
      }
      if (records > config.maxRecords()) {
        bad(TlsEvent.TOO_MANY_RECORDS);
        return;
      }
      recordRemaining = length;
      switch (type) {
        case TYPE_CHANGE_CIPHER_SPEC:
        case TYPE_APPLICATION_DATA:
          encrypted();
          break;
        case TYPE_HANDSHAKE:
          if (length == 0) {
            event(TlsEvent.EMPTY_RECORD);
          } else {
            state = HANDSHAKE_BODY;
          }
          break;
        default: // alert, heartbeat: plaintext but not needed
          state = length == 0 ? RECORD_HEADER : SKIP_BODY;
          break;
      }
    }

    /**
     * An SSLv2-compatible ClientHello (RFC 5246 appendix E.2) in {@link #msg}: cipher_spec_length(2)
     * session_id_length(2) challenge_length(2) cipher_specs(3 each) session_id challenge. Turned
     * into the TLS form (specs with a zero first byte are TLS cipher suites; the challenge is the
     * right end of the random) and indexed as a ClientHello marked {@link TlsHello#isSslv2()}.
     */
    private void v2Hello() {
      int specs = ((msg[0] & 0xff) << 8) | (msg[1] & 0xff);
      int sid = ((msg[2] & 0xff) << 8) | (msg[3] & 0xff);
      int challenge = ((msg[4] & 0xff) << 8) | (msg[5] & 0xff);
      if (specs % 3 != 0 || sid > 32 || challenge < 16 || challenge > 32
          || 6 + specs + sid + challenge != msgLen) {
        event(TlsEvent.INVALID_HANDSHAKE);
        return;
      }
      byte[] t = new byte[2 + 32 + 1 + sid + 2 + specs / 3 * 2 + 2];
      t[0] = hdr[3];
      t[1] = hdr[4];
      System.arraycopy(msg, 6 + specs + sid, t, 2 + 32 - challenge, challenge);
      int i = 34;
      t[i++] = (byte) sid;
      System.arraycopy(msg, 6 + specs, t, i, sid);
      i += sid;
      int lenAt = i;
      i += 2;
      for (int k = 0; k < specs; k += 3) {
        if (msg[6 + k] == 0) {
          t[i++] = msg[7 + k];
          t[i++] = msg[8 + k];
        }
      }
      int cl = i - lenAt - 2;
      t[lenAt] = (byte) (cl >>> 8);
      t[lenAt + 1] = (byte) cl;
      t[i++] = 1; // one compression method: null
      t[i++] = 0;
      msgType = HS_CLIENT_HELLO;
      v2 = true;
      message(t, 0, i, i);
      v2 = false;
    }

    private void bad(TlsEvent e) {
      state = BAD;
      event(e);
    }

    private void encrypted() {
      state = ENCRYPTED;
      if (!client) {
        complete();
      }
    }

    /** {@code b[p, p + n)}: handshake-record bytes, in order; messages may span records. */
    private void handshake(byte[] b, int p, int n) {
      int end = p + n;
      while (p < end && state == HANDSHAKE_BODY) {
        if (hsHdrHave < 4) {
          int take = Math.min(4 - hsHdrHave, end - p);
          System.arraycopy(b, p, hsHdr, hsHdrHave, take);
          hsHdrHave += take;
          p += take;
          if (hsHdrHave < 4) {
            return;
          }
          msgType = hsHdr[0] & 0xff;
          msgLen = ((hsHdr[1] & 0xff) << 16) | ((hsHdr[2] & 0xff) << 8) | (hsHdr[3] & 0xff);
          msgHave = 0;
          if (end - p >= msgLen) {
            // The whole message is in this call's bytes: parsed in place, no copy.
            hsHdrHave = 0;
            message(b, p, Math.min(msgLen, config.maxHandshakeBytes()), msgLen);
            p += msgLen;
            continue;
          }
        }
        int take = Math.min(msgLen - msgHave, end - p);
        int keep = Math.min(take, Math.max(0, config.maxHandshakeBytes() - msgHave));
        if (keep > 0) {
          int need = msgHave + keep;
          if (msg == null || msg.length < need) {
            int cap = Math.min(config.maxHandshakeBytes(), Math.max(need, msg == null
                ? 1024 : msg.length * 2));
            msg = msg == null ? new byte[cap] : java.util.Arrays.copyOf(msg, cap);
          }
          System.arraycopy(b, p, msg, msgHave, keep);
        }
        msgHave += take;
        p += take;
        if (msgHave == msgLen) {
          hsHdrHave = 0;
          message(msg, 0, Math.min(msgLen, config.maxHandshakeBytes()), msgLen);
        }
      }
    }

    /** One handshake message: {@code kept} of its {@code full} body bytes at {@code m[off]}. */
    private void message(byte[] m, int off, int kept, int full) {
      boolean whole = kept == full;
      if (client && msgType == HS_CLIENT_HELLO) {
        if (!whole) {
          event(TlsEvent.HANDSHAKE_TOO_LONG);
          return;
        }
        // A new object per hello: a second one that fails to parse leaves the first intact.
        TlsHello h = new TlsHello(true, config.maxExtensions());
        if (!h.parse(m, off, kept, TlsParser.this, nowNanos)) {
          return;
        }
        h.sslv2 = v2;
        tx.client = h;
        tx.changed();
        tx.clientHellos++;
        if (tx.clientHellos > (tx.helloRetry ? 2 : 1)) {
          event(TlsEvent.MULTIPLE_CLIENT_HELLO);
        }
        detected = 1;
        listener.clientHello(tx);
      } else if (!client && msgType == HS_SERVER_HELLO) {
        if (!whole) {
          event(TlsEvent.HANDSHAKE_TOO_LONG);
          return;
        }
        TlsHello h = new TlsHello(false, config.maxExtensions());
        if (!h.parse(m, off, kept, TlsParser.this, nowNanos)) {
          return;
        }
        tx.server = h;
        tx.changed();
        detected = detected < 0 ? detected : 1;
        boolean retry = h.isHelloRetryRequest();
        tx.helloRetry |= retry;
        listener.serverHello(tx);
        if (!retry && h.effectiveVersion() == 0x0304) {
          encrypted(); // RFC 8446 section 2: everything after ServerHello is encrypted
        }
      } else if (!client && msgType == HS_CERTIFICATE && tx.certificate == null
          && tx.certificateCount == 0) {
        certificate(m, off, kept);
      } else if (!whole) {
        event(TlsEvent.HANDSHAKE_TOO_LONG);
      }
    }

    /**
     * Certificate (RFC 5246 section 7.4.2): certificate_list length(3), then length(3) DER
     * entries. Only the first (the server's own) is parsed; the rest are counted while they are
     * within the kept bytes.
     */
    private void certificate(byte[] m, int off, int kept) {
      if (kept < 3) {
        event(TlsEvent.INVALID_HANDSHAKE);
        return;
      }
      int end = off + kept;
      int i = off + 3;
      int count = 0;
      int firstOff = -1;
      int firstLen = 0;
      boolean firstTooLong = false;
      while (i + 3 <= end) {
        int l = ((m[i] & 0xff) << 16) | ((m[i + 1] & 0xff) << 8) | (m[i + 2] & 0xff);
        if (count == 0) {
          firstOff = i + 3;
          firstLen = l;
          firstTooLong = l > config.maxCertificateBytes() || firstOff + l > end;
        }
        count++;
        i += 3 + l;
      }
      tx.certificateCount = Math.max(count, 1);
      tx.certificateNanos = nowNanos;
      keepChain(m, off, end);
      if (firstOff < 0) {
        event(TlsEvent.INVALID_HANDSHAKE);
        return;
      }
      if (firstTooLong) {
        event(TlsEvent.CERTIFICATE_TOO_LONG);
        return;
      }
      TlsCertificate c = TlsCertificate.parse(m, firstOff, firstLen);
      if (c == null) {
        event(TlsEvent.INVALID_CERTIFICATE);
        return;
      }
      tx.certificate = c;
      tx.changed();
      listener.certificate(tx);
    }

    /** Copies the certificate list for tls.certs: the entries wholly inside the kept bytes. */
    private void keepChain(byte[] m, int off, int end) {
      int n = 0;
      for (int i = off + 3; i + 3 <= end; ) {
        int l = ((m[i] & 0xff) << 16) | ((m[i + 1] & 0xff) << 8) | (m[i + 2] & 0xff);
        if (i + 3 + l > end) {
          break;
        }
        n++;
        i += 3 + l;
      }
      tx.chain = java.util.Arrays.copyOfRange(m, off, end);
      tx.chainOff = new int[n];
      tx.chainLen = new int[n];
      int i = 3;
      for (int k = 0; k < n; k++) {
        int l = ((tx.chain[i] & 0xff) << 16) | ((tx.chain[i + 1] & 0xff) << 8) | (tx.chain[i + 2] & 0xff);
        tx.chainOff[k] = i + 3;
        tx.chainLen[k] = l;
        i += 3 + l;
      }
    }

    @Override
    public void gap(long offset, long len) {
      if (state == RECORD_HEADER || state == HANDSHAKE_BODY || state == SKIP_BODY) {
        if (records == 0 && hdrHave == 0) {
          state = INERT; // picked up midstream: no record boundary to start from
          return;
        }
        tx.gap = true;
        bad(TlsEvent.STREAM_GAP);
      }
    }
  }
}

package io.mirrorsensor.decode.app.dns;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.tcp.StreamSink;

/**
 * DNS for one flow: parses each message (UDP payloads, or TCP messages from a {@link
 * DnsTcpSplitter}), pairs queries with responses by (id, first question) in a small bounded table
 * of unanswered queries, and hands {@link DnsTransaction}s to a {@link DnsListener}. Unanswered
 * queries time out by packet time.
 *
 * <p>Call order, one owning thread:
 *
 * <ol>
 *   <li>UDP: {@link #onUdp} per datagram with a payload (either direction: the QR bit says which
 *       is which).
 *   <li>TCP: {@link #time} with the packet's time, then feed the packet's bytes to the stream
 *       reassemblers whose sinks are {@link #tcpSink()} (one per direction).
 *   <li>{@link #expire} now and then with the current packet time (every message does it too).
 *   <li>{@link #close} once when the flow ends: pending queries are reported timed out.
 * </ol>
 *
 * Allocates its table once (names lazily per slot); nothing per message.
 */
public final class DnsParser {
  private final DnsConfig config;
  private final DnsListener listener;
  private final DnsMessage message;
  private final DnsTransaction tx = new DnsTransaction();
  private final long[] eventCounts = new long[DnsEvent.values().length];
  private long nowNanos;

  // Unanswered queries, in arrival order within [0, pending).
  private final int[] pId;
  private final int[] pFlags;
  private final int[] pType;
  private final int[] pClass;
  private final long[] pNanos;
  private final boolean[] pTcp;
  private final byte[][] pName;
  private final int[] pNameLen;
  private int pending;

  private long messages;

  public DnsParser(DnsConfig config, DnsListener listener) {
    this(config, listener, new DnsMessage(config));
  }

  /**
   * A parser that parses into {@code shared}, a message that several parsers of one thread may
   * share (a message is only read during {@link #onMessage} and the listener calls it makes), so
   * a worker with many DNS flows allocates the record arrays once, not once per flow.
   */
  public DnsParser(DnsConfig config, DnsListener listener, DnsMessage shared) {
    this.config = config;
    this.listener = listener;
    this.message = shared;
    int n = config.maxPending();
    pId = new int[n];
    pFlags = new int[n];
    pType = new int[n];
    pClass = new int[n];
    pNanos = new long[n];
    pTcp = new boolean[n];
    pName = new byte[n][];
    pNameLen = new int[n];
  }

  /** One UDP datagram of the flow: its captured payload is one message. */
  public void onUdp(DecodedPacket p) {
    if (p.payloadOffset < 0 || p.payloadLength <= 0) {
      return;
    }
    onMessage(p.buf, p.payloadOffset, p.payloadLength, p.tsNanos, false);
  }

  /** Packet time for the TCP bytes fed next (they carry no time of their own). */
  public void time(long tsNanos) {
    nowNanos = tsNanos;
  }

  /** A new splitter for one direction of a TCP flow, feeding this parser. */
  public StreamSink tcpSink() {
    return new DnsTcpSplitter(this);
  }

  /**
   * One whole message {@code buf[off, off + len)} at packet time {@code tsNanos}; {@code buf}
   * stays the caller's and is read only during the call.
   */
  public void onMessage(byte[] buf, int off, int len, long tsNanos, boolean overTcp) {
    nowNanos = tsNanos;
    expire(tsNanos);
    messages++;
    DnsStatus st = message.parse(buf, off, len);
    if (message.event() != null) {
      for (DnsEvent e : EVENTS) {
        if (message.has(e)) {
          event(e);
        }
      }
    }
    if (st != DnsStatus.OK) {
      return;
    }
    if (!message.isResponse()) {
      addPending(overTcp);
      return;
    }
    int slot = find();
    fillFrom(slot, overTcp);
    tx.response = message;
    tx.responseNanos = tsNanos;
    tx.timedOut = false;
    if (slot < 0) {
      event(DnsEvent.UNSOLICITED_RESPONSE);
    } else {
      remove(slot);
    }
    listener.transaction(tx);
  }

  private static final DnsEvent[] EVENTS = DnsEvent.values();

  void messageFromStream(byte[] buf, int off, int len) {
    onMessage(buf, off, len, nowNanos, true);
  }

  void event(DnsEvent e) {
    eventCounts[e.ordinal()]++;
    listener.event(e, nowNanos);
  }

  private void addPending(boolean overTcp) {
    if (pending == pId.length) {
      event(DnsEvent.PENDING_TABLE_FULL);
      timeOut(0);
    }
    int i = pending++;
    pId[i] = message.id();
    pFlags[i] = message.flags();
    pType[i] = message.qtype();
    pClass[i] = message.qclass();
    pNanos[i] = nowNanos;
    pTcp[i] = overTcp;
    if (pName[i] == null) {
      pName[i] = new byte[DnsMessage.MAX_NAME_WIRE + 1];
    }
    System.arraycopy(message.qname(), 0, pName[i], 0, message.qnameLength());
    pNameLen[i] = message.qnameLength();
  }

  /** Oldest pending query with the response's id and first question, or -1. */
  private int find() {
    int id = message.id();
    for (int i = 0; i < pending; i++) {
      if (pId[i] == id && pType[i] == message.qtype() && pClass[i] == message.qclass()
          && java.util.Arrays.equals(pName[i], 0, pNameLen[i], message.qname(), 0,
              message.qnameLength())) {
        return i;
      }
    }
    return -1;
  }

  private void fillFrom(int slot, boolean overTcp) {
    tx.overTcp = overTcp;
    if (slot >= 0) {
      tx.hasQuery = true;
      tx.id = pId[slot];
      tx.queryFlags = pFlags[slot];
      tx.qtype = pType[slot];
      tx.qclass = pClass[slot];
      tx.queryNanos = pNanos[slot];
      System.arraycopy(pName[slot], 0, tx.qname, 0, pNameLen[slot]);
      tx.qnameLength = pNameLen[slot];
    } else {
      tx.hasQuery = false;
      tx.id = message.id();
      tx.queryFlags = 0;
      tx.qtype = message.qtype();
      tx.qclass = message.qclass();
      tx.queryNanos = nowNanos;
      System.arraycopy(message.qname(), 0, tx.qname, 0, message.qnameLength());
      tx.qnameLength = message.qnameLength();
    }
  }

  private void timeOut(int slot) {
    fillFrom(slot, pTcp[slot]);
    tx.response = null;
    tx.responseNanos = -1;
    tx.timedOut = true;
    remove(slot);
    listener.transaction(tx);
  }

  private void remove(int slot) {
    byte[] name = pName[slot];
    int tail = pending - slot - 1;
    System.arraycopy(pId, slot + 1, pId, slot, tail);
    System.arraycopy(pFlags, slot + 1, pFlags, slot, tail);
    System.arraycopy(pType, slot + 1, pType, slot, tail);
    System.arraycopy(pClass, slot + 1, pClass, slot, tail);
    System.arraycopy(pNanos, slot + 1, pNanos, slot, tail);
    System.arraycopy(pTcp, slot + 1, pTcp, slot, tail);
    System.arraycopy(pName, slot + 1, pName, slot, tail);
    System.arraycopy(pNameLen, slot + 1, pNameLen, slot, tail);
    pending--;
    pName[pending] = name; // keep the row for reuse
  }

  /** Reports queries older than the timeout at packet time {@code nowNanos} as timed out. */
  public void expire(long nowNanos) {
    while (pending > 0 && nowNanos - pNanos[0] > config.queryTimeoutNanos()) {
      timeOut(0);
    }
  }

  /** The flow ended: every pending query is reported timed out. */
  public void close() {
    while (pending > 0) {
      timeOut(0);
    }
  }

  /** Unanswered queries held now. */
  public int pending() {
    return pending;
  }

  /** Messages parsed. */
  public long messages() {
    return messages;
  }

  /** Times {@code e} was seen. */
  public long count(DnsEvent e) {
    return eventCounts[e.ordinal()];
  }
}

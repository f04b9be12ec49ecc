package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import java.util.Arrays;

/**
 * What one {@link Detector} call inspects: a packet, or one HTTP, DNS or TLS transaction, and the
 * direction of the rule being evaluated ({@link #toClient}). One per detector, re-pointed on every
 * call; it owns the scratch that derived buffers (normalised URI, normalised headers, the dotted
 * DNS name ...) are built into, each at most once per call and direction.
 */
final class Inspection {
  DecodedPacket packet;
  HttpTransaction http;
  DnsTransaction dns;
  TlsTransaction tls;
  /** True while a rule (or prefilter) of the to_client direction reads the buffers. */
  boolean toClient;
  /**
   * True while a window of a reassembled TCP stream is inspected ({@link Detector#inspectStream}):
   * {@code pkt_data} is then {@link #streamBuf}{@code [streamOff, streamOff + streamLen)}, whose
   * first byte is stream offset {@link #streamBase}.
   */
  boolean stream;
  /** True when the packet's payload is not to be inspected (an encrypted TLS connection). */
  boolean noPayload;
  byte[] streamBuf;
  int streamOff;
  int streamLen;
  long streamBase;

  /**
   * Which instance of a multi-instance buffer ({@code tls.certs}, {@code dns.answers.rrname}) the
   * suppliers read; 0 for all others. Set by the detector while it walks the instances.
   */
  int instance;
  /** What the last base64_decode decoded: {@code base64[0, base64Len)} (base64_data). */
  byte[] base64 = new byte[0];
  int base64Len;
  /** The rule set's xbits (xbits conditions read it). */
  XbitTable xbits;
  /** Where a transformed buffer reads its root buffer (see {@link TransformedBuffer}). */
  final Span transformBase = new Span();

  // sized for the built-in buffers; grown once when a transformed buffer (id >= COUNT) is used
  private byte[][] scratch = new byte[StickyBuffer.COUNT * 2][];
  /** Length of the derived buffer, -1 when absent. */
  private int[] length = new int[StickyBuffer.COUNT * 2];
  private int[] stampOf = new int[StickyBuffer.COUNT * 2];
  private int[] instanceOf = new int[StickyBuffer.COUNT * 2];
  private int stamp;

  /** Starts a new call: derived buffers of the previous one are stale. */
  void begin(DecodedPacket p, HttpTransaction h, DnsTransaction d, TlsTransaction t) {
    packet = p;
    http = h;
    dns = d;
    tls = t;
    toClient = false;
    instance = 0;
    base64Len = 0;
    stream = false;
    noPayload = false;
    streamBuf = null;
    if (++stamp == 0) {
      Arrays.fill(stampOf, 0);
      stamp = 1;
    }
  }

  /** Builds a derived buffer: writes into {@code dst} and returns its length, or -1 when absent. */
  interface Deriver {
    int derive(Inspection in, byte[] dst);

    /** Upper bound on the bytes {@link #derive} writes for this inspection. */
    int bound(Inspection in);
  }

  /**
   * Points {@code out} at derived buffer {@code id} for the current direction, building it on the
   * first request of this call. The scratch grows to the largest buffer seen (bounded by the
   * parsers' head limits), so steady state allocates nothing.
   */
  boolean derived(int id, Deriver d, Span out) {
    int slot = id * 2 + (toClient ? 1 : 0);
    if (slot >= stampOf.length) {
      grow(slot + 1);
    }
    if (stampOf[slot] != stamp || instanceOf[slot] != instance) {
      stampOf[slot] = stamp;
      instanceOf[slot] = instance;
      int need = d.bound(this);
      if (need < 0) {
        length[slot] = -1;
      } else {
        byte[] s = scratch[slot];
        if (s == null || s.length < need) {
          s = new byte[Math.max(need, 256)];
          scratch[slot] = s;
        }
        length[slot] = d.derive(this, s);
      }
    }
    int n = length[slot];
    if (n < 0) {
      return false;
    }
    out.buf = scratch[slot];
    out.off = 0;
    out.len = n;
    return true;
  }

  private void grow(int slots) {
    int n = Math.max(slots, stampOf.length * 2);
    scratch = Arrays.copyOf(scratch, n);
    length = Arrays.copyOf(length, n);
    stampOf = Arrays.copyOf(stampOf, n);
    instanceOf = Arrays.copyOf(instanceOf, n);
  }
}

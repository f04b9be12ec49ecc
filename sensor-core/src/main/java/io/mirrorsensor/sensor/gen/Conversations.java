package io.mirrorsensor.sensor.gen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Emits whole conversations as frames with deterministic timestamps: a TCP connection
 * (handshake, request, response in MSS-sized segments with delayed ACKs, FIN teardown), a UDP
 * request/response (DNS in wire format), an ICMP or ICMPv6 echo pair.
 *
 * <p>Time model: the capture point sits next to the client. A client packet is seen at {@link
 * #now()}, the server's answer one round-trip time later; back-to-back segments are {@code
 * SEGMENT_GAP_NANOS} apart. Every method leaves {@code now()} just after its last frame. Initial
 * sequence numbers come from the seeded generator, so the same seed gives the same bytes.
 *
 * <p>Call order: construct, then any sequence of conversation methods; not thread-safe.
 */
public final class Conversations {
  /** Receives each frame; the array is fresh and the sink may keep it. */
  @FunctionalInterface
  public interface FrameSink {
    void frame(byte[] frame, long tsNanos, boolean fromClient) throws IOException;
  }

  /** The two ends of a conversation; {@code vlan} < 0 means untagged. */
  public record Endpoints(
      byte[] clientMac,
      byte[] clientIp,
      int clientPort,
      byte[] serverMac,
      byte[] serverIp,
      int serverPort,
      int vlan) {
    /** Endpoints with MACs derived from the addresses (02:00 + their last four bytes). */
    public static Endpoints of(String clientIp, int clientPort, String serverIp, int serverPort) {
      return of(Frames.ip(clientIp), clientPort, Frames.ip(serverIp), serverPort);
    }

    public static Endpoints of(byte[] clientIp, int clientPort, byte[] serverIp, int serverPort) {
      if (clientIp.length != serverIp.length) {
        throw new IllegalArgumentException("client and server must be the same IP version");
      }
      return new Endpoints(
          macFor(clientIp), clientIp, clientPort, macFor(serverIp), serverIp, serverPort, -1);
    }

    public Endpoints withVlan(int vid) {
      return new Endpoints(clientMac, clientIp, clientPort, serverMac, serverIp, serverPort, vid);
    }

    private static byte[] macFor(byte[] ip) {
      int n = ip.length;
      return new byte[] {2, 0, ip[n - 4], ip[n - 3], ip[n - 2], ip[n - 1]};
    }
  }

  static final long SEGMENT_GAP_NANOS = 12_000;
  static final long CLIENT_REACTION_NANOS = 40_000;
  static final int DEFAULT_MSS = 1460;
  static final int WINDOW = 64_240;
  static final int WINDOW_SCALE = 7;
  static final int SCALED_WINDOW = 502; // 64256 >> 7: what Linux advertises after the handshake
  static final int TCP_TIMESTAMP_OPTION = 12;

  private final FrameSink sink;
  private final SplittableRandom random;
  private final Frames.Builder b = Frames.frame();
  private long now;
  private long rttNanos = 2_000_000;
  private long serverThinkNanos = 1_500_000;
  private int mss = DEFAULT_MSS;
  private int clientIpId = 0x1000;
  private int serverIpId = 0x8000;

  public Conversations(FrameSink sink, long startNanos, long seed) {
    this.sink = sink;
    this.now = startNanos;
    this.random = new SplittableRandom(seed);
  }

  /** Time of the next client packet. */
  public long now() {
    return now;
  }

  /** Moves the clock forward (idle time between conversations). */
  public Conversations advance(long nanos) {
    now += nanos;
    return this;
  }

  /** Round-trip time between the capture point (at the client) and the server. */
  public Conversations rtt(long nanos) {
    this.rttNanos = nanos;
    return this;
  }

  /** Server processing time before an answer leaves it. */
  public Conversations serverThink(long nanos) {
    this.serverThinkNanos = nanos;
    return this;
  }

  /** MSS both ends announce; data segments carry {@code mss - 12} bytes (timestamps option). */
  public Conversations mss(int mss) {
    this.mss = mss;
    return this;
  }

  /** An HTTP/1.1 GET and its response, one request per connection, over {@link #tcp}. */
  public void http(Endpoints e, String host, String path, int status, String contentType,
      byte[] body) throws IOException {
    byte[] request =
        ("GET " + path + " HTTP/1.1\r\nHost: " + host
                + "\r\nUser-Agent: mirrorsensor-gen/1.0\r\nAccept: */*\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    tcp(e, request, httpResponseHead(status, contentType, body.length), body);
  }

  public static byte[] httpResponseHead(int status, String contentType, int length) {
    return ("HTTP/1.1 " + status + " " + reason(status) + "\r\nServer: nginx\r\nContent-Type: "
            + contentType + "\r\nContent-Length: " + length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 204:
        return "No Content";
      case 301:
        return "Moved Permanently";
      case 404:
        return "Not Found";
      case 500:
        return "Internal Server Error";
      default:
        return "Status";
    }
  }

  /**
   * A whole TCP connection: SYN, SYN-ACK, ACK; the client sends {@code request}; the server
   * ACKs it and answers {@code responseHead + responseBody} in MSS-sized segments (PSH on the
   * last), the client ACKs every second segment and the last; the client closes with FIN, the
   * server answers FIN-ACK, the client ACKs.
   */
  public void tcp(Endpoints e, byte[] request, byte[] responseHead, byte[] responseBody)
      throws IOException {
    byte[] response = new byte[responseHead.length + responseBody.length];
    System.arraycopy(responseHead, 0, response, 0, responseHead.length);
    System.arraycopy(responseBody, 0, response, responseHead.length, responseBody.length);
    tcp(e, request, response);
  }

  /** {@link #tcp(Endpoints, byte[], byte[], byte[])} with the response in one array. */
  public void tcp(Endpoints e, byte[] request, byte[] response) throws IOException {
    long cIsn = random.nextLong(1L << 32);
    long sIsn = random.nextLong(1L << 32);
    long cTs = random.nextLong(1L << 31);
    long sTs = random.nextLong(1L << 31);
    long t0 = now;
    // Handshake.
    segment(e, true, Frames.SYN, cIsn, 0, WINDOW, true, tsval(cTs, t0), 0, null, 0, 0);
    long cSeq = cIsn + 1;
    long sSeq = sIsn + 1;
    now += rttNanos;
    segment(e, false, Frames.SYN | Frames.ACK, sIsn, cSeq, 65_160, true, tsval(sTs, now),
        tsval(cTs, t0), null, 0, 0);
    now += CLIENT_REACTION_NANOS;
    segment(e, true, Frames.ACK, cSeq, sSeq, SCALED_WINDOW, false, tsval(cTs, now),
        tsval(sTs, now), null, 0, 0);
    // Request, segmented if large.
    int payloadPerSegment = mss - TCP_TIMESTAMP_OPTION;
    now += SEGMENT_GAP_NANOS;
    for (int off = 0; off < request.length; off += payloadPerSegment) {
      int len = Math.min(payloadPerSegment, request.length - off);
      int flags = Frames.ACK | (off + len == request.length ? Frames.PSH : 0);
      segment(e, true, flags, cSeq, sSeq, SCALED_WINDOW, false, tsval(cTs, now),
          tsval(sTs, now), request, off, len);
      cSeq += len;
      now += SEGMENT_GAP_NANOS;
    }
    long requestSent = now;
    now = requestSent + rttNanos;
    segment(e, false, Frames.ACK, sSeq, cSeq, 509, false, tsval(sTs, now), tsval(cTs, requestSent),
        null, 0, 0);
    // Response, cut into segments.
    now += serverThinkNanos;
    int total = response.length;
    int unacked = 0;
    for (int off = 0; off < total; off += payloadPerSegment) {
      int len = Math.min(payloadPerSegment, total - off);
      boolean last = off + len == total;
      int flags = Frames.ACK | (last ? Frames.PSH : 0);
      segment(e, false, flags, sSeq, cSeq, 509, false, tsval(sTs, now), tsval(cTs, now),
          response, off, len);
      sSeq += len;
      if (++unacked == 2 || last) {
        now += CLIENT_REACTION_NANOS;
        segment(e, true, Frames.ACK, cSeq, sSeq, SCALED_WINDOW, false, tsval(cTs, now),
            tsval(sTs, now), null, 0, 0);
        unacked = 0;
      }
      now += SEGMENT_GAP_NANOS;
    }
    // Teardown, client first.
    now += CLIENT_REACTION_NANOS;
    segment(e, true, Frames.FIN | Frames.ACK, cSeq, sSeq, SCALED_WINDOW, false, tsval(cTs, now),
        tsval(sTs, now), null, 0, 0);
    cSeq++;
    now += rttNanos;
    segment(e, false, Frames.FIN | Frames.ACK, sSeq, cSeq, 509, false, tsval(sTs, now),
        tsval(cTs, now), null, 0, 0);
    sSeq++;
    now += CLIENT_REACTION_NANOS;
    segment(e, true, Frames.ACK, cSeq, sSeq, SCALED_WINDOW, false, tsval(cTs, now),
        tsval(sTs, now), null, 0, 0);
    now += SEGMENT_GAP_NANOS;
  }

  /** TCP timestamp clock: 1 ms ticks from a random per-connection origin (RFC 7323 5.4). */
  private static long tsval(long origin, long nanos) {
    return (origin + nanos / 1_000_000) & 0xFFFF_FFFFL;
  }

  private void segment(Endpoints e, boolean fromClient, int flags, long seq, long ack, int window,
      boolean syn, long tsVal, long tsEcr, byte[] data, int off, int len) throws IOException {
    start(e, fromClient).tcp(fromClient ? e.clientPort() : e.serverPort(),
            fromClient ? e.serverPort() : e.clientPort())
        .flags(flags)
        .seq(seq & 0xFFFF_FFFFL)
        .ack((flags & Frames.ACK) != 0 ? ack & 0xFFFF_FFFFL : 0)
        .window(window)
        .timestamps(tsVal, tsEcr);
    if (syn) {
      b.mss(mss).sackPermitted().windowScale(WINDOW_SCALE);
    }
    if (data != null) {
      b.payload(data, off, len);
    }
    sink.frame(b.build(), now, fromClient);
  }

  private Frames.Builder start(Endpoints e, boolean fromClient) {
    b.reset();
    if (fromClient) {
      b.ethernet(e.clientMac(), e.serverMac()).ip(e.clientIp(), e.serverIp())
          .ipId(clientIpId++ & 0xFFFF);
    } else {
      b.ethernet(e.serverMac(), e.clientMac()).ip(e.serverIp(), e.clientIp())
          .ipId(serverIpId++ & 0xFFFF);
    }
    if (e.vlan() >= 0) {
      b.vlan(e.vlan());
    }
    return b;
  }

  /** One UDP datagram each way; the answer one RTT plus think time later. */
  public void udp(Endpoints e, byte[] request, byte[] response) throws IOException {
    start(e, true).udp(e.clientPort(), e.serverPort()).payload(request);
    sink.frame(b.build(), now, true);
    now += rttNanos + serverThinkNanos / 4;
    start(e, false).udp(e.serverPort(), e.clientPort()).payload(response);
    sink.frame(b.build(), now, false);
    now += SEGMENT_GAP_NANOS;
  }

  /** A DNS A (or AAAA, by address length) query and its answer over UDP. */
  public void dns(Endpoints e, int id, String name, byte[] address, int ttl) throws IOException {
    int qtype = address.length == 16 ? DnsWire.TYPE_AAAA : DnsWire.TYPE_A;
    udp(e, DnsWire.query(id, name, qtype), DnsWire.response(id, name, qtype, ttl, false, address));
  }

  /** A DNS query answered NXDOMAIN. */
  public void dnsNxdomain(Endpoints e, int id, String name) throws IOException {
    udp(e, DnsWire.query(id, name, DnsWire.TYPE_A),
        DnsWire.response(id, name, DnsWire.TYPE_A, 0, true));
  }

  /** An echo request and its reply (ICMP over IPv4, ICMPv6 over IPv6), ping-style payload. */
  public void icmpEcho(Endpoints e, int id, int seq, int payloadLength) throws IOException {
    byte[] payload = new byte[payloadLength];
    for (int i = 0; i < payloadLength; i++) {
      payload[i] = (byte) (0x10 + i); // like ping's pattern after its timestamp
    }
    start(e, true).ttl(64).icmpEchoRequest(id, seq).payload(payload);
    sink.frame(b.build(), now, true);
    now += rttNanos;
    start(e, false).icmpEchoReply(id, seq).payload(payload);
    sink.frame(b.build(), now, false);
    now += SEGMENT_GAP_NANOS;
  }
}

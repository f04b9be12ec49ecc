package io.mirrorsensor.bench.gen;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.capture.PcapWriter;
import io.mirrorsensor.sensor.gen.Conversations;
import io.mirrorsensor.sensor.gen.DnsWire;
import io.mirrorsensor.sensor.gen.Frames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The traffic generator's engine for the opt-in mixes (see {@link TrafficGenerator}): every open
 * flow is a small state machine that builds its next frame only when it is picked, so memory
 * grows with the number of open flows (a few hundred bytes each, plus a retransmission copy
 * while one is pending), never with the size of what they carry.
 */
final class StreamingGenerator {
  /** The kinds of flow a mix draws from, by their {@code --mix} names. */
  enum Kind {
    HTTP("http"),
    DNS("dns"),
    DNS_TCP("dns-tcp"),
    TLS("tls"),
    BULK("bulk"),
    ICMP("icmp");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    static Kind of(String label) {
      for (Kind k : values()) {
        if (k.label.equals(label)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown mix kind '" + label + "' (http, dns, dns-tcp,"
          + " tls, bulk, icmp)");
    }
  }

  static final int PAYLOAD = 1448; // MSS 1460 less the timestamps option
  static final int MIN_BULK = 256 * 1024;
  static final int MAX_BULK = 16 * 1024 * 1024;
  static final int BULK_PORT = 5001;

  private final TrafficGenerator.Options o;
  private final SplittableRandom random;
  private final int[] cumulative;
  private final Frames.Builder b = Frames.frame();
  private final byte[] buf = new byte[PAYLOAD];
  private long flows;
  private int clientPort = 1024;

  StreamingGenerator(long seed, TrafficGenerator.Options options) {
    this.o = options;
    this.random = new SplittableRandom(seed);
    this.cumulative = new int[Kind.values().length];
    int sum = 0;
    for (int i = 0; i < cumulative.length; i++) {
      sum += options.mix()[i];
      cumulative[i] = sum;
    }
    if (sum <= 0) {
      throw new IllegalArgumentException("the mix has no weight");
    }
  }

  TrafficGenerator.Result run(Path file, long targetBytes) throws IOException {
    return TrafficGenerator.interleave(file, targetBytes, o.flows(), random, o.vxlan(),
        o.snaplen(), this::newFlow, () -> flows);
  }

  private Flow newFlow() {
    flows++;
    int pick = random.nextInt(cumulative[cumulative.length - 1]);
    int k = 0;
    while (pick >= cumulative[k]) {
      k++;
    }
    Flow f = new Flow(Kind.values()[k], random.nextLong(), flows);
    f.v6 = random.nextInt(100) < o.ipv6Percent();
    f.client = random.nextInt(65_536);
    f.server = random.nextInt(200);
    f.cPort = clientPort++;
    if (clientPort > 65_535) {
      clientPort = 1024;
    }
    f.vni = TrafficGenerator.FIRST_VNI + random.nextInt(o.vnis());
    byte[] first = f.firstFrame();
    f.outerPort = Frames.vxlanSourcePort(first, 0, first.length);
    return f;
  }

  /** One flow's state; frames are built on demand. */
  private final class Flow implements TrafficGenerator.GenFlow {
    final Kind kind;
    final SplittableRandom r;
    final long id;
    boolean v6;
    int client;
    int server;
    int cPort;
    int vni;
    int outerPort;
    int phase;
    long cSeq;
    long sSeq;
    long cTs;
    long sTs;
    int ipId;
    int message;
    ByteSource msg;
    boolean msgFromClient;
    int unacked;
    boolean pendingAck;
    boolean ackFromClient;
    byte[] retransmit;
    long retransmitSeq;
    boolean retransmitFromClient;
    boolean retransmitDue;
    /** HTTP: requests on the connection; DNS over TCP: queries; TLS: 1 for TLS 1.3. */
    int count;
    boolean chunked;

    Flow(Kind kind, long seed, long id) {
      this.kind = kind;
      this.r = new SplittableRandom(seed);
      this.id = id;
      cSeq = r.nextLong(1L << 32);
      sSeq = r.nextLong(1L << 32);
      cTs = r.nextLong(1L << 31);
      sTs = r.nextLong(1L << 31);
      ipId = r.nextInt(65_536);
      switch (kind) {
        case HTTP:
          count = r.nextInt(100) < o.pipelinedPercent() ? 2 + r.nextInt(4) : 1;
          chunked = r.nextInt(100) < o.chunkedPercent();
          break;
        case DNS_TCP:
          count = 1 + r.nextInt(3);
          break;
        case TLS:
          count = r.nextInt(2);
          break;
        default:
          break;
      }
    }

    int serverPort() {
      switch (kind) {
        case HTTP:
          return 80;
        case TLS:
          return 443;
        case BULK:
          return BULK_PORT;
        case ICMP:
          return 0;
        default:
          return 53;
      }
    }

    byte[] clientIp() {
      return v6 ? v6(1, client + 1) : new byte[] {10, 1, (byte) (client >>> 8), (byte) client};
    }

    byte[] serverIp() {
      if (kind == Kind.DNS || kind == Kind.DNS_TCP) {
        return v6 ? v6(0, 2) : TrafficGenerator.RESOLVER.clone();
      }
      return v6 ? v6(2, server + 1) : new byte[] {10, 2, 0, (byte) (server + 1)};
    }

    @Override
    public int outerPort() {
      return outerPort;
    }

    @Override
    public int vni() {
      return vni;
    }

    @Override
    public byte[] outerSrc() {
      return new byte[] {10, 0, 10, (byte) (vni - TrafficGenerator.FIRST_VNI + 1)};
    }

    @Override
    public boolean done() {
      return phase < 0;
    }

    /** The flow's first frame as a throwaway, for the outer UDP source port (flow hash). */
    byte[] firstFrame() {
      start(true);
      if (kind == Kind.DNS) {
        b.udp(cPort, 53);
      } else if (kind == Kind.ICMP) {
        b.icmpEchoRequest(0, 0);
      } else {
        b.tcp(cPort, serverPort());
      }
      return b.build();
    }

    private Frames.Builder start(boolean fromClient) {
      b.reset();
      byte[] c = clientIp();
      byte[] s = serverIp();
      byte[] cm = mac(c);
      byte[] sm = mac(s);
      if (fromClient) {
        b.ethernet(cm, sm).ip(c, s);
      } else {
        b.ethernet(sm, cm).ip(s, c);
      }
      return b.ipId(ipId++ & 0xFFFF);
    }

    @Override
    public byte[] next(long now) {
      switch (kind) {
        case DNS:
          return dns();
        case ICMP:
          return icmp();
        default:
          return tcp(now);
      }
    }

    private byte[] dns() {
      int qid = (int) (id & 0xFFFF);
      String name = "host" + (id % 10_000) + ".example.com";
      if (phase == 0) {
        phase = 1;
        start(true).udp(cPort, 53).payload(DnsWire.query(qid, name, DnsWire.TYPE_A));
      } else {
        phase = -1;
        byte[] addr = {93, (byte) 184, (byte) r.nextInt(256), (byte) r.nextInt(256)};
        start(false).udp(53, cPort)
            .payload(DnsWire.response(qid, name, DnsWire.TYPE_A, 300, false, addr));
      }
      return b.build();
    }

    private byte[] icmp() {
      byte[] payload = new byte[56];
      for (int i = 0; i < payload.length; i++) {
        payload[i] = (byte) (0x10 + i);
      }
      int echoId = (int) (id & 0xFFFF);
      if (phase == 0) {
        phase = 1;
        start(true).ttl(64).icmpEchoRequest(echoId, 1).payload(payload);
      } else {
        phase = -1;
        start(false).icmpEchoReply(echoId, 1).payload(payload);
      }
      return b.build();
    }

    private byte[] tcp(long now) {
      while (true) {
        switch (phase) {
          case 0:
            phase = 1;
            return segment(true, Frames.SYN, cSeq, 0, true, now, null, 0);
          case 1:
            phase = 2;
            return segment(false, Frames.SYN | Frames.ACK, sSeq, cSeq + 1, true, now, null, 0);
          case 2:
            phase = 3;
            cSeq++;
            sSeq++;
            return segment(true, Frames.ACK, cSeq, sSeq, false, now, null, 0);
          case 3:
            byte[] data = data(now);
            if (data != null) {
              return data;
            }
            break;
          case 4:
            phase = 5;
            return segment(true, Frames.FIN | Frames.ACK, cSeq++, sSeq, false, now, null, 0);
          case 5:
            phase = 6;
            return segment(false, Frames.FIN | Frames.ACK, sSeq++, cSeq, false, now, null, 0);
          case 6:
            phase = -1;
            return segment(true, Frames.ACK, cSeq, sSeq, false, now, null, 0);
          default:
            return null;
        }
      }
    }

    /** The next data, ACK or retransmission; null when the data phase has ended. */
    private byte[] data(long now) {
      while (true) {
        if (retransmitDue) {
          retransmitDue = false;
          byte[] copy = retransmit;
          retransmit = null;
          boolean c = retransmitFromClient;
          return segment(c, Frames.ACK | Frames.PSH, retransmitSeq, c ? sSeq : cSeq, false, now,
              copy, copy.length);
        }
        if (pendingAck) {
          pendingAck = false;
          boolean c = ackFromClient;
          return segment(c, Frames.ACK, c ? cSeq : sSeq, c ? sSeq : cSeq, false, now, null, 0);
        }
        if (msg == null && !nextMessage()) {
          phase = 4;
          return null;
        }
        int n = msg.read(buf, 0, PAYLOAD);
        if (n == 0) {
          msg = null;
          if (retransmit != null) {
            retransmitDue = true;
          }
          if (unacked > 0) {
            pendingAck = true;
            ackFromClient = !msgFromClient;
            unacked = 0;
          }
          continue;
        }
        boolean c = msgFromClient;
        long seq = c ? cSeq : sSeq;
        if (c) {
          cSeq += n;
        } else {
          sSeq += n;
        }
        if (retransmit != null) {
          retransmitDue = true; // the retransmission follows the next segment after the loss
        }
        if (++unacked == 2) {
          pendingAck = true;
          ackFromClient = !c;
          unacked = 0;
        }
        if (kind == Kind.BULK && o.lossPercent() > 0 && r.nextInt(100) < o.lossPercent()) {
          if (r.nextBoolean()) {
            continue; // lost before the capture point: the sensor never sees it
          }
          if (retransmit == null) {
            retransmit = Arrays.copyOf(buf, n);
            retransmitSeq = seq;
            retransmitFromClient = c;
            retransmitDue = false;
          }
        }
        int flags = Frames.ACK | (n < PAYLOAD ? Frames.PSH : 0);
        return segment(c, flags, seq, c ? sSeq : cSeq, false, now, buf, n);
      }
    }

    private byte[] segment(boolean fromClient, int flags, long seq, long ack, boolean syn,
        long now, byte[] data, int len) {
      start(fromClient).tcp(fromClient ? cPort : serverPort(), fromClient ? serverPort() : cPort)
          .flags(flags)
          .seq(seq & 0xFFFF_FFFFL)
          .ack((flags & Frames.ACK) != 0 ? ack & 0xFFFF_FFFFL : 0)
          .window(syn ? 64_240 : 502)
          .timestamps(((fromClient ? cTs : sTs) + now / 1_000_000) & 0xFFFF_FFFFL,
              (flags & Frames.ACK) != 0 ? ((fromClient ? sTs : cTs) + now / 1_000_000)
                  & 0xFFFF_FFFFL : 0);
      if (syn) {
        b.mss(1460).sackPermitted().windowScale(7);
      }
      if (data != null) {
        b.payload(data, 0, len);
      }
      return b.build();
    }

    /** Starts the flow's next message; false when the conversation is over. */
    private boolean nextMessage() {
      int i = message++;
      switch (kind) {
        case HTTP:
          return http(i);
        case DNS_TCP:
          return dnsTcp(i);
        case TLS:
          return tls(i);
        case BULK:
          return bulk(i);
        default:
          return false;
      }
    }

    private boolean set(boolean fromClient, ByteSource source) {
      msgFromClient = fromClient;
      msg = source;
      return true;
    }

    private boolean http(int i) {
      if (i == 0) {
        StringBuilder sb = new StringBuilder();
        for (int q = 0; q < count; q++) {
          sb.append("GET /object/").append(id).append('/').append(q)
              .append(" HTTP/1.1\r\nHost: svc").append(server)
              .append(".internal.example\r\nUser-Agent: mirrorsensor-gen/1.0\r\nAccept: */*\r\n\r\n");
        }
        return set(true, ByteSource.of(sb.toString().getBytes(StandardCharsets.US_ASCII)));
      }
      if (i > 1) {
        return false;
      }
      ByteSource all = null;
      for (int q = 0; q < count; q++) {
        int body = (int) Math.exp(r.nextDouble(Math.log(TrafficGenerator.MIN_BODY),
            Math.log(TrafficGenerator.MAX_BODY)));
        ByteSource one;
        if (chunked) {
          byte[] head = ("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
          one = ByteSource.concat(ByteSource.of(head), ByteSource.chunked(body, 8_192));
        } else {
          one = ByteSource.concat(
              ByteSource.of(Conversations.httpResponseHead(200, "text/html", body)),
              ByteSource.filler(body));
        }
        all = all == null ? one : ByteSource.concat(all, one);
      }
      return set(false, all);
    }

    private boolean dnsTcp(int i) {
      if (i >= 2 * count) {
        return false;
      }
      int qid = (int) ((id * 3 + i / 2) & 0xFFFF);
      String name = "host" + ((id + i / 2) % 10_000) + ".tcp.example.com";
      byte[] m;
      if (i % 2 == 0) {
        m = DnsWire.query(qid, name, DnsWire.TYPE_A);
      } else {
        byte[] addr = {93, (byte) 184, (byte) r.nextInt(256), (byte) r.nextInt(256)};
        m = DnsWire.response(qid, name, DnsWire.TYPE_A, 300, false, addr);
      }
      byte[] framed = new byte[m.length + 2];
      framed[0] = (byte) (m.length >>> 8);
      framed[1] = (byte) m.length;
      System.arraycopy(m, 0, framed, 2, m.length);
      return set(i % 2 == 0, ByteSource.of(framed));
    }

    private boolean tls(int i) {
      boolean tls13 = count == 1;
      String sni = "svc" + server + ".tls.example";
      switch (i) {
        case 0:
          return set(true, ByteSource.of(TlsWire.clientHello(sni, tls13, r)));
        case 1:
          return set(false, ByteSource.of(TlsWire.serverFlight(sni, tls13, r)));
        case 2:
          return set(true, ByteSource.of(TlsWire.clientFinished(tls13, r)));
        case 3:
          return set(false, ByteSource.of(TlsWire.serverFinished(tls13, r)));
        case 4:
          return set(true, ByteSource.tlsRecords(100 + r.nextInt(1_500), r));
        case 5:
          long n = (long) Math.exp(r.nextDouble(Math.log(1_000), Math.log(256 * 1024)));
          return set(false, ByteSource.tlsRecords(n, r));
        default:
          return false;
      }
    }

    private boolean bulk(int i) {
      if (i == 0) {
        return set(true, ByteSource.random(64, r));
      }
      if (i > 1) {
        return false;
      }
      long n = (long) Math.exp(r.nextDouble(Math.log(MIN_BULK), Math.log(MAX_BULK)));
      return set(false, ByteSource.random(n, r));
    }
  }

  /** {@code fd00:<net>::<host as the last 32 bits>}. */
  private static byte[] v6(int net, int host) {
    return new byte[] {(byte) 0xFD, 0, (byte) (net >>> 8), (byte) net, 0, 0, 0, 0, 0, 0, 0, 0,
        (byte) (host >>> 24), (byte) (host >>> 16), (byte) (host >>> 8), (byte) host};
  }

  private static byte[] mac(byte[] ip) {
    int n = ip.length;
    return new byte[] {2, 0, ip[n - 4], ip[n - 3], ip[n - 2], ip[n - 1]};
  }
}

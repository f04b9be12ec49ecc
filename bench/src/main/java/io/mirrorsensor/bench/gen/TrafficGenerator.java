package io.mirrorsensor.bench.gen;

import io.mirrorsensor.sensor.gen.Frames;
import io.mirrorsensor.sensor.gen.Conversations;
import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.capture.PcapWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a large deterministic capture of many interleaved flows for the end-to-end benchmark:
 * HTTP/1.1 over TCP (handshake, request, response of 200 B to 256 KiB, FIN), DNS A queries over
 * UDP, some ICMP echo; about 5% of flows over IPv6. {@code concurrent} flows are open at any
 * time; each packet comes from a randomly chosen open flow, and a finished flow is replaced by a
 * new one until the target size is reached, after which the open flows are completed (so the file
 * ends a little past the target and every flow is whole).
 *
 * <p>With {@code --vxlan} every frame is wrapped as AWS Traffic Mirroring sends it: one of eight
 * sessions (VNI 200..207) per flow, outer source the session's ENI address.
 *
 * <p>Timestamps start at 2024-01-15T10:00:00Z and advance by each frame's serialization time at
 * 10 Gbit/s plus a little jitter, so the file replays like a busy link.
 *
 * <p>Usage: {@code TrafficGenerator <out.pcap> <targetMB> <seed> <concurrentFlows> [options]}
 * ({@code --help} prints them). Knobs:
 *
 * <ul>
 *   <li>{@code --vxlan}: mirror encapsulation as above; {@code --vnis N}: N sessions (VNI 200 to
 *       200+N-1, default 8).
 *   <li>{@code --snaplen N}: records keep the first N bytes (pcap incl_len &lt; orig_len), like a
 *       mirror session's packet length; with {@code --vxlan} N counts the outer headers too.
 *   <li>{@code --flows N}: concurrent open flows, overriding the positional argument.
 *   <li>{@code --mix kind=weight,...} with kinds {@code http} (one connection: request(s) and
 *       responses of 200 B to 256 KiB), {@code dns} (A over UDP), {@code dns-tcp} (1 to 3 queries
 *       with the 2-byte length prefix on one connection), {@code tls} (ClientHello with SNI
 *       {@code svcN.tls.example} and ALPN, ServerHello; TLS 1.2 with Certificate,
 *       ServerKeyExchange, ServerHelloDone, key exchange and Finished, or TLS 1.3; then
 *       application_data records of random bytes), {@code bulk} (port 5001, 256 KiB to 16 MiB of
 *       random bytes server to client), {@code icmp} (echo pair).
 *   <li>{@code --pipelined PCT}: share of HTTP connections with 2 to 5 pipelined requests;
 *       {@code --chunked PCT}: share with chunked responses (8 KiB chunks).
 *   <li>{@code --loss PCT}: share of bulk data segments lost; half of them never reach the
 *       capture (the receiver's ACK covers a gap), half are seen and retransmitted after the next
 *       segment, as a lossy path looks to a passive sensor.
 *   <li>{@code --ipv6 PCT}: share of flows over IPv6 (default 5).
 * </ul>
 *
 * <p>Without {@code --mix}, {@code --pipelined}, {@code --chunked}, {@code --loss} and {@code
 * --ipv6} the original engine runs and the output for the original arguments is byte-identical
 * to earlier versions (so cached benchmark inputs stay valid); it holds each open flow's frames,
 * which is fine for thousands of flows. Any of those knobs selects {@link StreamingGenerator},
 * whose open flows are small state machines that build their next frame when picked, so
 * millions of concurrent flows fit in a modest heap; its default mix is {@code
 * http=72,dns=23,icmp=5}. Both write the file as they go, never holding the capture.
 */
public final class TrafficGenerator {
  static final int SESSIONS = 8;
  static final int FIRST_VNI = 200;
  static final int MAX_BODY = 256 * 1024;
  static final int MIN_BODY = 200;
  static final byte[] BODY_FILLER = SampleGenerator.htmlBody(MAX_BODY);
  static final byte[] RESOLVER = Frames.ip("10.0.0.2");
  static final byte[] TARGET = Frames.ip("10.0.0.250");

  /** What a run wrote. */
  public record Result(long records, long bytes, long flows) {}

  /** One flow's frames, emitted in order. */
  /** One flow of a generator, as {@link #interleave} writes it. */
  interface GenFlow {
    /** The flow's next frame at time {@code now}, or null when it sends nothing now. */
    byte[] next(long now);

    boolean done();

    /** The outer source address, UDP port and VNI of its VXLAN copy. */
    byte[] outerSrc();

    int outerPort();

    int vni();
  }

  /** Makes the next flow of a generator. */
  interface FlowMaker {
    GenFlow make() throws IOException;
  }

  private static final class Flow implements GenFlow {
    final List<byte[]> frames = new ArrayList<>(32);
    int next;
    int vni;
    int outerPort;
    byte[] outerSrc;

    @Override
    public byte[] next(long now) {
      byte[] frame = frames.get(next);
      frames.set(next++, null);
      return frame;
    }

    @Override
    public boolean done() {
      return next == frames.size();
    }

    @Override
    public byte[] outerSrc() {
      return outerSrc;
    }

    @Override
    public int outerPort() {
      return outerPort;
    }

    @Override
    public int vni() {
      return vni;
    }
  }

  private final SplittableRandom random;
  private final boolean vxlan;
  private final int vnis;
  private final int snaplen;
  private final Conversations conversations;
  private Flow building;
  private long flows;
  private int clientPort = 1024;

  private TrafficGenerator(long seed, boolean vxlan, int vnis, int snaplen) {
    this.random = new SplittableRandom(seed);
    this.vxlan = vxlan;
    this.vnis = vnis;
    this.snaplen = snaplen;
    this.conversations =
        new Conversations((frame, ts, fromClient) -> building.frames.add(frame), 0, seed ^ 0x5EED);
  }

  static final String USAGE = String.join("\n",
      "usage: TrafficGenerator <out.pcap> <targetMB> <seed> <concurrentFlows> [options]",
      "  --vxlan            wrap every frame as AWS Traffic Mirroring sends it (VXLAN, UDP 4789)",
      "  --vnis N           mirror sessions (VNI 200..200+N-1) for --vxlan (default 8)",
      "  --snaplen N        truncate records to N bytes (incl_len < orig_len), like a mirror",
      "                     session's packet length (default: whole frames)",
      "  --flows N          concurrent open flows (overrides <concurrentFlows>; up to millions",
      "                     with the mix engine)",
      "  --mix K=W,...      flow kinds by weight: http, dns, dns-tcp, tls, bulk, icmp",
      "                     (e.g. http=60,dns=10,dns-tcp=5,tls=15,bulk=5,icmp=5)",
      "  --pipelined PCT    HTTP: share of connections carrying 2-5 pipelined requests",
      "  --chunked PCT      HTTP: share of connections with chunked responses",
      "  --loss PCT         bulk TCP: share of data segments lost (half missing from the",
      "                     capture, half retransmitted after the next segment)",
      "  --ipv6 PCT         share of flows over IPv6 (mix engine; default 5)",
      "  -h, --help         this text",
      "Any of --mix, --pipelined, --chunked, --loss, --ipv6 selects the mix engine (flows built",
      "lazily, default mix http=72,dns=23,icmp=5); without them the output is byte-identical to",
      "the original generator's.");

  /**
   * The knobs. {@code mix} holds one weight per {@link StreamingGenerator.Kind} in declaration
   * order; {@code snaplen} 0 keeps whole frames.
   */
  public record Options(int flows, boolean vxlan, int vnis, int snaplen, int[] mix,
      int pipelinedPercent, int chunkedPercent, int lossPercent, int ipv6Percent,
      boolean streaming) {
    /** The original generator's behaviour. */
    public static Options defaults(int flows) {
      return new Options(flows, false, SESSIONS, 0, new int[] {72, 23, 0, 0, 0, 5}, 0, 0, 0, 5,
          false);
    }

    /** Parses the options after the four positional arguments. */
    public static Options parse(int flows, String[] args, int from) {
      Options o = defaults(flows);
      int[] mix = o.mix.clone();
      boolean vxlan = false;
      boolean streaming = false;
      int vnis = SESSIONS;
      int snaplen = 0;
      int pipelined = 0;
      int chunked = 0;
      int loss = 0;
      int ipv6 = 5;
      for (int i = from; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--vxlan")) {
          vxlan = true;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("unknown option or missing value: " + a);
        }
        String v = args[++i];
        switch (a) {
          case "--vnis":
            vnis = range(a, v, 1, 1 << 20);
            break;
          case "--snaplen":
            snaplen = range(a, v, 64, 262_144);
            break;
          case "--flows":
            flows = range(a, v, 1, 50_000_000);
            break;
          case "--mix":
            mix = new int[mix.length];
            for (String part : v.split(",")) {
              String[] kv = part.split("=", 2);
              if (kv.length != 2) {
                throw new IllegalArgumentException("--mix wants kind=weight, got '" + part + "'");
              }
              mix[StreamingGenerator.Kind.of(kv[0].trim()).ordinal()] =
                  range("--mix " + kv[0], kv[1].trim(), 0, 1_000_000);
            }
            streaming = true;
            break;
          case "--pipelined":
            pipelined = range(a, v, 0, 100);
            streaming = true;
            break;
          case "--chunked":
            chunked = range(a, v, 0, 100);
            streaming = true;
            break;
          case "--loss":
            loss = range(a, v, 0, 100);
            streaming = true;
            break;
          case "--ipv6":
            ipv6 = range(a, v, 0, 100);
            streaming = true;
            break;
          default:
            throw new IllegalArgumentException("unknown option: " + a);
        }
      }
      return new Options(flows, vxlan, vnis, snaplen, mix, pipelined, chunked, loss, ipv6,
          streaming);
    }

    private static int range(String name, String value, int min, int max) {
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " wants a number, got '" + value + "'");
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + " must be in " + min + ".." + max);
      }
      return n;
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
      System.out.println(USAGE);
      return;
    }
    if (args.length < 4) {
      System.err.println(USAGE);
      System.exit(2);
    }
    Options options;
    try {
      options = Options.parse(Integer.parseInt(args[3]), args, 4);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    long start = System.nanoTime();
    Result r =
        generate(
            Path.of(args[0]),
            Long.parseLong(args[1]) * 1_000_000L,
            Long.parseLong(args[2]),
            options);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%s: %d records, %d flows, %.1f MB in %.2f s (%.0f MB/s)%n",
        args[0], r.records(), r.flows(), r.bytes() / 1e6, seconds, r.bytes() / 1e6 / seconds);
  }

  /** Writes the capture; see the class comment. */
  public static Result generate(
      Path out, long targetBytes, long seed, int concurrent, boolean vxlan) throws IOException {
    if (concurrent < 1) {
      throw new IllegalArgumentException("concurrent flows must be >= 1");
    }
    return new TrafficGenerator(seed, vxlan, SESSIONS, 0).run(out, targetBytes, concurrent);
  }

  /**
   * Writes the capture with the knobs in {@code options}: the original engine when no mix knob is
   * set (byte-identical to {@link #generate(Path, long, long, int, boolean)}), the lazy
   * per-flow engine otherwise.
   */
  public static Result generate(Path out, long targetBytes, long seed, Options options)
      throws IOException {
    if (options.flows() < 1) {
      throw new IllegalArgumentException("concurrent flows must be >= 1");
    }
    if (options.streaming()) {
      return new StreamingGenerator(seed, options).run(out, targetBytes);
    }
    return new TrafficGenerator(seed, options.vxlan(), options.vnis(), options.snaplen())
        .run(out, targetBytes, options.flows());
  }

  private Result run(Path file, long targetBytes, int concurrent) throws IOException {
    return interleave(file, targetBytes, concurrent, random, vxlan, snaplen, this::newFlow,
        () -> flows);
  }

  /**
   * Writes {@code concurrent} flows at a time, each frame from a flow picked at random, opening a
   * new flow for each that ends until the file holds {@code targetBytes}, then letting the open
   * ones finish. Frames are VXLAN-wrapped when {@code vxlan}; {@code snaplen} 0 keeps them whole.
   * Shared by both engines (the original one's output is pinned by a hash test).
   */
  static Result interleave(Path file, long targetBytes, int concurrent, SplittableRandom random,
      boolean vxlan, int snaplen, FlowMaker maker, java.util.function.LongSupplier flows)
      throws IOException {
    GenFlow[] open = new GenFlow[concurrent];
    int openCount = 0;
    for (; openCount < concurrent; openCount++) {
      open[openCount] = maker.make();
    }
    byte[] wrapped = new byte[Frames.vxlanOverhead() + 70_000];
    long now = SampleGenerator.START_NANOS;
    int snap = snaplen > 0 ? snaplen : 262_144;
    try (PcapWriter w = PcapWriter.create(file, LinkType.ETHERNET, snap,
        PcapWriter.Resolution.MICRO)) {
      boolean opening = true;
      while (openCount > 0) {
        int slot = random.nextInt(openCount);
        GenFlow f = open[slot];
        byte[] frame = f.next(now);
        if (frame != null) {
          byte[] data = frame;
          int len = frame.length;
          if (vxlan) {
            len = Frames.vxlanInto(f.outerSrc(), TARGET, f.outerPort(), f.vni(), frame, 0,
                frame.length, wrapped, 0);
            data = wrapped;
          }
          w.write(data, 0, Math.min(len, snap), len, now);
          now += len * 8L / 10 + random.nextInt(200);
        }
        if (f.done()) {
          opening = opening && w.bytesWritten() < targetBytes;
          if (opening) {
            open[slot] = maker.make();
          } else {
            open[slot] = open[--openCount];
            open[openCount] = null;
          }
        }
      }
      return new Result(w.records(), w.bytesWritten(), flows.getAsLong());
    }
  }

  private Flow newFlow() throws IOException {
    Flow f = new Flow();
    building = f;
    flows++;
    int kind = random.nextInt(100);
    boolean v6 = random.nextInt(100) < 5;
    int client = random.nextInt(4096);
    int server = random.nextInt(200);
    byte[] clientIp =
        v6
            ? Frames.ip("fd00:1::" + Integer.toHexString(client + 1))
            : new byte[] {10, 1, (byte) (client >>> 8), (byte) client};
    byte[] serverIp =
        v6
            ? Frames.ip("fd00:2::" + Integer.toHexString(server + 1))
            : new byte[] {10, 2, 0, (byte) (server + 1)};
    int port = nextClientPort();
    if (kind < 72) {
      int body = (int) Math.exp(random.nextDouble(Math.log(MIN_BODY), Math.log(MAX_BODY)));
      byte[] request =
          ("GET /object/" + flows + " HTTP/1.1\r\nHost: svc" + server
                  + ".internal.example\r\nUser-Agent: mirrorsensor-gen/1.0\r\nAccept: */*\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      byte[] head = Conversations.httpResponseHead(200, "text/html", body);
      byte[] response = new byte[head.length + body];
      System.arraycopy(head, 0, response, 0, head.length);
      System.arraycopy(BODY_FILLER, 0, response, head.length, body);
      conversations.tcp(Conversations.Endpoints.of(clientIp, port, serverIp, 80), request, response);
    } else if (kind < 95) {
      byte[] resolver = v6 ? Frames.ip("fd00::2") : RESOLVER;
      conversations.dns(
          Conversations.Endpoints.of(clientIp, port, resolver, 53),
          random.nextInt(65536),
          "host" + random.nextInt(10_000) + ".example.com",
          new byte[] {93, (byte) 184, (byte) random.nextInt(256), (byte) random.nextInt(256)},
          300);
    } else {
      conversations.icmpEcho(
          Conversations.Endpoints.of(clientIp, 0, serverIp, 0),
          random.nextInt(65536),
          1 + random.nextInt(10),
          56);
    }
    f.vni = FIRST_VNI + random.nextInt(vnis);
    f.outerSrc = new byte[] {10, 0, 10, (byte) (f.vni - FIRST_VNI + 1)};
    byte[] first = f.frames.get(0);
    f.outerPort = Frames.vxlanSourcePort(first, 0, first.length);
    return f;
  }

  private int nextClientPort() {
    int p = clientPort++;
    if (clientPort > 65_535) {
      clientPort = 1024;
    }
    return p;
  }
}

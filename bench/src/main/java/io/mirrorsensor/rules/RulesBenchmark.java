package io.mirrorsensor.rules;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.app.http.HttpConfig;
import io.mirrorsensor.decode.app.http.HttpParser;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The rule engine on one core, with 0, 100 or all loadable ET Open rules ({@code
 * ../shared/corpus/rules/et-open}, or {@code -Dmirrorsensor.shared=DIR}; without it the
 * {@code 100} and {@code all} cases fall back to 0 rules and say so). "100" is every 177th
 * loaded rule in file order, a spread over all files (packet and app-layer rules mixed).
 *
 * <ul>
 *   <li>{@code prefilterScan}: the tcp group's Aho-Corasick DFA (all its fast patterns) over the
 *       payload mix laid end to end ({@link #MIX_BYTES} bytes per op): MB/s = ops/s x bytes.
 *   <li>{@code inspectPackets}: {@link Detector#inspect} on each packet of the mix (8 packets:
 *       HTTP request, HTTP response, DNS query, TLS ClientHello, SSH banner, SMTP, JSON POST,
 *       1,400 random bytes): one op = the 8 packets.
 *   <li>{@code inspectStream}: {@link Detector#inspectStream} with the 8 payloads as the
 *       consecutive chunks of one to_server stream (one window, carried from op to op): one op =
 *       the 8 chunks.
 *   <li>{@code inspectHttp}: {@link Detector#inspectHttp} on 4 HTTP transactions made by the real
 *       parser from generated exchanges: one op = the 4 transactions.
 * </ul>
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar RulesBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RulesBenchmark {
  @Param({"0", "100", "all"})
  public String rules;

  static final int MIX_BYTES_UNSET = -1;
  /** Bytes of the payload mix (set in setup). */
  static int MIX_BYTES = MIX_BYTES_UNSET;

  private RuleSet set;
  private Detector detector;
  private final List<DecodedPacket> packets = new ArrayList<>();
  private final List<HttpTransaction> transactions = new ArrayList<>();
  private Flow flow;
  private byte[] mix;
  private MultiPatternMatcher mpm;
  private int hitCount;

  /** Loads the ET Open rule texts in file order, or returns an empty list without the corpus. */
  public static List<String> etOpenRules() throws IOException {
    Path dir = Path.of(System.getProperty("mirrorsensor.shared", "../shared"), "corpus", "rules",
        "et-open");
    if (!Files.isDirectory(dir)) {
      System.err.println("RulesBenchmark: no ET Open corpus at " + dir.toAbsolutePath()
          + ": running with 0 rules");
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".rules")).sorted().collect(Collectors.toList());
    }
    List<String> texts = new ArrayList<>();
    try {
      RuleSet all = RuleLoader.load(files, RuleOptions.defaults());
      all.rules().stream()
          .sorted(Comparator.comparing(Rule::file).thenComparingInt(Rule::line))
          .forEach(r -> texts.add(r.text()));
    } catch (RuleLoadException e) {
      throw new IllegalStateException(e);
    }
    return texts;
  }

  /** Every (size / n)-th rule: a spread over all files (the first files are IP-reputation lists). */
  public static List<String> sample(List<String> all, int n) {
    List<String> out = new ArrayList<>();
    if (n == 0 || all.isEmpty()) {
      return out;
    }
    int step = Math.max(1, all.size() / n);
    for (int i = 0; i < all.size() && out.size() < n; i += step) {
      out.add(all.get(i));
    }
    return out;
  }

  @Setup
  public void setup() throws Exception {
    List<String> all = rules.equals("0") ? List.of() : etOpenRules();
    List<String> chosen = rules.equals("all") ? all : sample(all, rules.equals("0") ? 0 : Integer.parseInt(rules));
    set = RuleLoader.loadText("bench.rules", String.join("\n", chosen), RuleOptions.defaults());
    System.err.println("RulesBenchmark rules=" + rules + ": " + set.report().loaded()
        + " loaded, tcp prefilter patterns " + set.prefilterPatterns("tcp"));
    detector = set.newDetector();
    flow = new Flow(set.flowbitWords());
    Random rnd = new Random(7);
    byte[] random = new byte[1400];
    rnd.nextBytes(random);
    String[] payloads = {
      "GET /wp-content/plugins/app/assets/main.js?ver=6.4.2 HTTP/1.1\r\nHost: www.example.com\r\n"
          + "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like"
          + " Gecko) Chrome/120.0.0.0 Safari/537.36\r\nAccept: */*\r\nAccept-Language: en-US,en;q=0.9\r\n"
          + "Accept-Encoding: gzip, deflate, br\r\nCookie: session=8f14e45fceea167a5a36dedd4bea2543\r\n"
          + "Referer: https://www.example.com/blog/\r\nConnection: keep-alive\r\n\r\n",
      "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: text/html; charset=UTF-8\r\n"
          + "Content-Length: 612\r\nCache-Control: max-age=600\r\n\r\n<!DOCTYPE html><html><head>"
          + "<title>Welcome</title><script src=\"/static/app.js\"></script></head><body><h1>It works"
          + "</h1><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor"
          + " incididunt ut labore et dolore magna aliqua.</p></body></html>",
      "\u0012\u0034\u0001\u0000\u0000\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0003www\u0007example"
          + "\u0003com\u0000\u0000\u0001\u0000\u0001",
      "\u0016\u0003\u0001\u0000\u00c8\u0001\u0000\u0000\u00c4\u0003\u0003" + "R".repeat(32)
          + "\u0000\u0000\u0020\u00c0\u002b\u00c0\u002f\u00c0\u002c\u00c0\u0030\u00cc\u00a9\u00cc\u00a8"
          + "\u0000\u0000\u0010\u000e\u0000\u000c\u0000\u0000\u0009localhost",
      "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n",
      "EHLO mail.example.org\r\nMAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\n",
      "POST /api/v2/events HTTP/1.1\r\nHost: api.example.net\r\nContent-Type: application/json\r\n"
          + "Content-Length: 96\r\n\r\n{\"event\":\"login\",\"user\":\"alice\",\"ts\":1700000000,"
          + "\"ok\":true,\"client\":\"web\"}",
      new String(random, StandardCharsets.ISO_8859_1),
    };
    int[][] ports = {{40000, 80}, {80, 40000}, {40001, 53}, {40002, 443}, {22, 40003},
        {40004, 25}, {40005, 8080}, {40006, 4444}};
    StringBuilder all8 = new StringBuilder();
    for (int i = 0; i < payloads.length; i++) {
      packets.add(packet(payloads[i], ports[i][0], ports[i][1], i == 2 ? 17 : 6));
      all8.append(payloads[i]);
    }
    mix = all8.toString().getBytes(StandardCharsets.ISO_8859_1);
    MIX_BYTES = mix.length;
    RuleSet.Group tcp = set.groups[Protocols.TCP];
    mpm = tcp.mpm != null ? tcp.mpm : new MultiPatternMatcher(List.of("zz-never".getBytes(StandardCharsets.ISO_8859_1)));
    System.err.println("RulesBenchmark: payload mix " + mix.length + " bytes per prefilterScan op");
    String[][] exchanges = {
      {payloads[0], "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: application/javascript\r\nContent-Length: 0\r\n\r\n"},
      {"GET /index.php?page=../../etc/passwd HTTP/1.1\r\nHost: 10.0.0.5\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n",
          "HTTP/1.1 404 Not Found\r\nServer: Apache\r\nContent-Length: 0\r\n\r\n"},
      {"POST /api/v2/events HTTP/1.1\r\nHost: api.example.net\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n",
          "HTTP/1.1 204 No Content\r\nServer: envoy\r\n\r\n"},
      {"GET /download/setup.exe HTTP/1.1\r\nHost: cdn.example.org\r\nUser-Agent: Microsoft BITS/7.8\r\nRange: bytes=0-\r\n\r\n",
          "HTTP/1.1 206 Partial Content\r\nContent-Type: application/octet-stream\r\nContent-Length: 0\r\n\r\n"},
    };
    for (String[] ex : exchanges) {
      HttpParser p = new HttpParser(HttpConfig.defaults(), transactions::add);
      byte[] q = ex[0].getBytes(StandardCharsets.ISO_8859_1);
      byte[] r = ex[1].getBytes(StandardCharsets.ISO_8859_1);
      p.toServer().data(q, 0, q.length, 0);
      p.toClient().data(r, 0, r.length, 0);
      p.close();
    }
  }

  private static DecodedPacket packet(String payload, int sport, int dport, int proto) {
    DecodedPacket p = new DecodedPacket();
    p.reset();
    byte[] pl = payload.getBytes(StandardCharsets.ISO_8859_1);
    p.buf = new byte[40 + pl.length];
    System.arraycopy(pl, 0, p.buf, 40, pl.length);
    p.ipVersion = 4;
    p.ipProto = proto;
    p.ttl = 64;
    p.l3Offset = 0;
    p.l4Offset = 20;
    p.payloadOffset = 40;
    p.payloadLength = pl.length;
    p.srcAddr[0] = 10;
    p.srcAddr[3] = 1;
    p.dstAddr[0] = 93;
    p.dstAddr[1] = (byte) 184;
    p.dstAddr[2] = (byte) 216;
    p.dstAddr[3] = 34;
    p.srcPort = sport;
    p.dstPort = dport;
    p.tcpFlags = 0x18;
    return p;
  }

  /** An established flow, client 10.0.0.1:40000 to server 93.184.216.34:80. */
  static final class Flow implements FlowContext {
    final long[] bits;

    Flow(int words) {
      bits = new long[words];
    }

    @Override
    public boolean established() {
      return true;
    }

    @Override
    public boolean toServer() {
      return true;
    }

    @Override
    public long[] flowbits() {
      java.util.Arrays.fill(bits, 0L);
      return bits;
    }

    @Override
    public void clientToServer(DecodedPacket out) {
      out.ipVersion = 4;
      out.ipProto = 6;
      out.srcAddr[0] = 10;
      out.srcAddr[3] = 1;
      out.dstAddr[0] = 93;
      out.dstAddr[1] = (byte) 184;
      out.dstAddr[2] = (byte) 216;
      out.dstAddr[3] = 34;
      out.srcPort = 40000;
      out.dstPort = 80;
    }
  }

  private final AlertSink sink = (r, p) -> hitCount++;

  @Benchmark
  public int prefilterScan() {
    return mpm.count(mix, 0, mix.length);
  }

  @Benchmark
  public int inspectPackets() {
    int n = 0;
    for (int i = 0; i < packets.size(); i++) {
      n += detector.inspect(packets.get(i), flow, sink);
    }
    return n;
  }

  private final StreamWindow window = new StreamWindow();
  private long streamOffset;

  @Benchmark
  public int inspectStream() {
    int n = 0;
    for (int i = 0; i < packets.size(); i++) {
      DecodedPacket p = packets.get(i);
      n += detector.inspectStream(window, p.buf, p.payloadOffset, p.payloadLength, streamOffset,
          true, 1L, flow, sink);
      streamOffset += p.payloadLength;
    }
    return n;
  }

  @Benchmark
  public int inspectHttp(Blackhole bh) {
    int n = 0;
    for (int i = 0; i < transactions.size(); i++) {
      n += detector.inspectHttp(transactions.get(i), 1L, flow, sink);
    }
    bh.consume(hitCount);
    return n;
  }
}

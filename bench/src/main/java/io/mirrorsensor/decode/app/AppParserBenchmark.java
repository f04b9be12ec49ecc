package io.mirrorsensor.decode.app;

import io.mirrorsensor.decode.app.dns.DnsConfig;
import io.mirrorsensor.decode.app.dns.DnsMessage;
import io.mirrorsensor.decode.app.dns.DnsParser;
import io.mirrorsensor.decode.app.dns.DnsStatus;
import io.mirrorsensor.decode.app.http.HttpConfig;
import io.mirrorsensor.decode.app.http.HttpParser;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The app-layer parsers on one core. Fixtures are the hand-built messages of the decoders tests
 * ({@code DnsMessageTest.cnameResponse}, a header-heavy browser-like request/response pair in the
 * manner of {@code HttpParserTest}).
 *
 * <ul>
 *   <li>{@code httpPipelined}: 64 request/response pairs (about 830 bytes of request head with 12
 *       headers, a 420-byte response head and a 1,000-byte body) through a fresh {@link
 *       HttpParser}, as one segment per direction. Score is operations/s; bytes per op are
 *       printed by {@link #setup} (MB/s = ops/s x bytes/op).
 *   <li>{@code dnsParse}: one response (CNAME + A, compressed) parsed in place.
 *   <li>{@code dnsQueryResponse}: query then response through a {@link DnsParser} (pairing).
 * </ul>
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar AppParserBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AppParserBenchmark {
  private static final int PAIRS = 64;
  private byte[] requests;
  private byte[] responses;
  private final DnsMessage message = new DnsMessage(DnsConfig.defaults());
  private byte[] dnsQuery;
  private byte[] dnsResponse;
  private long tx;
  private DnsParser dns;
  private long ts;

  @Setup
  public void setup() {
    String req = "GET /static/js/app.bundle.min.js?v=20240115 HTTP/1.1\r\n"
        + "Host: www.example.com\r\n"
        + "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like"
        + " Gecko) Chrome/120.0.0.0 Safari/537.36\r\n"
        + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
        + "*/*;q=0.8\r\n"
        + "Accept-Language: en-US,en;q=0.9\r\n"
        + "Accept-Encoding: gzip, deflate, br\r\n"
        + "Referer: https://www.example.com/products/category/index.html\r\n"
        + "Cookie: session=8f3a1c9b2d7e4f6a8b0c1d2e3f4a5b6c; prefs=dark; tracking=ab12cd34ef56\r\n"
        + "Connection: keep-alive\r\n"
        + "Upgrade-Insecure-Requests: 1\r\n"
        + "Cache-Control: max-age=0\r\n"
        + "Sec-Fetch-Mode: navigate\r\n"
        + "Sec-Fetch-Site: same-origin\r\n\r\n";
    String body = "x".repeat(1000);
    String resp = "HTTP/1.1 200 OK\r\n"
        + "Date: Mon, 15 Jan 2024 10:00:00 GMT\r\n"
        + "Server: nginx/1.24.0\r\n"
        + "Content-Type: application/javascript; charset=utf-8\r\n"
        + "Content-Length: " + body.length() + "\r\n"
        + "Cache-Control: public, max-age=31536000, immutable\r\n"
        + "ETag: \"5f3a1c9b-2d7e4f6a\"\r\n"
        + "Last-Modified: Sun, 14 Jan 2024 09:00:00 GMT\r\n"
        + "Vary: Accept-Encoding\r\n"
        + "X-Content-Type-Options: nosniff\r\n"
        + "Strict-Transport-Security: max-age=63072000\r\n"
        + "Connection: keep-alive\r\n\r\n" + body;
    requests = req.repeat(PAIRS).getBytes(StandardCharsets.US_ASCII);
    responses = resp.repeat(PAIRS).getBytes(StandardCharsets.US_ASCII);
    System.out.println("httpPipelined bytes/op: " + (requests.length + responses.length));

    dnsQuery = hex("123401000001000000000000" + "03777777076578616d706c6503636f6d00" + "00010001");
    dnsResponse = hex("123481800001000200000000" + "03777777076578616d706c6503636f6d00"
        + "00010001" + "c00c0005000100000e10000603776562c010"
        + "c02d000100010000003c00045db8d822");
    dns = new DnsParser(DnsConfig.defaults(), t -> tx++);
  }

  @Benchmark
  public long httpPipelined() {
    long[] n = new long[1];
    HttpParser p = new HttpParser(HttpConfig.defaults(), t -> n[0] += t.status());
    p.time(1);
    p.toServer().data(requests, 0, requests.length, 0);
    p.toClient().data(responses, 0, responses.length, 0);
    p.close();
    return n[0];
  }

  @Benchmark
  public void dnsParse(Blackhole bh) {
    DnsStatus st = message.parse(dnsResponse, 0, dnsResponse.length);
    bh.consume(st);
    bh.consume(message.records());
  }

  @Benchmark
  public long dnsQueryResponse() {
    ts += 1000;
    dns.onMessage(dnsQuery, 0, dnsQuery.length, ts, false);
    dns.onMessage(dnsResponse, 0, dnsResponse.length, ts + 500, false);
    return tx;
  }

  private static byte[] hex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}

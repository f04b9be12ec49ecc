package io.mirrorsensor.decode.app.tls;

import java.io.ByteArrayOutputStream;
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
 * ClientHello parsing on one core. The fixture is {@code TlsParserTest.chromeHello()} of the
 * decoders tests (Chrome 143 as browserleaks.com recorded it, with GREASE: 16 cipher suites, 18
 * extensions, 2 key shares, SNI, ALPN h2 + http/1.1; about 380 bytes), rebuilt here byte for byte.
 *
 * <ul>
 *   <li>{@code index}: {@link TlsHello#parse} into a reused hello (copy + index of every field):
 *       the per-hello work the parser does.
 *   <li>{@code parserPerFlow}: a new {@link TlsParser} per ClientHello record fed as one
 *       segment, as each new flow costs (parser, transaction, hello objects).
 *   <li>{@code fingerprints}: {@code index} plus the JA3 hash and JA4 strings, which the EVE
 *       writer and ja3/ja4 rules ask for once per connection.
 * </ul>
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar TlsParserBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TlsParserBenchmark {
  private byte[] body;
  private byte[] record;
  private TlsHello hello;
  private final TlsListener listener = t -> {};

  @Setup
  public void setup() {
    B ex = new B();
    ex.ext(0x1a1a, new byte[0]);
    ex.ext(0x002d, hex("0101"));
    B ks = new B().u16(0x2a2a).u16(1).u8(0).u16(4588).u16(32).raw(new byte[32]).u16(29).u16(32)
        .raw(new byte[32]);
    ex.ext(0x0033, new B().u16(ks.size()).raw(ks.bytes()).bytes());
    ex.ext(0x0010, hex("000c02683208687474702f312e31"));
    ex.ext(0xfe0d, hex("0000010001c0002000"));
    ex.ext(0x0017, new byte[0]);
    ex.ext(0x44cd, hex("0003026832"));
    byte[] host = "tls.browserleaks.com".getBytes(StandardCharsets.US_ASCII);
    ex.ext(0x0000, new B().u16(host.length + 3).u8(0).u16(host.length).raw(host).bytes());
    ex.ext(0x000b, hex("0100"));
    ex.ext(0x000a, hex("000a3a3a11ec001d00170018"));
    ex.ext(0x002b, hex("065a5a03040303"));
    ex.ext(0xff01, hex("00"));
    ex.ext(0x0023, new byte[0]);
    ex.ext(0x0012, new byte[0]);
    ex.ext(0x0005, hex("0100000000"));
    ex.ext(0x000d, hex("001004030804040105030805050108060601"));
    ex.ext(0x001b, hex("020002"));
    ex.ext(0xfafa, hex("00"));
    int[] ciphers = {0x4a4a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
        0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    B ch = new B().u16(0x0303).raw(new byte[32]).u8(32).raw(new byte[32]).u16(ciphers.length * 2);
    for (int c : ciphers) {
      ch.u16(c);
    }
    ch.u8(1).u8(0).u16(ex.size()).raw(ex.bytes());
    body = ch.bytes();
    byte[] hs = new B().u8(1).u8(0).u16(body.length).raw(body).bytes();
    record = new B().u8(22).u16(0x0301).u16(hs.length).raw(hs).bytes();
    hello = new TlsHello(true, TlsConfig.defaults().maxExtensions());
    if (!hello.parse(body, 0, body.length, null, 0)
        || !"98487aa16281980e7d1120d399efb6a4".equals(hello.ja3Hash())) {
      throw new IllegalStateException("fixture differs from TlsParserTest.chromeHello()");
    }
    System.out.println("ClientHello body bytes: " + body.length);
  }

  @Benchmark
  public boolean index() {
    return hello.parse(body, 0, body.length, null, 0);
  }

  @Benchmark
  public TlsTransaction parserPerFlow() {
    TlsParser p = new TlsParser(TlsConfig.defaults(), listener);
    p.toServer().data(record, 0, record.length, 0);
    return p.transaction();
  }

  @Benchmark
  public void fingerprints(Blackhole bh) {
    hello.parse(body, 0, body.length, null, 0);
    bh.consume(hello.ja3Hash());
    bh.consume(hello.ja4());
  }

  private static byte[] hex(String s) {
    byte[] r = new byte[s.length() / 2];
    for (int i = 0; i < r.length; i++) {
      r[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return r;
  }

  /** Big-endian byte builder. */
  private static final class B {
    final ByteArrayOutputStream o = new ByteArrayOutputStream();

    B u8(int v) {
      o.write(v);
      return this;
    }

    B u16(int v) {
      o.write(v >>> 8);
      o.write(v);
      return this;
    }

    B raw(byte[] b) {
      o.writeBytes(b);
      return this;
    }

    void ext(int type, byte[] data) {
      u16(type).u16(data.length).raw(data);
    }

    int size() {
      return o.size();
    }

    byte[] bytes() {
      return o.toByteArray();
    }
  }
}

package io.mirrorsensor.sensor.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.decode.DecodeStatus;
import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.IpText;
import io.mirrorsensor.decode.PacketDecoder;
import io.mirrorsensor.decode.app.tls.TlsConfig;
import io.mirrorsensor.decode.app.tls.TlsHello;
import io.mirrorsensor.decode.app.tls.TlsListener;
import io.mirrorsensor.decode.app.tls.TlsParser;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import io.mirrorsensor.decode.tcp.ReassemblyBudget;
import io.mirrorsensor.decode.tcp.StreamReassembler;
import io.mirrorsensor.decode.tcp.TcpConfig;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.testing.Dirs;
import io.mirrorsensor.sensor.testing.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The TLS parser against tshark 4.0's ground truth ({@code tls.jsonl}: sni, legacy_version,
 * supported_versions, alpn, ja3, ja3_full per ClientHello) for every capture in ../shared/corpus
 * that has any, driven as {@link AppCorpusCrossCheckTest} drives the HTTP parser: {@link
 * CaptureReader}, {@link PacketDecoder}, a test-side {@link StreamReassembler} per direction
 * (client = SYN sender, else first sender) into a {@link TlsParser} on every TCP connection
 * (detection by content, any port). Comparison is by multiset of the compared fields per capture;
 * agreement = matched / max(ours, theirs), at least 0.99; every disagreement is printed with its
 * frame on each side. Skipped, with a message, where ../shared is absent.
 *
 * <p>JA4 is checked against an independent computation from tshark's fields: the {@code a} part
 * (version from supported_versions or legacy_version, SNI flag and the counts from ja3_full, ALPN
 * from alpn) and the {@code b} part (cipher hash from ja3_full) entirely; in the {@code c} part
 * tshark gives the sorted extension list (from ja3_full) but not the signature algorithms, which
 * come from our parse.
 *
 * <p>Not compared: QUIC Initial ClientHellos ({@code proto: "udp"} lines): the parser is for TCP
 * streams. None of the corpus captures has any today.
 */
public class TlsCorpusCrossCheckTest {
  private static final double MIN_AGREEMENT = 0.99;

  @TestFactory
  Stream<DynamicTest> clientHellosMatchTshark() throws IOException {
    Path corpus = Dirs.corpusOrSkip("tshark cross-check of TLS ClientHellos (TlsCorpusCrossCheckTest)");
    List<Path> captures = new ArrayList<>();
    try (Stream<Path> s = Files.walk(corpus, 3)) {
      s.filter(Files::isRegularFile)
          .filter(p -> nonEmpty(Path.of(p + ".truth", "tls.jsonl")))
          .sorted()
          .forEach(captures::add);
    }
    assertTrue(!captures.isEmpty(), "no capture with TLS truth");
    return captures.stream().map(c -> DynamicTest.dynamicTest(corpus.relativize(c).toString(),
        () -> check(c, corpus.relativize(c).toString())));
  }

  private static boolean nonEmpty(Path p) {
    try {
      return Files.exists(p) && Files.size(p) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  static final class Conn {
    String client;
    StreamReassembler up;
    StreamReassembler down;
    TlsParser tls;
  }

  /** One ClientHello: the compared fields, and the frame it completed in. */
  record Hello(String fields, long frame, String ja4, String ja4Expected) {}

  private void check(Path capture, String name) throws Exception {
    SensorConfig cfg = SensorConfig.defaults();
    PacketDecoder decoder = new PacketDecoder(cfg.decoderConfig());
    DecodedPacket p = new DecodedPacket();
    List<Hello> ours = new ArrayList<>();
    long[] frame = {0};
    TlsListener listener = new TlsListener() {
      @Override
      public void clientHello(TlsTransaction t) {
        TlsHello h = t.client();
        ours.add(new Hello(fields(h.sni(), hex(h.legacyVersion()),
            Arrays.stream(h.supportedVersions()).mapToObj(TlsCorpusCrossCheckTest::hex)
                .collect(Collectors.toList()), h.alpns(), h.ja3Hash(), h.ja3String()),
            frame[0], h.ja4(), h.isSslv2() ? null : ja4FromTshark(h.legacyVersion(), h.supportedVersions(),
                h.alpns(), h.ja3String(), h.signatureAlgorithms())));
      }

      @Override
      public void complete(TlsTransaction t) {}
    };
    Map<String, Conn> tcp = new HashMap<>();
    TcpConfig tcpConfig = TcpConfig.defaults();
    ReassemblyBudget budget = new ReassemblyBudget(256L << 20);
    try (CaptureReader r = CaptureReader.open(capture)) {
      CaptureRecord rec = new CaptureRecord();
      while (r.next(rec)) {
        frame[0]++;
        DecodeStatus st = decoder.decode(rec.buf, rec.offset, rec.capLen, rec.origLen,
            rec.linkType, rec.tsNanos, p);
        if (st == DecodeStatus.FRAGMENT_HELD || !p.hasFlowKey() || !p.isTcp()) {
          continue;
        }
        String a = IpText.format(p.srcAddr, 0, p.ipVersion) + ":" + p.srcPort;
        String b = IpText.format(p.dstAddr, 0, p.ipVersion) + ":" + p.dstPort;
        String key = p.vni + " " + (a.compareTo(b) < 0 ? a + " " + b : b + " " + a);
        Conn c = tcp.get(key);
        if (c == null) {
          c = new Conn();
          c.client = (p.tcpFlags & 0x12) == 0x12 ? b : a;
          c.tls = new TlsParser(TlsConfig.defaults(), listener);
          c.up = new StreamReassembler(tcpConfig, budget, c.tls.toServer());
          c.down = new StreamReassembler(tcpConfig, budget, c.tls.toClient());
          tcp.put(key, c);
        }
        boolean up = a.equals(c.client);
        StreamReassembler ra = up ? c.up : c.down;
        StreamReassembler other = up ? c.down : c.up;
        c.tls.time(p.tsNanos);
        if ((p.tcpFlags & 0x02) != 0) {
          ra.start(p.seq + 1);
        }
        if (p.payloadWireLength > 0) {
          ra.segment((p.tcpFlags & 0x02) != 0 ? p.seq + 1 : p.seq, p.buf, p.payloadOffset,
              p.payloadLength, p.payloadWireLength);
        }
        if ((p.tcpFlags & 0x10) != 0) {
          other.acknowledged(p.ack);
        }
      }
    }
    for (Conn c : tcp.values()) {
      c.up.close();
      c.down.close();
      c.tls.close();
    }

    List<Hello> theirs = new ArrayList<>();
    int quic = 0;
    for (Map<String, Object> t : Json.lines(Path.of(capture + ".truth", "tls.jsonl"))) {
      if (!"tcp".equals(t.get("proto"))) {
        quic++;
        continue;
      }
      theirs.add(new Hello(fields((String) t.get("sni"), (String) t.get("legacy_version"),
          t.get("supported_versions"), t.get("alpn"), (String) t.get("ja3"),
          (String) t.get("ja3_full")), (Long) t.get("frame"), null, null));
    }
    StringBuilder report = new StringBuilder(name).append(':');
    List<Hello> left = new ArrayList<>(theirs);
    List<Hello> extra = new ArrayList<>();
    int matched = 0;
    for (Hello o : ours) {
      Hello m = left.stream().filter(h -> h.fields.equals(o.fields)).findFirst().orElse(null);
      if (m != null) {
        left.remove(m);
        matched++;
      } else {
        extra.add(o);
      }
    }
    int denom = Math.max(theirs.size(), ours.size());
    double agree = denom == 0 ? 1 : (double) matched / denom;
    report.append(String.format(" tls %d/%d (ours %d) = %.4f", matched, theirs.size(),
        ours.size(), agree));
    if (quic > 0) {
      report.append(" (").append(quic).append(" QUIC ClientHellos not compared)");
    }
    for (Hello h : left) {
      report.append("\n  missed frame ").append(h.frame).append(": ").append(h.fields);
    }
    for (Hello h : extra) {
      report.append("\n  extra frame ").append(h.frame).append(": ").append(h.fields);
    }
    int ja4Agree = 0;
    for (Hello h : ours) {
      if (java.util.Objects.equals(h.ja4, h.ja4Expected)) {
        ja4Agree++;
      } else {
        report.append("\n  ja4 frame ").append(h.frame).append(": ours ").append(h.ja4)
            .append(" recomputed ").append(h.ja4Expected);
      }
    }
    report.append(String.format(" ja4 %d/%d", ja4Agree, ours.size()));
    System.err.println(report);
    assertTrue(agree >= MIN_AGREEMENT && ja4Agree == ours.size(), report.toString());
  }

  private static String fields(String sni, String legacy, Object versions, Object alpn,
      String ja3, String ja3Full) {
    return "sni=" + sni + " legacy=" + legacy + " versions=" + versions + " alpn=" + alpn
        + " ja3=" + ja3 + " ja3_full=" + ja3Full;
  }

  private static String hex(int v) {
    return String.format("0x%04x", v);
  }

  /**
   * JA4 written out from the JA4.md text over the JA3 string's decimal lists (tshark's {@code
   * ja3_full} has the same lists), separately from {@code TlsHello.ja4()}.
   */
  public static String ja4FromTshark(int legacy, int[] versions, List<String> alpns, String ja3Full,
      int[] sigalgs) {
    String[] f = ja3Full.split(",", -1);
    List<Integer> ciphers = f[1].isEmpty() ? List.of()
        : Arrays.stream(f[1].split("-")).map(Integer::valueOf).collect(Collectors.toList());
    List<Integer> exts = f[2].isEmpty() ? List.of()
        : Arrays.stream(f[2].split("-")).map(Integer::valueOf).collect(Collectors.toList());
    int v = legacy;
    int best = -1;
    for (int x : versions) {
      if (!((x & 0x0f0f) == 0x0a0a && (x >> 8) == (x & 0xff))) {
        best = Math.max(best, x);
      }
    }
    if (best >= 0) {
      v = best;
    }
    String ver = Map.of(0x0304, "13", 0x0303, "12", 0x0302, "11", 0x0301, "10", 0x0300, "s3")
        .getOrDefault(v, "00");
    String alpn = "00";
    if (!alpns.isEmpty() && !alpns.get(0).isEmpty()) {
      String a = alpns.get(0);
      alpn = "" + a.charAt(0) + a.charAt(a.length() - 1);
    }
    String head = "t" + ver + (exts.contains(0) ? "d" : "i")
        + String.format("%02d%02d", Math.min(ciphers.size(), 99), Math.min(exts.size(), 99))
        + alpn;
    String cs = ciphers.stream().map(c -> String.format("%04x", c)).sorted()
        .collect(Collectors.joining(","));
    String es = exts.stream().filter(e -> e != 0 && e != 16).map(e -> String.format("%04x", e))
        .sorted().collect(Collectors.joining(","));
    if (sigalgs.length > 0) {
      es += "_" + Arrays.stream(sigalgs).mapToObj(s -> String.format("%04x", s))
          .collect(Collectors.joining(","));
    }
    return head + "_" + (cs.isEmpty() ? "000000000000" : sha12(cs)) + "_"
        + (exts.stream().allMatch(e -> e == 0 || e == 16) ? "000000000000" : sha12(es));
  }

  private static String sha12(String s) {
    byte[] d;
    try {
      d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    StringBuilder r = new StringBuilder();
    for (byte x : d) {
      r.append(String.format("%02x", x));
    }
    return r.substring(0, 12);
  }
}

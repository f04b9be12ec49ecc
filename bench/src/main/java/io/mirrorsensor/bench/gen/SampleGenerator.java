package io.mirrorsensor.bench.gen;

import io.mirrorsensor.sensor.gen.Frames;
import io.mirrorsensor.sensor.gen.Conversations;
import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.capture.PcapWriter;
import io.mirrorsensor.sensor.capture.PcapngWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes the committed samples ({@code samples/plain.pcap}, {@code plain.pcapng}, {@code
 * vxlan.pcap}); see {@code samples/README.md} for what they hold. Deterministic: running it
 * again gives the same bytes.
 *
 * <p>Usage: {@code SampleGenerator [outputDir]} (default {@code samples}).
 */
public final class SampleGenerator {
  /** 2024-01-15T10:00:00Z: the first packet of every sample. */
  public static final long START_NANOS =
      Instant.parse("2024-01-15T10:00:00Z").getEpochSecond() * 1_000_000_000L;

  static final long SEED = 20240115L;
  static final int SNAPLEN = 65_535;
  static final long GAP_BETWEEN_CONVERSATIONS = 50_000_000L;

  /** The client ENI's mirror session and the server ENI's (AWS: one VNI per session). */
  public static final int VNI_CLIENT = 101;

  public static final int VNI_SERVER = 102;

  /** Primary addresses of the mirrored ENIs (outer sources) and of the mirror target. */
  static final byte[] CLIENT_ENI = Frames.ip("10.0.1.10");

  static final byte[] SERVER_ENI = Frames.ip("10.0.2.20");
  static final byte[] TARGET = Frames.ip("10.0.0.250");

  /** Delay of the copy seen at the far ENI when both ends are mirrored. */
  static final long MIRROR_COPY_DELAY_NANOS = 5_000;

  /** Which mirror sessions see a conversation. */
  enum Mirror {
    CLIENT_ONLY,
    SERVER_ONLY,
    BOTH
  }

  /** One inner frame as the conversation produced it. */
  record Packet(byte[] frame, long tsNanos, boolean fromClient, Mirror mirror) {}

  /** One frame to write. */
  record Out(byte[] frame, long tsNanos) {}

  private SampleGenerator() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "samples");
    generate(dir);
    System.out.println("wrote plain.pcap, plain.pcapng, vxlan.pcap to " + dir.toAbsolutePath());
  }

  /** Writes the three samples into {@code dir} (created if missing). */
  public static void generate(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Packet> packets = conversations();
    writePcap(dir.resolve("plain.pcap"), plain(packets));
    writePcapng(dir.resolve("plain.pcapng"), plain(packets));
    writePcap(dir.resolve("vxlan.pcap"), mirrored(packets));
  }

  /** The sample conversations in time order, each tagged with the sessions that mirror it. */
  static List<Packet> conversations() throws IOException {
    List<Packet> packets = new ArrayList<>();
    Mirror[] mirror = {Mirror.BOTH};
    Conversations c =
        new Conversations(
            (frame, ts, fromClient) -> packets.add(new Packet(frame, ts, fromClient, mirror[0])),
            START_NANOS,
            SEED);

    // 1. IPv4 HTTP/1.1 GET + 200 across two mirrored ENIs: every packet twice in vxlan.pcap.
    mirror[0] = Mirror.BOTH;
    c.http(
        Conversations.Endpoints.of("10.0.1.10", 49_152, "10.0.2.20", 80),
        "app.internal.example",
        "/index.html",
        200,
        "text/html",
        htmlBody(3_000));
    c.advance(GAP_BETWEEN_CONVERSATIONS);

    // 2. IPv4 DNS A query/response to the VPC resolver (client session only).
    mirror[0] = Mirror.CLIENT_ONLY;
    c.dns(
        Conversations.Endpoints.of("10.0.1.10", 53_001, "10.0.0.2", 53),
        0x1a2b,
        "www.example.com",
        Frames.ip("93.184.216.34"),
        300);
    c.advance(GAP_BETWEEN_CONVERSATIONS);

    // 3. IPv4 ICMP echo (server session only: the client session's filter takes TCP/UDP).
    mirror[0] = Mirror.SERVER_ONLY;
    c.icmpEcho(Conversations.Endpoints.of("10.0.1.10", 0, "10.0.2.20", 0), 0x0b1d, 1, 56);
    c.advance(GAP_BETWEEN_CONVERSATIONS);

    // 4. IPv6 TCP with a small HTTP exchange (client session only).
    mirror[0] = Mirror.CLIENT_ONLY;
    c.http(
        Conversations.Endpoints.of("2001:db8:1::10", 49_153, "2001:db8:2::20", 8080),
        "[2001:db8:2::20]:8080",
        "/health",
        200,
        "text/plain",
        "ok\n".getBytes(StandardCharsets.US_ASCII));
    c.advance(GAP_BETWEEN_CONVERSATIONS);

    // 5. ICMPv6 echo (client session only).
    mirror[0] = Mirror.CLIENT_ONLY;
    c.icmpEcho(Conversations.Endpoints.of("2001:db8:1::10", 0, "2001:db8:2::20", 0), 0x0c2e, 1,
        56);
    c.advance(GAP_BETWEEN_CONVERSATIONS);

    // 6. 802.1Q-tagged (VLAN 100) UDP echo-style exchange (server session only). AWS never
    // mirrors VLAN tags; this is here so decoders see one.
    mirror[0] = Mirror.SERVER_ONLY;
    c.udp(
        Conversations.Endpoints.of("10.0.1.10", 40_000, "10.0.2.20", 7).withVlan(100),
        "hello over vlan 100".getBytes(StandardCharsets.US_ASCII),
        "hello over vlan 100".getBytes(StandardCharsets.US_ASCII));
    return packets;
  }

  /** Deterministic HTML of exactly {@code length} bytes. */
  static byte[] htmlBody(int length) {
    StringBuilder sb = new StringBuilder(length + 64);
    sb.append("<!DOCTYPE html>\n<html><head><title>mirrorsensor sample</title></head><body>\n");
    int line = 0;
    while (sb.length() < length - 15) {
      sb.append("<p>line ").append(line++).append(": the quick brown fox jumps over the lazy dog</p>\n");
    }
    sb.setLength(Math.min(sb.length(), length - 15));
    while (sb.length() < length - 15) {
      sb.append(' ');
    }
    sb.append("</body></html>\n");
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static List<Out> plain(List<Packet> packets) {
    List<Out> out = new ArrayList<>(packets.size());
    for (Packet p : packets) {
      out.add(new Out(p.frame(), p.tsNanos()));
    }
    return out;
  }

  /**
   * Wraps each packet as the sessions that see it would send it. With both ends mirrored the
   * sender's ENI copy comes first and the receiver's {@link #MIRROR_COPY_DELAY_NANOS} later with
   * its TTL one lower (the packet crossed the VPC router between subnets), so a duplicate
   * detector must ignore TTL and the outer header.
   */
  static List<Out> mirrored(List<Packet> packets) {
    List<Out> out = new ArrayList<>(packets.size() * 2);
    for (Packet p : packets) {
      boolean clientFirst = p.fromClient();
      switch (p.mirror()) {
        case CLIENT_ONLY:
          out.add(new Out(Frames.vxlan(CLIENT_ENI, TARGET, VNI_CLIENT, p.frame()), p.tsNanos()));
          break;
        case SERVER_ONLY:
          out.add(new Out(Frames.vxlan(SERVER_ENI, TARGET, VNI_SERVER, p.frame()), p.tsNanos()));
          break;
        case BOTH:
          byte[] later = Frames.withTtl(p.frame(), ttl(p.frame()) - 1);
          byte[] first = p.frame();
          out.add(new Out(clientFirst
              ? Frames.vxlan(CLIENT_ENI, TARGET, VNI_CLIENT, first)
              : Frames.vxlan(SERVER_ENI, TARGET, VNI_SERVER, first), p.tsNanos()));
          out.add(new Out(clientFirst
              ? Frames.vxlan(SERVER_ENI, TARGET, VNI_SERVER, later)
              : Frames.vxlan(CLIENT_ENI, TARGET, VNI_CLIENT, later),
              p.tsNanos() + MIRROR_COPY_DELAY_NANOS));
          break;
        default:
          throw new AssertionError(p.mirror());
      }
    }
    out.sort(Comparator.comparingLong(Out::tsNanos)); // stable: equal times keep their order
    return out;
  }

  private static int ttl(byte[] frame) {
    int p = 12;
    int type = Frames.get16(frame, p);
    if (type == Frames.ETHERTYPE_VLAN) {
      p += 4;
      type = Frames.get16(frame, p);
    }
    p += 2;
    return type == Frames.ETHERTYPE_IPV4 ? frame[p + 8] & 0xFF : frame[p + 7] & 0xFF;
  }

  static void writePcap(Path file, List<Out> frames) throws IOException {
    try (PcapWriter w =
        PcapWriter.create(file, LinkType.ETHERNET, SNAPLEN, PcapWriter.Resolution.MICRO)) {
      for (Out o : frames) {
        w.write(o.frame(), 0, o.frame().length, o.frame().length, o.tsNanos());
      }
    }
  }

  static void writePcapng(Path file, List<Out> frames) throws IOException {
    try (PcapngWriter w = PcapngWriter.create(file, LinkType.ETHERNET, SNAPLEN)) {
      for (Out o : frames) {
        w.write(o.frame(), 0, o.frame().length, o.frame().length, o.tsNanos());
      }
    }
  }
}

package io.mirrorsensor.sensor.extract;

import io.mirrorsensor.decode.DecodeStatus;
import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.decode.PacketDecoder;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.capture.PcapWriter;
import io.mirrorsensor.sensor.config.SensorConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Offline carving ({@code mirrorsensor extract}): writes the packets of the matching flow(s) of a
 * capture to a classic pcap (nanosecond timestamps, original lengths kept), either as received
 * or, for VXLAN/GENEVE captures, decapsulated to the inner Ethernet frame. Packets are matched by
 * their decoded inner 5-tuple; IP fragments held for reassembly carry no ports and are not
 * matched.
 */
public final class Carver {
  private Carver() {}

  /** Which packets to keep. */
  @FunctionalInterface
  public interface Match {
    boolean test(DecodedPacket p);
  }

  /** What was carved. */
  public record Result(long read, long written, long otherLinkType) {}

  /** Packets of flows with one of {@code ids} (Community ID v1, seed 0). */
  public static Match communityIds(Set<String> ids) {
    return p -> ids.contains(FlowKey.of(p, 0).communityId());
  }

  /**
   * Packets of the flow {@code 'SRC:PORT DST:PORT PROTO'} in either direction (IPv6 as {@code
   * [addr]:port}; PROTO tcp, udp, icmp, icmpv6 or a number; ports 0 for ICMP).
   *
   * @throws IllegalArgumentException naming what is wrong with {@code spec}
   */
  public static Match flow(String spec) {
    String[] parts = spec.trim().split("\\s+");
    if (parts.length != 3) {
      throw new IllegalArgumentException("--flow '" + spec + "': expected 'SRC:PORT DST:PORT PROTO'");
    }
    Object[] a = endpoint(parts[0]);
    Object[] b = endpoint(parts[1]);
    int proto = proto(parts[2]);
    byte[] aIp = (byte[]) a[0];
    byte[] bIp = (byte[]) b[0];
    int aPort = (Integer) a[1];
    int bPort = (Integer) b[1];
    return p -> p.ipProto == proto
        && ((same(p.srcAddr, aIp) && same(p.dstAddr, bIp) && p.srcPort == aPort
            && p.dstPort == bPort)
        || (same(p.srcAddr, bIp) && same(p.dstAddr, aIp) && p.srcPort == bPort
            && p.dstPort == aPort));
  }

  private static boolean same(byte[] packetAddr, byte[] ip) {
    return Arrays.equals(packetAddr, 0, ip.length, ip, 0, ip.length);
  }

  private static Object[] endpoint(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("'" + s + "': expected ADDRESS:PORT");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!host.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("'" + s + "': the address must be an IP literal");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "': the port must be a number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("'" + s + "': port out of range");
    }
    try {
      return new Object[] {InetAddress.getByName(host).getAddress(), port};
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + s + "': not an IP address");
    }
  }

  private static int proto(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "tcp":
        return 6;
      case "udp":
        return 17;
      case "icmp":
        return 1;
      case "icmpv6":
      case "ipv6-icmp":
        return 58;
      default:
        try {
          int n = Integer.parseInt(s);
          if (n >= 0 && n <= 255) {
            return n;
          }
        } catch (NumberFormatException e) {
          // below
        }
        throw new IllegalArgumentException("protocol '" + s + "': tcp, udp, icmp, icmpv6 or 0-255");
    }
  }

  /**
   * Reads {@code in} and writes the packets {@code m} keeps to {@code out}. The output's link type
   * is the first kept packet's (Ethernet when decapsulating); packets of another link type (a
   * pcapng with mixed interfaces) are counted, not written.
   */
  public static Result carve(Path in, Match m, boolean decap, SensorConfig config, Path out)
      throws IOException {
    PacketDecoder decoder = new PacketDecoder(config.decoderConfig());
    DecodedPacket p = new DecodedPacket();
    CaptureRecord rec = new CaptureRecord();
    long read = 0;
    long other = 0;
    PcapWriter w = null;
    int linkType = -1;
    try (CaptureReader r = CaptureReader.open(in)) {
      while (r.next(rec)) {
        read++;
        DecodeStatus st = decoder.decode(rec.buf, rec.offset, rec.capLen, rec.origLen,
            rec.linkType, rec.tsNanos, p);
        if (st == DecodeStatus.FRAGMENT_HELD || !p.hasFlowKey() || p.reassembled
            || !m.test(p)) {
          continue;
        }
        int off = rec.offset;
        int cap = rec.capLen;
        int orig = rec.origLen;
        int lt = rec.linkType;
        if (decap && p.tunnelDepth > 0 && p.l2Offset >= 0) {
          off = p.l2Offset;
          cap = rec.offset + rec.capLen - off;
          orig = Math.max(cap, rec.origLen - (off - rec.offset));
          lt = LinkType.ETHERNET;
        }
        if (w == null) {
          linkType = lt;
          w = PcapWriter.create(out, lt, ExtractWriter.SNAPLEN, PcapWriter.Resolution.NANO);
        }
        if (lt != linkType) {
          other++;
          continue;
        }
        w.write(rec.buf, off, cap, orig, rec.tsNanos);
      }
      if (w == null) {
        w = PcapWriter.create(out, LinkType.ETHERNET, ExtractWriter.SNAPLEN,
            PcapWriter.Resolution.NANO);
      }
      long written = w.records();
      w.close();
      w = null;
      return new Result(read, written, other);
    } finally {
      if (w != null) {
        w.close();
      }
    }
  }
}

package io.mirrorsensor.sensor.live;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a capture as VPC Traffic Mirroring would: each frame as one UDP datagram holding a VXLAN
 * header (RFC 7348 section 5: flags 0x08, the VNI) and the frame. Frames of a capture that holds
 * VXLAN already (Ethernet, IPv4, UDP to a VXLAN port, I flag set) are forwarded as they are: their
 * UDP payload is sent unchanged, VNI included. Frames of other link types than Ethernet cannot be
 * mirrored (AWS mirrors Ethernet) and are skipped and counted.
 *
 * <p>The capture is read into memory once, then sent {@code loops} times, paced to {@code pps}
 * (0: as fast as the socket takes them).
 */
public final class VxlanSender {
  private final List<byte[]> datagrams = new ArrayList<>();
  /**
   * Per datagram, the VXLAN packet's outer IPv4 source and destination and UDP source port (from
   * the capture when forwarded, made up when wrapped): what a Gateway Load Balancer would carry in
   * GENEVE ({@link #wrapInGeneve}).
   */
  private final List<long[]> outer = new ArrayList<>();
  private long wrapped;
  private long forwarded;
  private long skipped;

  /**
   * What a send did.
   *
   * @param datagrams datagrams the kernel accepted
   * @param failed sends the kernel refused (ICMP port unreachable reported on the connected
   *     socket, ENOBUFS, ...): those datagrams never left, and are the sender's to report
   */
  public record Result(long datagrams, long failed, long bytes, long wrapped, long forwarded,
      long skipped, long elapsedNanos) {
    public double pps() {
      return elapsedNanos == 0 ? 0 : datagrams / (elapsedNanos / 1e9);
    }
  }

  /**
   * Reads {@code file}; frames that are not VXLAN already are wrapped with {@code vni}.
   *
   * @param vxlanPorts UDP ports recognised as VXLAN in the capture
   */
  public VxlanSender(Path file, int vni, int[] vxlanPorts) throws IOException {
    try (CaptureReader r = CaptureReader.open(file)) {
      CaptureRecord rec = new CaptureRecord();
      while (r.next(rec)) {
        add(rec.buf, rec.offset, rec.capLen, rec.linkType, vni, vxlanPorts);
      }
    }
  }

  private void add(byte[] b, int off, int len, int linkType, int vni, int[] ports) {
    if (linkType != LinkType.ETHERNET) {
      skipped++;
      return;
    }
    int payload = vxlanPayload(b, off, len, ports);
    if (payload >= 0) {
      byte[] d = new byte[off + len - payload];
      System.arraycopy(b, payload, d, 0, d.length);
      datagrams.add(d);
      int ip = ipOf(b, off, len); // vxlanPayload accepted IPv4 here
      outer.add(new long[] {u32(b, ip + 12), u32(b, ip + 16),
          ((b[payload - 8] & 0xFF) << 8) | (b[payload - 7] & 0xFF)});
      forwarded++;
      return;
    }
    byte[] d = new byte[8 + len];
    d[0] = 0x08; // I flag
    d[4] = (byte) (vni >>> 16);
    d[5] = (byte) (vni >>> 8);
    d[6] = (byte) vni;
    System.arraycopy(b, off, d, 8, len);
    datagrams.add(d);
    // 10.0.0.1 -> 10.0.0.2, source port from the frame (AWS: a hash of the inner flow)
    outer.add(new long[] {0x0A000001L, 0x0A000002L,
        49152 | (java.util.Arrays.hashCode(java.util.Arrays.copyOfRange(b, off + 26,
            Math.min(off + len, off + 38))) & 0x3FFF)});
    wrapped++;
  }

  private static long u32(byte[] b, int i) {
    return ((b[i] & 0xFFL) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8)
        | (b[i + 3] & 0xFF);
  }

  /**
   * Makes every datagram what a Gateway Load Balancer sends its targets (RFC 8926; AWS blog
   * "Integrate your custom logic or appliance with AWS Gateway Load Balancer"): a GENEVE header
   * (version 0, protocol 0x0800, VNI 0) with AWS's TLVs (class 0x0108: type 1 endpoint id, type
   * 2 attachment id, type 3 flow cookie), then the IPv4/UDP-4789 VXLAN mirror packet. The flow
   * cookie is derived from the VXLAN packet's outer addresses and source port (one per inner
   * flow, as a GWLB gives one per flow it hashes).
   */
  public void wrapInGeneve(long endpointId, long attachmentId) {
    for (int i = 0; i < datagrams.size(); i++) {
      byte[] vx = datagrams.get(i);
      long[] o = outer.get(i);
      int cookie = (int) (o[0] * 31 + o[1] * 17 + o[2]) * 0x9E3779B1;
      byte[] g = new byte[40 + 20 + 8 + vx.length];
      g[0] = 8; // Opt Len: 32 bytes of options
      put16(g, 2, 0x0800);
      int p = 8;
      p = option(g, p, 1, 8);
      put64(g, p - 8, endpointId);
      p = option(g, p, 2, 8);
      put64(g, p - 8, attachmentId);
      p = option(g, p, 3, 4);
      put32(g, p - 4, cookie);
      // the mirror packet: IPv4 (no options, TTL 255, ID 0, AWS style), UDP to 4789, checksum 0
      g[p] = 0x45;
      put16(g, p + 2, 20 + 8 + vx.length);
      g[p + 8] = (byte) 255;
      g[p + 9] = 17;
      put32(g, p + 12, (int) o[0]);
      put32(g, p + 16, (int) o[1]);
      int sum = 0;
      for (int k = 0; k < 20; k += 2) {
        sum += ((g[p + k] & 0xFF) << 8) | (g[p + k + 1] & 0xFF);
      }
      sum = (sum & 0xFFFF) + (sum >>> 16);
      sum = (sum & 0xFFFF) + (sum >>> 16);
      put16(g, p + 10, ~sum & 0xFFFF);
      p += 20;
      put16(g, p, (int) o[2]);
      put16(g, p + 2, 4789);
      put16(g, p + 4, 8 + vx.length);
      p += 8;
      System.arraycopy(vx, 0, g, p, vx.length);
      datagrams.set(i, g);
    }
  }

  private static int option(byte[] g, int p, int type, int dataLen) {
    put16(g, p, 0x0108);
    g[p + 2] = (byte) type;
    g[p + 3] = (byte) (dataLen / 4);
    return p + 4 + dataLen;
  }

  private static void put16(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 8);
    b[i + 1] = (byte) v;
  }

  private static void put32(byte[] b, int i, int v) {
    put16(b, i, v >>> 16);
    put16(b, i + 2, v);
  }

  private static void put64(byte[] b, int i, long v) {
    put32(b, i, (int) (v >>> 32));
    put32(b, i + 4, (int) v);
  }

  /** Offset of the IPv4 header of an Ethernet frame (after one optional VLAN tag). */
  private static int ipOf(byte[] b, int off, int len) {
    int type = ((b[off + 12] & 0xFF) << 8) | (b[off + 13] & 0xFF);
    return type == 0x8100 ? off + 18 : off + 14;
  }

  /** Offset of the UDP payload when the frame is Ethernet/IPv4/UDP-to-VXLAN, else -1. */
  static int vxlanPayload(byte[] b, int off, int len, int[] ports) {
    int end = off + len;
    int p = off + 12;
    if (p + 2 > end) {
      return -1;
    }
    int type = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    p += 2;
    if (type == 0x8100 && p + 4 <= end) {
      type = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
      p += 4;
    }
    if (type != 0x0800 || p + 20 > end || (b[p] & 0xF0) != 0x40 || b[p + 9] != 17) {
      return -1;
    }
    int udp = p + (b[p] & 0x0F) * 4;
    if (udp + 16 > end) {
      return -1;
    }
    int dport = ((b[udp + 2] & 0xFF) << 8) | (b[udp + 3] & 0xFF);
    boolean vxlanPort = false;
    for (int port : ports) {
      vxlanPort |= port == dport;
    }
    if (!vxlanPort || (b[udp + 8] & 0x08) == 0) {
      return -1;
    }
    return udp + 8;
  }

  public int frames() {
    return datagrams.size();
  }

  /** Sends every datagram {@code loops} times to {@code to}, paced to {@code pps} (0 = unpaced). */
  public Result send(InetSocketAddress to, long pps, int loops) throws IOException {
    long bytes = 0;
    long n = 0;
    long failed = 0;
    long start = System.nanoTime();
    double gap = pps > 0 ? 1e9 / pps : 0;
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.connect(to);
      ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
      for (int loop = 0; loop < loops; loop++) {
        for (byte[] d : datagrams) {
          if (gap > 0) {
            long due = start + (long) ((n + failed) * gap);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
              if (wait > 100_000) {
                LockSupport.parkNanos(wait - 50_000);
              } else {
                Thread.onSpinWait();
              }
            }
          }
          buf.clear();
          buf.put(d).flip();
          try {
            if (ch.write(buf) == 0) {
              failed++;
              continue;
            }
          } catch (java.net.PortUnreachableException e) {
            // ICMP port unreachable from an earlier datagram: nobody listens (yet); this one was
            // not sent (Linux reports the pending error instead of sending); keep sending
            failed++;
            continue;
          } catch (IOException e) {
            if (!ch.isOpen()) {
              throw e;
            }
            failed++; // ENOBUFS and the like: the datagram was not sent
            continue;
          }
          bytes += d.length;
          n++;
        }
      }
    }
    return new Result(n, failed, bytes, wrapped * loops, forwarded * loops, skipped * loops,
        System.nanoTime() - start);
  }
}

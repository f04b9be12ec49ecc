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
  private long wrapped;
  private long forwarded;
  private long skipped;

  /** What a send did. */
  public record Result(long datagrams, long bytes, long wrapped, long forwarded, long skipped,
      long elapsedNanos) {
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
    wrapped++;
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
    long start = System.nanoTime();
    double gap = pps > 0 ? 1e9 / pps : 0;
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.connect(to);
      ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
      for (int loop = 0; loop < loops; loop++) {
        for (byte[] d : datagrams) {
          if (gap > 0) {
            long due = start + (long) (n * gap);
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
            ch.write(buf);
          } catch (java.net.PortUnreachableException e) {
            // ICMP port unreachable from an earlier datagram: nobody listens yet; keep sending
          }
          bytes += d.length;
          n++;
        }
      }
    }
    return new Result(n, bytes, wrapped * loops, forwarded * loops, skipped * loops,
        System.nanoTime() - start);
  }
}

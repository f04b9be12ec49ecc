package io.mirrorsensor.sensor.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the kernel holds or dropped for our sockets, from {@code /proc/net/udp} and
 * {@code /proc/net/udp6} (proc(5)), summed over the sockets bound to our port (with SO_REUSEPORT
 * these are all ours): the {@code drops} column (datagrams dropped because a receive buffer was
 * full: the kernel counts the same event in the socket's drops and in {@code /proc/net/snmp}
 * {@code Udp: RcvbufErrors}, so nothing is missed here), and the {@code rx_queue} column (bytes
 * of datagrams received by the kernel and not yet read; a socket closed with bytes queued
 * discards them without counting them anywhere). -1 where /proc is not there.
 */
final class KernelDrops {
  private static final int DROPS = -1;
  private static final int RX_QUEUE = -2;

  private KernelDrops() {}

  /** Datagrams the kernel dropped on our port's sockets, -1 when unknown. */
  static long read(int port) {
    return sum(port, DROPS);
  }

  /** Bytes (kernel accounting: skb truesize) waiting unread in our port's sockets, or -1. */
  static long queuedBytes(int port) {
    return sum(port, RX_QUEUE);
  }

  private static long sum(int port, int what) {
    long total = -1;
    for (String f : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(f));
      } catch (IOException | SecurityException e) {
        continue;
      }
      total = Math.max(total, 0);
      for (int i = 1; i < lines.size(); i++) {
        String[] c = lines.get(i).trim().split("\\s+");
        if (c.length < 13) {
          continue;
        }
        String local = c[1];
        int colon = local.lastIndexOf(':');
        try {
          if (colon > 0 && Integer.parseInt(local.substring(colon + 1), 16) == port) {
            if (what == DROPS) {
              total += Long.parseLong(c[c.length - 1]);
            } else {
              String q = c[4]; // tx_queue:rx_queue, hex
              total += Long.parseLong(q.substring(q.indexOf(':') + 1), 16);
            }
          }
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
          // a line we do not understand: not ours to count
        }
      }
    }
    return total;
  }
}

package io.mirrorsensor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel's view of a UDP port on this host, from {@code /proc/net/udp} and {@code udp6}
 * (proc(5)): datagrams
 * dropped for a full receive buffer, bytes queued unread. The harness reads it for receivers it
 * does not own (a C program) and for its Netty counting receiver.
 */
final class UdpSocket {
  private UdpSocket() {}

  /** Drops of the sockets bound to {@code port}, or -1 when there is none. */
  static long drops(int port) {
    return column(port, true);
  }

  /** Bytes queued unread on {@code port}'s sockets, or -1 when there is none. */
  static long queued(int port) {
    return column(port, false);
  }

  /** Waits (up to 10 s) until the receiver has read everything the kernel queued for it. */
  static void awaitDrained(int port) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (queued(port) > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(2_000_000L);
    }
  }

  /** Summed over /proc/net/udp and udp6: Netty's epoll sockets are IPv6 (dual-stack) ones. */
  private static long column(int port, boolean drops) {
    long total = -1;
    for (String file : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(file));
      } catch (IOException e) {
        continue;
      }
      for (int i = 1; i < lines.size(); i++) {
        String[] c = lines.get(i).trim().split("\\s+");
        String local = c[1];
        if (c.length < 13
            || Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16) != port) {
          continue;
        }
        total = Math.max(total, 0);
        if (drops) {
          total += Long.parseLong(c[c.length - 1]);
        } else {
          total += Long.parseLong(c[4].substring(c[4].indexOf(':') + 1), 16);
        }
      }
    }
    return total;
  }
}

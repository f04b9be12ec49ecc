package io.mirrorsensor.sensor.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Datagrams the kernel dropped because a socket's receive buffer was full: the {@code drops}
 * column of {@code /proc/net/udp} and {@code /proc/net/udp6} (proc(5)), summed over the sockets
 * bound to our port (with SO_REUSEPORT these are all ours). -1 where /proc is not there.
 */
final class KernelDrops {
  private KernelDrops() {}

  static long read(int port) {
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
            total += Long.parseLong(c[c.length - 1]);
          }
        } catch (NumberFormatException e) {
          // a line we do not understand: not ours to count
        }
      }
    }
    return total;
  }
}

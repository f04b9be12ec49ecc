package io.mirrorsensor.sensor.cli;

import io.mirrorsensor.sensor.engine.ReplayRunner;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line progress bar on a terminal: bytes read of total, packets/s, file n of m. */
final class ProgressBar implements ReplayRunner.Progress {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private boolean drawn;

  ProgressBar(PrintStream out) {
    this.out = out;
  }

  /** True when standard error is a terminal (Linux: /proc/self/fd/2 names a tty). */
  static boolean stderrIsTerminal() {
    String forced = System.getProperty("mirrorsensor.progress");
    if (forced != null) {
      return Boolean.parseBoolean(forced);
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void update(int fileIndex, int fileCount, Path file, long position, long size,
      long packets, long elapsedNanos) {
    double frac = size > 0 ? Math.min(1.0, (double) position / size) : 0;
    int filled = (int) Math.round(frac * WIDTH);
    double secs = elapsedNanos / 1e9;
    StringBuilder sb = new StringBuilder("\r[");
    for (int i = 0; i < WIDTH; i++) {
      sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    sb.append(String.format("] %3.0f%% %s/%s %,.0f pkt/s", frac * 100, size(position), size(size),
        secs > 0 ? packets / secs : 0));
    if (fileCount > 1) {
      sb.append(String.format(" file %d/%d", fileIndex + 1, fileCount));
    }
    sb.append(' ').append(file.getFileName()).append("\u001b[K");
    out.print(sb);
    out.flush();
    drawn = true;
  }

  @Override
  public void done() {
    if (drawn) {
      out.print("\r\u001b[K");
      out.flush();
    }
  }

  private static String size(long b) {
    if (b >= 1L << 30) {
      return String.format("%.2f GiB", b / (double) (1L << 30));
    }
    if (b >= 1L << 20) {
      return String.format("%.1f MiB", b / (double) (1L << 20));
    }
    return String.format("%.1f KiB", b / 1024.0);
  }
}

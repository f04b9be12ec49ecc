package io.mirrorsensor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process's threads, grouped by role, from {@code /proc/self/task/TID/schedstat}
 * (first field: nanoseconds on a CPU; proc(5)) and {@code comm} (the thread name, cut at 15
 * characters). On a shared machine CPU time per packet at a fixed rate is a steadier measure than
 * the highest lossless rate. A thread that ended between two snapshots is missing from the later
 * one: take both while the threads measured are alive.
 */
final class ThreadCpu {
  private ThreadCpu() {}

  /** Nanoseconds on a CPU so far, per role: receive, worker, output, sender, main (the harness), other (JIT, GC). */
  static Map<String, Long> snapshot() {
    Map<String, Long> m = new TreeMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : tasks) {
        try {
          String comm = new String(Files.readAllBytes(t.resolve("comm")),
              StandardCharsets.US_ASCII).trim();
          String s = new String(Files.readAllBytes(t.resolve("schedstat")),
              StandardCharsets.US_ASCII).trim();
          long ns = Long.parseLong(s.substring(0, s.indexOf(' ')));
          m.merge(role(comm), ns, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended while we looked: not counted
        }
      }
    } catch (IOException e) {
      return m; // no /proc: no figures
    }
    return m;
  }

  /** With {@code -Dharness.cpu.detail=true}: "other" is split by thread name (digits dropped). */
  private static final boolean DETAIL = Boolean.getBoolean("harness.cpu.detail");

  private static String role(String comm) {
    if (comm.startsWith("mirrorsensor-re") || comm.startsWith("harness-receiv")) {
      return "receive";
    }
    if (comm.startsWith("mirrorsensor-wo")) {
      return "worker";
    }
    if (comm.startsWith("mirrorsensor-ou")) {
      return "output";
    }
    if (comm.startsWith("harness-sender")) {
      return "sender";
    }
    if (comm.equals("main") || comm.equals("java")) {
      return "main";
    }
    return DETAIL ? "other:" + comm.replaceAll("[0-9]", "") : "other";
  }

  /** {@code after - before} per role, in ns per packet, as one line. */
  static String perPacket(Map<String, Long> before, Map<String, Long> after, long packets) {
    StringBuilder sb = new StringBuilder("cpu ns/packet:");
    long total = 0;
    for (String role : new String[] {"receive", "worker", "output", "sender", "main", "other"}) {
      long d = after.getOrDefault(role, 0L) - before.getOrDefault(role, 0L);
      if (d > 0 && after.containsKey(role)) {
        total += d;
        sb.append(String.format(" %s %.0f", role, (double) d / Math.max(1, packets)));
      }
    }
    for (String role : after.keySet()) {
      long d = after.get(role) - before.getOrDefault(role, 0L);
      if (role.startsWith("other:") && d > 0) {
        total += d;
        sb.append(String.format(" %s %.0f", role, (double) d / Math.max(1, packets)));
      }
    }
    sb.append(String.format(" | all %.0f", (double) total / Math.max(1, packets)));
    return sb.toString();
  }
}

package io.mirrorsensor.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command for {@link BenchRun}: wall time measured here, peak RSS and CPU time
 * (user + system) from {@code /usr/bin/time -f "%M %U %S"} when it is installed (else -1 and
 * NaN), standard output kept (for the harnesses whose figures are parsed), standard error's tail
 * kept for failures.
 */
final class Proc {
  private static final Path TIME = Path.of("/usr/bin/time");

  /** What one run did. */
  record Result(int exit, double seconds, long peakRssKib, double cpuSeconds, String stdout,
      String stderrTail) {
    boolean ok(int... acceptable) {
      for (int a : acceptable) {
        if (a == exit) {
          return true;
        }
      }
      return exit == 0;
    }
  }

  private Proc() {}

  /** True when {@code tool} is an executable file in a directory of PATH. */
  static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code cmd}, killing it after {@code timeoutSeconds}; never throws for a failed tool. */
  static Result run(List<String> cmd, Path scratch, long timeoutSeconds)
      throws IOException, InterruptedException {
    Files.createDirectories(scratch);
    Path rss = Files.createTempFile(scratch, "rss", ".txt");
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    List<String> full = new ArrayList<>();
    boolean timed = Files.isExecutable(TIME);
    if (timed) {
      full.addAll(List.of(TIME.toString(), "-f", "%M %U %S", "-o", rss.toString()));
    }
    full.addAll(cmd);
    long t0 = System.nanoTime();
    Process p;
    try {
      p = new ProcessBuilder(full).redirectOutput(out.toFile()).redirectError(err.toFile())
          .start();
    } catch (IOException e) {
      return new Result(127, 0, -1, Double.NaN, "", e.getMessage());
    }
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long kib = -1;
    double cpu = Double.NaN;
    if (timed) {
      for (String line : Files.readAllLines(rss)) {
        if (line.matches("\\d+ [\\d.]+ [\\d.]+")) {
          String[] f = line.split(" ");
          kib = Long.parseLong(f[0]);
          cpu = Double.parseDouble(f[1]) + Double.parseDouble(f[2]);
        }
      }
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    Files.deleteIfExists(rss);
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    String tail = stderr.length() > 2000 ? stderr.substring(stderr.length() - 2000) : stderr;
    return new Result(done ? p.exitValue() : -9, secs, kib, cpu, stdout, tail);
  }
}

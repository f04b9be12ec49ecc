package io.mirrorsensor.bench.gen;

import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Measures {@link CaptureReader} alone on one file: reads it {@code passes} times (the first
 * warms the JIT and the page cache) touching one byte per record, and prints MB/s and records/s
 * per pass. Lives beside the generators because it measures the files they make.
 *
 * <p>Usage: {@code ReadThroughput <capture> [passes]}.
 */
public final class ReadThroughput {
  private ReadThroughput() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ReadThroughput <capture> [passes]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    long checksum = 0;
    for (int pass = 1; pass <= passes; pass++) {
      long start = System.nanoTime();
      long records = 0;
      try (CaptureReader r = CaptureReader.open(file)) {
        CaptureRecord rec = new CaptureRecord();
        while (r.next(rec)) {
          records++;
          checksum += rec.buf[rec.offset] + rec.capLen; // keep the loop honest
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "pass %d: %s %d records %.0f MB in %.3f s: %.0f MB/s, %.1f M records/s%s%n",
            pass, r.format(), records, r.size() / 1e6, s, r.size() / 1e6 / s, records / s / 1e6,
            r.damage() == null ? "" : " (" + r.damage() + ")");
      }
    }
    System.out.println("(checksum " + checksum + ")");
  }
}

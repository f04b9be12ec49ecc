package io.mirrorsensor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Raises {@code net.core.rmem_max} for a harness run (root only) and puts the old value back:
 * at the end of the run and, should the run be interrupted, from a shutdown hook. The sensor asks
 * for {@code live.receive_buffer_bytes} (32 MiB) and the kernel caps it at this value.
 */
final class RmemMax {
  private static final Path FILE = Path.of("/proc/sys/net/core/rmem_max");
  private static Thread hook;

  private RmemMax() {}

  /** Sets it to {@code bytes}; returns the old value. */
  static synchronized String raise(long bytes) throws IOException {
    // Not Files.readString: it trusts the size procfs reports and came back with "4" for
    // "4194304" on this kernel.
    String old = new String(Files.newInputStream(FILE).readAllBytes(),
        java.nio.charset.StandardCharsets.US_ASCII).trim();
    if (!old.matches("[0-9]+")) {
      throw new IOException("unexpected " + FILE + ": " + old);
    }
    hook = new Thread(() -> write(old));
    Runtime.getRuntime().addShutdownHook(hook);
    Files.writeString(FILE, Long.toString(bytes));
    System.out.printf("net.core.rmem_max %s -> %d for this run (restored at the end)%n", old, bytes);
    return old;
  }

  static synchronized void restore(String old) {
    write(old);
    Runtime.getRuntime().removeShutdownHook(hook);
    System.out.printf("net.core.rmem_max restored to %s%n", old);
  }

  private static void write(String value) {
    try {
      Files.writeString(FILE, value);
    } catch (IOException e) {
      System.err.println("could not restore net.core.rmem_max to " + value + ": " + e);
    }
  }
}

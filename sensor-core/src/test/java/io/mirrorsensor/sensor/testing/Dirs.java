package io.mirrorsensor.sensor.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and ../shared are, as surefire tells the tests. */
public final class Dirs {
  private Dirs() {}

  /** The repository root. */
  public static Path root() {
    String r = System.getProperty("mirrorsensor.root");
    if (r != null) {
      return Path.of(r);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    return p == null ? Path.of("") : p;
  }

  /**
   * ../shared/corpus; where it is absent (a user's fresh clone) the calling test is skipped, with a
   * line on standard error saying so (JUnit does not print why a test factory was skipped).
   */
  public static Path corpusOrSkip(String what) {
    Path corpus = corpus();
    if (corpus == null) {
      System.err.println("SKIPPED " + what + ": ../shared/corpus is not beside the checkout"
          + " (CI always has it; set -Dmirrorsensor.shared=DIR to point elsewhere)");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(corpus != null,
        "../shared/corpus is absent: " + what + " skipped");
    return corpus;
  }

  /** ../shared/corpus, or null when absent (a user's fresh clone). */
  public static Path corpus() {
    String s = System.getProperty("mirrorsensor.shared");
    Path shared = s != null ? Path.of(s) : root().resolve("../shared");
    Path corpus = shared.resolve("corpus").normalize();
    return Files.isDirectory(corpus) ? corpus : null;
  }
}

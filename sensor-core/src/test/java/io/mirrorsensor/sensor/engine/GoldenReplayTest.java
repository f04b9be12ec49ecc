package io.mirrorsensor.sensor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.testing.Dirs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden tests through the real replay path. Each case is a folder under
 * {@code sensor-core/src/test/golden/replay/} holding {@code case.properties} ({@code input}: the
 * capture(s), relative to the repository root, space separated; optional {@code config}: a config
 * file in the case folder) and the expected {@code eve.json} and {@code flows.log}.
 *
 * <p>Outputs are deterministic (packet time only) but for the stats event's uptime, which is
 * masked; they are compared line for line after sorting (future multi-worker runs may interleave
 * records). To accept new output after a
 * deliberate change, run:
 *
 * <pre>
 * ./mvnw -B -pl sensor-core -am verify -Dtest=GoldenReplayTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true
 * </pre>
 *
 * and review the diff of the golden folder before committing it.
 */
class GoldenReplayTest {
  static final Path GOLDEN = Path.of("src/test/golden/replay");

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> replayMatchesGolden() throws IOException {
    Path dir = Dirs.root().resolve("sensor-core").resolve(GOLDEN);
    List<Path> cases = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(Files::isDirectory).sorted().forEach(cases::add);
    }
    assertFalse(cases.isEmpty(), "no golden cases in " + dir);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(),
        () -> runCase(c)));
  }

  private void runCase(Path caseDir) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(caseDir.resolve("case.properties"))) {
      p.load(r);
    }
    List<Path> inputs = new ArrayList<>();
    for (String in : p.getProperty("input").trim().split("\\s+")) {
      inputs.add(Dirs.root().resolve(in));
    }
    SensorConfig cfg = p.getProperty("config") == null ? SensorConfig.defaults()
        : ConfigLoader.load(caseDir.resolve(p.getProperty("config")));
    Path out = tmp.resolve(caseDir.getFileName().toString());
    ReplaySummary sum = ReplayRunner.replay(cfg, inputs, out,
        new PrintStream(PrintStream.nullOutputStream()));
    assertTrue(sum.packets() > 0, "case replayed no packets");
    boolean update = Boolean.getBoolean("golden.update");
    for (String name : new String[] {"eve.json", "flows.log"}) {
      List<String> actual = normalised(Files.readAllLines(out.resolve(name)));
      Path expectedFile = caseDir.resolve(name);
      if (update) {
        Files.write(expectedFile, actual);
        continue;
      }
      assertTrue(Files.exists(expectedFile), "missing " + expectedFile
          + ": run with -Dgolden.update=true to create it");
      List<String> expected = normalised(Files.readAllLines(expectedFile));
      assertEquals(String.join("\n", expected), String.join("\n", actual),
          caseDir.getFileName() + "/" + name + " differs from the golden file");
    }
  }

  /** The one wall-clock value in the output: the stats event's uptime. */
  private static final java.util.regex.Pattern UPTIME =
      java.util.regex.Pattern.compile("\"uptime\":\\d+");

  private static List<String> normalised(List<String> lines) {
    String[] a = lines.stream().filter(l -> !l.isBlank())
        .map(l -> UPTIME.matcher(l).replaceAll("\"uptime\":0"))
        .toArray(String[]::new);
    // flows.log keeps its header first; everything else is order-independent.
    if (a.length > 0 && a[0].startsWith("version ")) {
      Arrays.sort(a, 1, a.length);
    } else {
      Arrays.sort(a);
    }
    return List.of(a);
  }
}

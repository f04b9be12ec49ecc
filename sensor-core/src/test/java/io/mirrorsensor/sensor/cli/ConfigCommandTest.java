package io.mirrorsensor.sensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.OpsConfig;
import io.mirrorsensor.sensor.config.SensorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mirrorsensor config --print-defaults} and {@code --check}. */
class ConfigCommandTest {
  @TempDir Path tmp;

  private static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8),
          e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void printedDefaultsAreCommentedYamlThatLoadsBackToTheDefaults() throws Exception {
    String[] r = run("config", "--print-defaults");
    assertEquals("0", r[0], r[2]);
    String yaml = r[1];
    assertTrue(yaml.contains("flow:\n"), yaml);
    assertTrue(yaml.contains("  # a duration (ns, us, ms, s, m, h)\n  idle_timeout: \"60s\"\n"),
        yaml);
    assertTrue(yaml.contains("  account_id: \"-\"\n"), yaml);
    Path f = tmp.resolve("defaults.yaml");
    Files.writeString(f, yaml);
    ConfigLoader.Loaded l = ConfigLoader.loadAll(f);
    SensorConfig d = SensorConfig.defaults();
    assertEquals(d.live(), l.sensor().live());
    assertEquals(d.tcp(), l.sensor().tcp());
    assertEquals(d.flowIdleTimeoutNanos(), l.sensor().flowIdleTimeoutNanos());
    assertEquals(d.accountId(), l.sensor().accountId());
    assertEquals(OpsConfig.defaults(), l.ops());
    // Every key the loader reads is in the file, with the loader's default.
    for (ConfigLoader.KeyDefault k : ConfigLoader.defaultsTable()) {
      String last = k.key().substring(k.key().lastIndexOf('.') + 1);
      assertTrue(yaml.contains(last + ": " + ConfigCommand.scalar(k.value()) + "\n"), k.key());
    }
  }

  @Test
  void checkReportsTheFirstProblemOrValid() throws Exception {
    Path ok = tmp.resolve("ok.yml");
    Files.writeString(ok, "flow: {idle_timeout: 10s}\n");
    String[] r = run("config", "--check", ok.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("valid"));
    Path bad = tmp.resolve("bad.yml");
    Files.writeString(bad, "flow: {max_flows: many}\n");
    r = run("config", "--check", bad.toString());
    assertEquals("1", r[0]);
    assertTrue(r[2].contains(bad + ": flow.max_flows=many is not valid"), r[2]);
    assertEquals("2", run("config")[0], "an action is required");
  }
}

package io.mirrorsensor.sensor.cli;

import io.mirrorsensor.sensor.capture.CaptureFormatException;
import io.mirrorsensor.sensor.config.ConfigException;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.engine.ReplayRunner;
import io.mirrorsensor.sensor.engine.ReplaySummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mirrorsensor replay FILE...}: offline analysis of pcap / pcapng files. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replay pcap or pcapng files (plain or VXLAN-encapsulated mirror traffic) through the"
          + " sensor and write its findings.",
      "",
      "Writes DIR/eve.json (EVE JSON: flow and anomaly events) and DIR/flows.log (VPC Flow Logs"
          + " version 2), replacing files of those names. Several files are replayed in order as"
          + " one capture.",
      "",
      "Exit status: 0 done; 1 a file, directory or config could not be used; 2 bad usage;"
          + " 3 a capture was damaged (everything before the damage was processed, and the"
          + " summary says where the damage is)."
    })
final class ReplayCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "pcap or pcapng files")
  List<Path> files;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
      description = "output directory, created if missing (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--config", paramLabel = "FILE",
      description = "properties file (see docs/CONFIG.md); without it, defaults apply")
  Path config;

  @Option(names = "--quiet", description = "no progress bar and no summary")
  boolean quiet;

  @Option(names = "--rules", paramLabel = "FILE", split = ",",
      description = "Suricata-style rule files to check every packet against (comma-separated or"
          + " repeated); alerts go to eve.json. Rules that need what the sensor lacks are skipped"
          + " and counted (see `mirrorsensor rules check`).")
  List<Path> rules;

  @Override
  public Integer call() {
    PrintStream err = System.err;
    SensorConfig cfg;
    try {
      cfg = config == null ? SensorConfig.defaults() : ConfigLoader.load(config);
    } catch (ConfigException e) {
      err.println("mirrorsensor: " + e.getMessage());
      return Main.EXIT_ERROR;
    }
    if (rules != null && !rules.isEmpty()) {
      io.mirrorsensor.rules.RuleSet set = RulesOption.load(rules, err);
      if (set == null) {
        return Main.EXIT_ERROR;
      }
      cfg = cfg.withRules(set);
    }
    for (Path f : files) {
      if (!Files.exists(f)) {
        err.println("mirrorsensor: no such file: " + f);
        return Main.EXIT_ERROR;
      }
      if (Files.isDirectory(f)) {
        err.println("mirrorsensor: " + f + " is a directory, not a capture file");
        return Main.EXIT_ERROR;
      }
      if (!Files.isReadable(f)) {
        err.println("mirrorsensor: cannot read " + f + ": permission denied");
        return Main.EXIT_ERROR;
      }
    }
    Outputs outputs;
    try {
      outputs = Outputs.open(out, cfg, err);
    } catch (Outputs.OutputException e) {
      err.println("mirrorsensor: " + e.getMessage());
      return Main.EXIT_ERROR;
    }
    ReplayRunner.Progress bar = !quiet && ProgressBar.stderrIsTerminal() ? new ProgressBar(err) : null;
    ReplayRunner runner = new ReplayRunner(cfg, files, outputs, bar);
    // SIGTERM / Ctrl-C: stop reading, end flows, flush, then let the JVM exit.
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      runner.stop();
      try {
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "mirrorsensor-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return replay(runner, outputs, err);
    } finally {
      // Only now may a pending SIGTERM let the JVM exit: outputs are closed, summary printed.
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is running and returns now that we are finished
      }
    }
  }

  private int replay(ReplayRunner runner, Outputs outputs, PrintStream err) {
    ReplaySummary summary;
    try {
      summary = runner.run();
    } catch (CaptureFormatException e) {
      err.println("mirrorsensor: " + e.getMessage());
      return Main.EXIT_ERROR;
    } catch (IOException e) {
      err.println("mirrorsensor: cannot read capture: " + e);
      return Main.EXIT_ERROR;
    }
    if (!quiet) {
      err.println(summary.render());
      err.println("  output    " + outputs.eveFile() + ", " + outputs.flowLogFile());
    }
    err.flush();
    return summary.damage().isEmpty() ? 0 : Main.EXIT_DAMAGED;
  }
}

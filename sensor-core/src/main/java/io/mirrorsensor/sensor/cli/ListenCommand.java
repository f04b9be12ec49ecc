package io.mirrorsensor.sensor.cli;

import io.mirrorsensor.sensor.config.ConfigException;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.live.LiveRunner;
import io.mirrorsensor.sensor.live.LiveSummary;
import io.mirrorsensor.sensor.ops.OpsRuntime;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mirrorsensor listen}: the live sensor, receiving VXLAN mirror traffic on UDP. */
@Command(
    name = "listen",
    mixinStandardHelpOptions = true,
    description = {
      "Receive VPC Traffic Mirroring traffic (VXLAN on UDP, and GENEVE from a Gateway Load"
          + " Balancer) and write findings live.",
      "",
      "Writes DIR/eve.json (flow, anomaly and periodic stats events) and DIR/flows.log, replacing"
          + " files of those names. Ctrl-C or SIGTERM stops receiving, drains the queues, ends"
          + " every flow, flushes the files, prints a summary whose counters add up"
          + " (received = processed + dropped by reason) and exits 0.",
      "",
      "Exit status: 0 stopped cleanly; 1 the port, directory or config could not be used;"
          + " 2 bad usage."
    })
final class ListenCommand implements Callable<Integer> {
  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
      description = "local address to listen on (default: ${DEFAULT-VALUE})")
  String bind;

  @Option(names = "--port", paramLabel = "PORT",
      description = "UDP port for VXLAN (default: live.vxlan_port, 4789)")
  Integer port;

  @Option(names = "--geneve-port", paramLabel = "PORT",
      description = "UDP port for GENEVE from a Gateway Load Balancer, or off"
          + " (default: live.geneve_port, 6081); 0 picks a free port")
  String genevePort;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
      description = "output directory, created if missing (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--config", paramLabel = "FILE",
      description = "properties or YAML (.yaml/.yml) file (see docs/CONFIG.md); without it,"
          + " defaults apply")
  Path config;

  @Option(names = "--http", paramLabel = "PORT",
      description = "serve /health, /metrics and / on ops.http.bind (default 127.0.0.1) at this"
          + " TCP port (0: any free port); also turned on by ops.http.enabled")
  Integer http;

  @Option(names = "--rules", paramLabel = "FILE", split = ",",
      description = "Suricata-style rule files every worker checks packets against (comma-separated"
          + " or repeated); alerts go to eve.json")
  java.util.List<java.nio.file.Path> rules;

  @Option(names = "--watch",
      description = "with --rules: reload the rule files when they change (polled every second);"
          + " SIGHUP reloads them too. A file with errors keeps the loaded rules")
  boolean watch;

  @Override
  public Integer call() {
    PrintStream err = System.err;
    SensorConfig cfg;
    io.mirrorsensor.sensor.config.OpsConfig opsCfg;
    try {
      ConfigLoader.Loaded loaded = config == null ? ConfigLoader.loadAll(new java.util
          .Properties(), "defaults") : ConfigLoader.loadAll(config);
      cfg = loaded.sensor();
      opsCfg = loaded.ops();
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
      RulesOption.Reloader reloader = new RulesOption.Reloader(rules, set, err);
      reloader.onSighup();
      if (watch) {
        reloader.watch(1000);
      }
    } else if (watch) {
      err.println("mirrorsensor: --watch needs --rules");
      return 2;
    }
    int p = port != null ? port : cfg.live().vxlanPort();
    if (p < 0 || p > 65535) {
      err.println("mirrorsensor: --port " + p + ": expected 0 to 65535");
      return 2;
    }
    int g = cfg.live().genevePort();
    if (genevePort != null) {
      if (genevePort.equals("off")) {
        g = -1;
      } else {
        try {
          g = Integer.parseInt(genevePort);
        } catch (NumberFormatException e) {
          g = -2;
        }
        if (g < 0 || g > 65535) {
          err.println("mirrorsensor: --geneve-port " + genevePort + ": expected 0 to 65535 or off");
          return 2;
        }
      }
    }
    if (g >= 0 && cfg.live().genevePorts().isEmpty()) {
      err.println("mirrorsensor: --geneve-port " + g + ": geneve.ports is off in the config, so"
          + " GENEVE datagrams could not be decoded; use --geneve-port off or set geneve.ports");
      return 2;
    }
    if (http != null) {
      if (http < 0 || http > 65535) {
        err.println("mirrorsensor: --http " + http + ": expected 0 to 65535");
        return 2;
      }
      opsCfg = opsCfg.withHttpPort(http);
    }
    Outputs outputs;
    try {
      outputs = Outputs.open(out, cfg, err);
    } catch (Outputs.OutputException e) {
      err.println("mirrorsensor: " + e.getMessage());
      return Main.EXIT_ERROR;
    }
    LiveRunner runner = new LiveRunner(cfg, bind, p, g, outputs, err);
    OpsRuntime ops;
    try {
      ops = OpsRuntime.open(opsCfg, cfg, out, outputs.eveFile(), err);
    } catch (java.io.IOException e) {
      err.println("mirrorsensor: " + e.getMessage());
      outputs.close();
      return Main.EXIT_ERROR;
    }
    ops.attach(runner);
    try {
      runner.start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ops.close();
      return Main.EXIT_ERROR;
    } catch (RuntimeException e) {
      ops.close();
      err.println("mirrorsensor: cannot listen on " + bind + ":" + p
          + (g >= 0 ? " and GENEVE " + bind + ":" + g : "") + ": " + e.getMessage());
      return Main.EXIT_ERROR;
    }
    if (ops.httpAddress() != null) {
      err.printf("http on %s:%d: /health, /metrics, /%n",
          ops.httpAddress().getAddress().getHostAddress(), ops.httpAddress().getPort());
    }
    if (ops.tcpHealthAddress() != null) {
      err.printf("tcp health check on %s:%d: accepts connections while healthy%n",
          ops.tcpHealthAddress().getAddress().getHostAddress(), ops.tcpHealthAddress().getPort());
    }
    err.printf("listening on %s:%d (UDP, VXLAN)%s: %s, %s, %d receive loop%s, %d worker%s,"
        + " receive buffer %,d bytes; writing %s, %s; Ctrl-C to stop%n", bind, runner.port(),
        runner.genevePort() >= 0
            ? " and " + bind + ":" + runner.genevePort() + " (UDP, GENEVE)" : "",
        runner.epoll() ? "epoll with SO_REUSEPORT" : "NIO", runner.readMode(), runner.eventLoops(),
        runner.eventLoops() == 1 ? "" : "s", runner.workers(), runner.workers() == 1 ? "" : "s",
        runner.receiveBufferBytes(), outputs.eveFile(), outputs.flowLogFile());
    // SIGTERM / Ctrl-C: the hook stops the run and waits until the summary is printed.
    try (SignalStop signal = new SignalStop()) {
      signal.awaitStop();
      ops.stopping(); // /health answers 503 from now on: a load balancer drains this sensor
      LiveSummary s = runner.stop();
      ops.close();
      err.println(s.render());
      err.flush();
      return 0;
    }
  }
}

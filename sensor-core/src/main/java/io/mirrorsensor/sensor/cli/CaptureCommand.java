package io.mirrorsensor.sensor.cli;

import io.mirrorsensor.sensor.config.ConfigException;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.live.CaptureRunner;
import io.mirrorsensor.sensor.live.CaptureSummary;
import io.mirrorsensor.sensor.live.InterfaceCapture;
import io.mirrorsensor.sensor.pipeline.Pipeline;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mirrorsensor capture}: the live sensor reading frames from an interface with libpcap. */
@Command(
    name = "capture",
    mixinStandardHelpOptions = true,
    description = {
      "Capture on a network interface with libpcap and write findings live: plain traffic, or"
          + " VXLAN/GENEVE mirror traffic arriving on that interface (decapsulated as in replay).",
      "",
      "Writes DIR/eve.json (flow, anomaly and periodic stats events) and DIR/flows.log, replacing"
          + " files of those names. Ctrl-C or SIGTERM stops capturing, reads what libpcap still"
          + " holds, drains the queues, ends every flow, flushes the files, prints a summary whose"
          + " counters add up (captured = processed + dropped; libpcap's received and kernel"
          + " drops beside them) and exits 0.",
      "",
      "Needs libpcap (apt-get install libpcap0.8) and root or CAP_NET_RAW.",
      "",
      "Exit status: 0 stopped cleanly; 1 libpcap, the interface, permission, directory or config"
          + " could not be used, or the capture failed; 2 bad usage (a bad --filter)."
    })
final class CaptureCommand implements Callable<Integer> {
  @Option(names = "--interface", paramLabel = "IF", required = true,
      description = "interface to capture on (e.g. eth0, lo, any)")
  String iface;

  @Option(names = "--filter", paramLabel = "BPF",
      description = "BPF filter, tcpdump syntax (e.g. 'udp port 4789'); default: everything")
  String filter;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
      description = "output directory, created if missing (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--config", paramLabel = "FILE",
      description = "properties or YAML (.yaml/.yml) file (see docs/CONFIG.md); without it,"
          + " defaults apply")
  Path config;

  @Option(names = "--snaplen", paramLabel = "N",
      description = "bytes captured of each frame (default and largest:"
          + " pipeline.max_frame_bytes + 64, 9,280)")
  Integer snaplen;

  @Option(names = "--buffer-bytes", paramLabel = "N",
      description = "libpcap's kernel buffer (default: live.receive_buffer_bytes, 32 MiB)")
  Integer bufferBytes;

  @Option(names = "--promiscuous",
      description = "put the interface in promiscuous mode (default: off)")
  boolean promiscuous;

  @Option(names = "--rules", paramLabel = "FILE", split = ",",
      description = "Suricata-style rule files every worker checks packets against (comma-separated"
          + " or repeated); alerts go to eve.json")
  List<Path> rules;

  @Override
  public Integer call() {
    PrintStream err = System.err;
    SensorConfig cfg;
    try {
      cfg = config == null ? ConfigLoader.loadAll(new java.util.Properties(), "defaults").sensor()
          : ConfigLoader.loadAll(config).sensor();
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
    int slot = cfg.live().maxFrameBytes() + Pipeline.LIVE_HEADROOM;
    int snap = snaplen != null ? snaplen : slot;
    if (snap < 1 || snap > slot) {
      err.println("mirrorsensor: --snaplen " + snap + ": expected 1 to " + slot
          + " (pipeline.max_frame_bytes + 64; raise pipeline.max_frame_bytes for more)");
      return 2;
    }
    int buffer = bufferBytes != null ? bufferBytes : cfg.live().receiveBufferBytes();
    if (buffer < 1) {
      err.println("mirrorsensor: --buffer-bytes " + buffer + ": expected a positive number");
      return 2;
    }
    InterfaceCapture capture;
    try {
      capture = InterfaceCapture.open(
          new InterfaceCapture.Options(iface, filter, snap, buffer, promiscuous));
    } catch (InterfaceCapture.SetupException e) {
      err.println("mirrorsensor: " + e.getMessage());
      return e.exitCode;
    }
    Outputs outputs;
    try {
      outputs = Outputs.open(out, cfg, err);
    } catch (Outputs.OutputException e) {
      capture.close();
      err.println("mirrorsensor: " + e.getMessage());
      return Main.EXIT_ERROR;
    }
    CaptureRunner runner = new CaptureRunner(cfg, capture, outputs, err);
    SignalStop signal = new SignalStop();
    try {
      runner.onFailure(signal::stopNow);
      runner.start();
      err.printf("capturing on %s (%s%s, snaplen %,d, buffer %,d bytes, %s timestamps%s), %d"
          + " worker%s; writing %s, %s; Ctrl-C to stop%n", iface, capture.linkTypeName(),
          promiscuous ? ", promiscuous" : "", snap, buffer,
          capture.nanosecondTimestamps() ? "ns" : "us",
          filter == null || filter.isBlank() ? "" : ", filter: " + filter, runner.workers(),
          runner.workers() == 1 ? "" : "s", outputs.eveFile(), outputs.flowLogFile());
      // SIGTERM / Ctrl-C (or a libpcap failure): stop, print the summary, then let the JVM exit.
      signal.awaitStop();
      CaptureSummary s = runner.stop();
      err.println(s.render());
      err.flush();
      if (s.error() != null) {
        // libpcap failed (interface gone, ...): not a clean stop; no signal is pending, so the
        // hook does not run: remove it so the JVM can exit with this status
        if (!signal.removeHook()) {
          return 0; // a signal arrived meanwhile: the hook exits 0 after the summary
        }
        return Main.EXIT_ERROR;
      }
      return 0;
    } finally {
      signal.close();
    }
  }
}

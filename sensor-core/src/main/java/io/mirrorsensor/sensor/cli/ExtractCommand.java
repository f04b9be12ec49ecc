package io.mirrorsensor.sensor.cli;

import io.mirrorsensor.sensor.capture.CaptureFormatException;
import io.mirrorsensor.sensor.config.ConfigException;
import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.ExtractConfig;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.ReplayRunner;
import io.mirrorsensor.sensor.extract.Carver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mirrorsensor extract}: carve flows out of a capture into a pcap. */
@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    description = {
      "Write the packets of the matching flow(s) of a capture to a pcap (nanosecond timestamps,"
          + " original lengths kept).",
      "",
      "Exit status: 0 done (the summary says how many packets matched); 1 a file or the rules"
          + " could not be used; 2 bad usage."
    })
final class ExtractCommand implements Callable<Integer> {
  @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "pcap or pcapng")
  Path pcap;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "pcap to write")
  Path out;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  static final class Which {
    @Option(names = "--community-id", paramLabel = "ID",
        description = "the flow's Community ID (EVE community_id)")
    String communityId;

    @Option(names = "--flow", paramLabel = "'SRC:PORT DST:PORT PROTO'",
        description = "the flow's 5-tuple, either direction; IPv6 as [addr]:port")
    String flow;

    @ArgGroup(exclusive = false)
    BySid bySid;
  }

  static final class BySid {
    @Option(names = "--sid", required = true, paramLabel = "SID",
        description = "every flow this rule alerts on (needs --rules)")
    long sid;

    @Option(names = "--rules", required = true, paramLabel = "FILE", split = ",",
        description = "rule files for --sid")
    List<Path> rules;
  }

  @Option(names = "--decap",
      description = "write the decapsulated inner Ethernet frames of VXLAN/GENEVE captures")
  boolean decap;

  @Option(names = "--config", paramLabel = "FILE", description = "sensor config (decoder ports)")
  Path config;

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
    if (!Files.isRegularFile(pcap)) {
      err.println("mirrorsensor: no such file: " + pcap);
      return Main.EXIT_ERROR;
    }
    Carver.Match match;
    try {
      if (which.communityId != null) {
        match = Carver.communityIds(Set.of(which.communityId));
      } else if (which.flow != null) {
        match = Carver.flow(which.flow);
      } else {
        Set<String> ids = alertedFlows(cfg, err);
        if (ids == null) {
          return Main.EXIT_ERROR;
        }
        err.println("mirrorsensor: sid " + which.bySid.sid + " alerted on " + ids.size()
            + " flow(s)");
        match = Carver.communityIds(ids);
      }
    } catch (IllegalArgumentException e) {
      err.println("mirrorsensor: " + e.getMessage());
      return 2;
    }
    try {
      Carver.Result r = Carver.carve(pcap, match, decap, cfg, out);
      err.println("mirrorsensor: " + r.written() + " of " + r.read() + " packets written to "
          + out + (r.otherLinkType() > 0 ? " (" + r.otherLinkType()
              + " of another link type left out)" : ""));
      return 0;
    } catch (CaptureFormatException e) {
      err.println("mirrorsensor: " + e.getMessage());
      return Main.EXIT_ERROR;
    } catch (IOException e) {
      err.println("mirrorsensor: " + e.getMessage());
      return Main.EXIT_ERROR;
    }
  }

  /** Replays the capture with the rules (no extracts) and collects the flows of the sid. */
  private Set<String> alertedFlows(SensorConfig cfg, PrintStream err) {
    io.mirrorsensor.rules.RuleSet set = RulesOption.load(which.bySid.rules, err);
    if (set == null) {
      return null;
    }
    ExtractConfig e = cfg.extract();
    SensorConfig c = cfg.withRules(set).withExtract(new ExtractConfig(false, e.bufferPackets(),
        e.bufferBytes(), e.memcap(), e.maxPackets(), e.maxBytes(), e.maxSeconds(),
        e.outerFrames(), e.diskBudget(), e.maxPendingBytes()));
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("mirrorsensor-extract");
      ReplayRunner.replay(c, List.of(pcap), tmp, new PrintStream(PrintStream.nullOutputStream()));
      Set<String> ids = new TreeSet<>();
      com.fasterxml.jackson.core.JsonFactory json = new com.fasterxml.jackson.core.JsonFactory();
      for (String line : Files.readAllLines(tmp.resolve(c.eveFile()))) {
        String type = null;
        String cid = null;
        long sid = -1;
        try (com.fasterxml.jackson.core.JsonParser jp = json.createParser(line)) {
          jp.nextToken();
          int depth = 0;
          String obj = null;
          for (com.fasterxml.jackson.core.JsonToken t = jp.nextToken(); t != null;
              t = jp.nextToken()) {
            if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT
                || t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
              if (depth++ == 0) {
                obj = jp.currentName();
              }
            } else if (t == com.fasterxml.jackson.core.JsonToken.END_OBJECT
                || t == com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
              depth--;
            } else if (t != com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
              String name = jp.currentName();
              if (depth == 0 && "event_type".equals(name)) {
                type = jp.getText();
              } else if (depth == 0 && "community_id".equals(name)) {
                cid = jp.getText();
              } else if (depth == 1 && "alert".equals(obj) && "signature_id".equals(name)) {
                sid = jp.getLongValue();
              }
            }
          }
        }
        if ("alert".equals(type) && sid == which.bySid.sid && cid != null) {
          ids.add(cid);
        }
      }
      return ids;
    } catch (IOException ex) {
      err.println("mirrorsensor: " + ex.getMessage());
      return null;
    } finally {
      if (tmp != null) {
        try (Stream<Path> s = Files.walk(tmp)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
          // a temporary directory left behind is harmless
        }
      }
    }
  }
}

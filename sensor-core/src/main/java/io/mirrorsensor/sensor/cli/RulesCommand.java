package io.mirrorsensor.sensor.cli;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.DecoderConfig;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.IpText;
import io.mirrorsensor.decode.PacketDecoder;
import io.mirrorsensor.rules.Diagnostic;
import io.mirrorsensor.rules.FlowContext;
import io.mirrorsensor.rules.LoadReport;
import io.mirrorsensor.rules.RuleLoadException;
import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.rules.Detector;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mirrorsensor rules check|test}: tools for rule authors. {@code check} lints rule files;
 * {@code test} runs rules over a capture and says which fired where, and why a rule did not.
 * Packet-payload rules only, until stream reassembly and the app-layer parsers land.
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Check rule files and test rules against a capture.",
    subcommands = {RulesCommand.Check.class, RulesCommand.Test.class})
final class RulesCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: check or test");
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Parse and lint rule files: errors with file:line:column, rules skipped for keywords this"
            + " engine does not have yet, and warnings for rules that will be slow or never match.",
        "",
        "Exit status: 0 no errors; 1 a rule has an error (or, with --strict, would be skipped) or"
            + " a file cannot be read."
      })
  static final class Check implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "rule files")
    List<Path> files;

    @Option(names = "--strict", description = "treat rules that would be skipped as errors")
    boolean strict;

    @Option(names = "--quiet", description = "print only errors and the summary")
    boolean quiet;

    @Override
    public Integer call() {
      PrintStream out = System.out;
      LoadReport r;
      try {
        r = RuleLoader.load(files, RuleOptions.defaults()).report();
      } catch (IOException e) {
        System.err.println("mirrorsensor: cannot read rules: " + e.getMessage());
        return Main.EXIT_ERROR;
      } catch (RuleLoadException e) {
        r = e.report(); // not strict here: cannot happen
      }
      for (Diagnostic d : r.diagnostics()) {
        if (!quiet || d.severity() == Diagnostic.Severity.ERROR) {
          out.println(d);
        }
      }
      out.println(r.summary());
      boolean bad = r.failed() > 0 || (strict && r.skipped() > 0);
      return bad ? Main.EXIT_ERROR : 0;
    }
  }

  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = {
        "Run rules over a pcap or pcapng file and print every alert with its packet number.",
        "Only packet-payload inspection exists yet (no stream reassembly, no app-layer buffers):"
            + " flow state comes from a minimal per-flow table (handshake, direction, flowbits,"
            + " HTTP, TLS and DNS flows told by their first bytes or port 53).",
        "",
        "Exit status: 0 all expectations met; 1 an expectation failed, a rule failed to load,"
            + " or a file cannot be read."
      })
  static final class Test implements Callable<Integer> {
    @Option(names = "--rules", required = true, paramLabel = "FILE", description = "rule file (repeatable)")
    List<Path> rules;

    @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "capture file")
    Path pcap;

    @Option(names = "--expect", paramLabel = "SID[:COUNT]",
        description = "require SID to alert COUNT times (without COUNT: at least once; 0: never); repeatable")
    List<String> expect = new ArrayList<>();

    @Option(names = "--explain", paramLabel = "SID",
        description = "for each packet the rule's header accepts, show the first keyword that failed and at which offset")
    List<Long> explain = new ArrayList<>();

    @Option(names = "--quiet", description = "no per-alert lines")
    boolean quiet;

    @Override
    public Integer call() {
      PrintStream out = System.out;
      RuleSet set;
      try {
        set = RuleLoader.load(rules, RuleOptions.defaults());
      } catch (IOException e) {
        System.err.println("mirrorsensor: cannot read rules: " + e.getMessage());
        return Main.EXIT_ERROR;
      } catch (RuleLoadException e) {
        return Main.EXIT_ERROR; // not strict: cannot happen
      }
      LoadReport r = set.report();
      for (Diagnostic d : r.diagnostics()) {
        if (d.severity() != Diagnostic.Severity.WARNING) {
          out.println(d);
        }
      }
      out.println(r.summary());
      Map<Long, Integer> counts;
      try {
        counts = run(set, pcap, explain, quiet ? null : out, out);
      } catch (IOException e) {
        System.err.println("mirrorsensor: " + e.getMessage());
        return Main.EXIT_ERROR;
      }
      out.println("alerts per sid: " + (counts.isEmpty() ? "none" : counts));
      boolean ok = r.failed() == 0;
      for (String e : expect) {
        String[] f = e.split(":");
        long sid;
        int want;
        try {
          sid = Long.parseLong(f[0].strip());
          want = f.length > 1 ? Integer.parseInt(f[1].strip()) : -1;
        } catch (NumberFormatException ex) {
          System.err.println("mirrorsensor: --expect wants SID[:COUNT], got '" + e + "'");
          return Main.EXIT_ERROR;
        }
        int got = counts.getOrDefault(sid, 0);
        boolean met = want < 0 ? got > 0 : got == want;
        out.println((met ? "PASS" : "FAIL") + " sid " + sid + ": expected "
            + (want < 0 ? "at least 1" : String.valueOf(want)) + ", got " + got
            + (set.rules().stream().anyMatch(x -> x.sid() == sid) ? "" : " (rule not loaded)"));
        ok &= met;
      }
      return ok ? 0 : Main.EXIT_ERROR;
    }
  }

  /**
   * Runs {@code set} over every packet of {@code pcap}, with a minimal per-flow context, and
   * returns alert counts per sid. Prints one line per alert to {@code alerts} (when not null) and
   * explanations for {@code explainSids} to {@code out}. This is the path tests use to compare
   * with suricata-verify.
   */
  static Map<Long, Integer> run(RuleSet set, Path pcap, List<Long> explainSids, PrintStream alerts,
      PrintStream out) throws IOException {
    Map<Long, Integer> counts = new TreeMap<>();
    PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
    DecodedPacket p = new DecodedPacket();
    Detector d = set.newDetector();
    Map<FlowKey, SimpleFlow> flows = new HashMap<>();
    try (CaptureReader reader = CaptureReader.open(pcap)) {
      CaptureRecord rec = new CaptureRecord();
      while (reader.next(rec)) {
        decoder.decode(rec.buf, rec.offset, rec.capLen, rec.origLen, rec.linkType, rec.tsNanos, p);
        if (p.ipVersion == 0) {
          continue;
        }
        SimpleFlow flow = null;
        if (p.hasFlowKey()) {
          FlowKey key = FlowKey.of(p, 0);
          flow = flows.get(key);
          if (flow == null) {
            flow = new SimpleFlow(key, p, set.flowbitWords(), set.flowintSlots());
            flows.put(key, flow);
          }
          flow.update(p);
        }
        final long number = rec.number;
        for (long sid : explainSids) {
          String why = d.explain(p, flow, sid);
          if (why != null) {
            out.println("explain sid " + sid + " packet " + number + ": " + why);
          }
        }
        d.inspect(p, flow, (rule, pk) -> {
          counts.merge(rule.sid(), 1, Integer::sum);
          if (alerts != null) {
            alerts.println("packet " + number + ": [" + rule.gid() + ":" + rule.sid() + ":" + rule.rev()
                + "] " + rule.msg() + " {" + proto(pk) + "} " + endpoint(pk, true) + " -> " + endpoint(pk, false));
          }
        });
      }
      if (reader.damage() != null) {
        out.println("capture damaged: " + reader.damage());
      }
    }
    return counts;
  }

  private static String proto(DecodedPacket p) {
    switch (p.ipProto) {
      case 6:
        return "TCP";
      case 17:
        return "UDP";
      case 1:
        return "ICMP";
      case 58:
        return "IPv6-ICMP";
      default:
        return String.valueOf(p.ipProto);
    }
  }

  private static String endpoint(DecodedPacket p, boolean src) {
    String a = IpText.format(src ? p.srcAddr : p.dstAddr, 0, p.ipVersion);
    if (p.ipProto != 6 && p.ipProto != 17) {
      return a;
    }
    return a + ":" + (src ? p.srcPort : p.dstPort);
  }

  /**
   * The least flow state rules need: which side is the client, whether the TCP handshake completed
   * (or, for other protocols, both sides have spoken), the flowbits and flowints. The real flow table takes
   * this role in the sensor.
   */
  static final class SimpleFlow implements FlowContext {
    private final FlowKey key;
    /** True when the key's src side is the client. */
    private final boolean clientIsKeySrc;
    private final long[] bits;
    private final long[] ints;
    private boolean toServer;
    private boolean synSeen;
    private boolean synAckSeen;
    private boolean established;
    private boolean seenFromClient;
    private boolean seenFromServer;
    /** App protocol told by the client's first payload (null undecided, "" none). */
    private String app;

    SimpleFlow(FlowKey key, DecodedPacket first, int words, int flowints) {
      this.key = key;
      boolean fromSrc = key.isFromSrc(first);
      // a SYN/ACK first means we missed the SYN: its sender is the server
      boolean synAck = first.isTcp() && (first.tcpFlags & 0x12) == 0x12;
      this.clientIsKeySrc = synAck ? !fromSrc : fromSrc;
      this.bits = new long[words];
      this.ints = new long[Math.max(1, flowints)];
    }

    void update(DecodedPacket p) {
      toServer = key.isFromSrc(p) == clientIsKeySrc;
      if (app == null && toServer && p.payloadLength > 0 && (p.isTcp() || p.ipProto == 17)) {
        // as the app layer, by the first to-server bytes (DNS by port 53): http/dns/tls rules
        // without keywords of their protocol inspect the packets of its flows
        boolean http = p.isTcp() && io.mirrorsensor.decode.app.http.HttpParser.probe(p.buf,
            p.payloadOffset, Math.min(p.payloadLength, 33))
            == io.mirrorsensor.decode.app.http.HttpParser.PROBE_YES;
        if (http) {
          app = "http";
        } else if (p.srcPort == 53 || p.dstPort == 53) {
          app = "dns";
        } else if (p.isTcp() && io.mirrorsensor.decode.app.tls.TlsParser.probe(p.buf,
            p.payloadOffset, p.payloadLength) == io.mirrorsensor.decode.app.tls.TlsParser.PROBE_YES) {
          app = "tls";
        } else {
          app = "";
        }
      }
      if (toServer) {
        seenFromClient = true;
      } else {
        seenFromServer = true;
      }
      if (p.isTcp()) {
        int f = p.tcpFlags;
        if ((f & 0x12) == 0x02 && toServer) {
          synSeen = true;
        } else if ((f & 0x12) == 0x12 && !toServer) {
          synAckSeen = true;
        } else if ((f & 0x10) != 0 && toServer && synSeen && synAckSeen) {
          established = true;
        }
      } else if (seenFromClient && seenFromServer) {
        established = true;
      }
    }

    @Override
    public boolean established() {
      return established;
    }

    @Override
    public String appProto() {
      return app == null || app.isEmpty() ? null : app;
    }

    @Override
    public boolean toServer() {
      return toServer;
    }

    @Override
    public long[] flowbits() {
      return bits;
    }

    @Override
    public long[] flowints() {
      return ints;
    }

    @Override
    public void clientToServer(DecodedPacket out) {
      out.ipVersion = key.ipVersion();
      out.ipProto = key.proto();
      if (clientIsKeySrc) {
        key.copyAddresses(out.srcAddr, out.dstAddr);
        out.srcPort = key.srcPort();
        out.dstPort = key.dstPort();
      } else {
        key.copyAddresses(out.dstAddr, out.srcAddr);
        out.srcPort = key.dstPort();
        out.dstPort = key.srcPort();
      }
    }
  }
}

package io.mirrorsensor.sensor.cli;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.decode.IpText;
import io.mirrorsensor.decode.app.dns.DnsTransaction;
import io.mirrorsensor.decode.app.http.HttpBuffer;
import io.mirrorsensor.decode.app.http.HttpTransaction;
import io.mirrorsensor.decode.app.tls.TlsTransaction;
import io.mirrorsensor.rules.Diagnostic;
import io.mirrorsensor.rules.LoadReport;
import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.rules.RuleLoadException;
import io.mirrorsensor.rules.RuleLoader;
import io.mirrorsensor.rules.RuleOptions;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.capture.CaptureDamage;
import io.mirrorsensor.sensor.engine.DiscardingEventSink;
import io.mirrorsensor.sensor.engine.RuleReplay;
import io.mirrorsensor.sensor.engine.RuleTrace;
import io.mirrorsensor.sensor.flow.Flow;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mirrorsensor rules check|test}: tools for rule authors. {@code check} lints rule files;
 * {@code test} replays a capture through the sensor's packet path with the rules and says which
 * fired where (packet, transaction or reassembled stream), and why a rule did not.
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
    @Parameters(arity = "1..*", paramLabel = "FILE", split = ",",
        description = "rule files (separated by spaces or commas, as --rules takes them)")
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
        "Replay a pcap or pcapng file through the sensor's packet path, as replay --rules does"
            + " (flow table, TCP reassembly for stream rules, HTTP/DNS/TLS parsers for http, dns"
            + " and tls rules), single-threaded and without output files, and print every alert"
            + " with its packet number and, for app-layer rules, its transaction.",
        "",
        "Exit status: 0 all expectations met; 1 an expectation failed, a rule failed to load,"
            + " or a file cannot be read."
      })
  static final class Test implements Callable<Integer> {
    @Option(names = "--rules", required = true, paramLabel = "FILE", split = ",",
        description = "rule files (comma-separated or repeated)")
    List<Path> rules;

    @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "capture file")
    Path pcap;

    @Option(names = "--expect", paramLabel = "SID[:COUNT]",
        description = "require SID to alert COUNT times (without COUNT: at least once; 0: never); repeatable")
    List<String> expect = new ArrayList<>();

    @Option(names = "--explain", paramLabel = "SID",
        description = "for each packet, transaction or stream window the rule's header accepts, show"
            + " the first keyword that failed and at which offset; repeatable")
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
   * Replays {@code pcap} through the sensor's packet path, single-threaded and without output
   * files: decoder, flow table, TCP reassembly (stream rules see the reassembled bytes), HTTP, DNS
   * and TLS parsers (http, dns and tls rules see their transactions) and the rule check, as
   * {@code replay --rules} runs them. Returns alert counts per sid. Prints one line per alert to
   * {@code alerts} (when not null) and explanations for {@code explainSids} to {@code out}. This is
   * the path tests use to compare with suricata-verify.
   */
  static Map<Long, Integer> run(RuleSet set, Path pcap, List<Long> explainSids, PrintStream alerts,
      PrintStream out) throws IOException {
    Map<Long, Integer> counts = new TreeMap<>();
    RuleTrace trace = new RuleTrace() {
      @Override
      public void alert(Flow flow, Rule rule, DecodedPacket p, long pcapCnt, Object tx,
          boolean stream) {
        counts.merge(rule.sid(), 1, Integer::sum);
        if (alerts != null) {
          alerts.println("packet " + pcapCnt + ": [" + rule.gid() + ":" + rule.sid() + ":"
              + rule.rev() + "] " + rule.msg() + " {" + proto(p) + "} " + endpoint(p, true)
              + " -> " + endpoint(p, false) + (tx != null ? " on " + transaction(tx)
              : stream ? " on the reassembled stream" : ""));
        }
      }

      @Override
      public void explain(Flow flow, long sid, long pcapCnt, Object tx, boolean stream,
          String why) {
        out.println("explain sid " + sid + " packet " + pcapCnt
            + (tx != null ? " " + transaction(tx) : stream ? " stream" : "") + ": " + why);
      }
    };
    CaptureDamage damage = RuleReplay.run(set, pcap, new DiscardingEventSink(), trace,
        explainSids.stream().mapToLong(Long::longValue).toArray());
    if (damage != null) {
      out.println("capture damaged: " + damage);
    }
    return counts;
  }

  /** A transaction as a rule author recognises it: {@code http GET host/uri}, {@code dns query ...}. */
  static String transaction(Object tx) {
    if (tx instanceof HttpTransaction h) {
      String host = h.text(HttpBuffer.HOST);
      return "http " + h.text(HttpBuffer.METHOD) + " " + (host == null ? "" : host)
          + h.text(HttpBuffer.URI_RAW)
          + (h.hasResponse() ? " (" + h.status() + ")" : "");
    }
    if (tx instanceof DnsTransaction d) {
      return "dns " + (d.hasQuery() ? "query" : "response") + " " + d.rrname();
    }
    if (tx instanceof TlsTransaction t) {
      return "tls sni " + (t.sni() == null ? "(none)" : t.sni());
    }
    return String.valueOf(tx);
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
}

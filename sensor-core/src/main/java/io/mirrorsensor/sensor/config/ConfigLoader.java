package io.mirrorsensor.sensor.config;

import io.mirrorsensor.decode.tcp.TcpConfig;
import io.mirrorsensor.sensor.config.SensorConfig.VniInfo;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the sensor's config: a Java properties file, or a YAML file (by extension {@code .yaml} /
 * {@code .yml}) flattened to the same dotted keys (documented key by key in docs/CONFIG.md), so
 * one set of rules validates both. Every key is optional. Unknown keys are an error (a typo must not silently fall back to a
 * default), and every error names the file, the key and the bad value.
 */
public final class ConfigLoader {
  static final Set<String> KEYS =
      Set.of(
          "vxlan.ports",
          "decoder.validate_checksums",
          "flow.idle_timeout",
          "flow.tcp_established_timeout",
          "flow.tcp_closed_timeout",
          "flow.active_timeout",
          "flow.max_flows",
          "flow.mirror_duplicate_window",
          "anomaly.events_per_id_per_minute",
          "flowlog.account_id",
          "output.eve",
          "output.flow_log",
          "app.parsers",
          // TCP tracking and findings (docs/CONFIG.md, "TCP")
          "tcp.reorder_window",
          "tcp.alert.syn_unanswered.syns",
          "tcp.alert.syn_unanswered.window",
          "tcp.alert.slow_handshake",
          "tcp.alert.retransmission_storm.percent",
          "tcp.alert.retransmission_storm.min_segments",
          "tcp.alert.zero_window_stall",
          "tcp.reassembly.depth",
          "tcp.reassembly.memcap",
          "tcp.reassembly.max_segments",
          // App-layer findings (docs/CONFIG.md, "App-layer findings"; docs/FINDINGS.md sids 6-15)
          "http.alert.slow_response",
          "http.alert.5xx_burst.count",
          "http.alert.5xx_burst.window",
          "http.request_body_limit",
          "http.response_body_limit",
          "dns.query_timeout",
          "dns.alert.nxdomain_burst.count",
          "dns.alert.nxdomain_burst.window",
          "dns.alert.servfail",
          "dns.alert.timeout",
          "dns.alert.tunnel.names",
          "dns.alert.tunnel.window",
          "dns.alert.tunnel.label_length",
          "dns.alert.tunnel.entropy",
          "tls.alert.certificate_validity",
          "tls.alert.plain_ports",
          "tls.alert.sni_missing_443",
          "app.alert.max_tracked",
          // Pipeline and live listener (issue 4).
          "pipeline.workers",
          "pipeline.ring_size",
          "pipeline.max_frame_bytes",
          "pipeline.wait_strategy",
          "output.queue_chunks",
          "output.max_pending_bytes",
          "live.event_loops",
          "live.receive_buffer_bytes",
          "live.vxlan_port",
          "live.stats_interval",
          "live.allow_sources",
          "live.allow_vnis",
          "live.receive_batch",
          "live.udp_gro",
          "live.geneve_port",
          "geneve.ports",
          // Operations (issue 11): health/metrics HTTP endpoint, CloudWatch EMF.
          "ops.http.enabled",
          "ops.http.bind",
          "ops.http.port",
          "ops.snapshot_interval",
          "ops.health.max_drop_ratio",
          "ops.health.tcp_port",
          "ops.emf.output",
          "ops.emf.namespace",
          "ops.emf.dimensions",
          "ops.emf.sensor_name");

  /** Pcap extracts (issue 8, docs/CONFIG.md "Extracts"): kept apart from {@link #KEYS}. */
  static final Set<String> EXTRACT_KEYS =
      Set.of(
          "extract.enabled",
          "extract.buffer_packets",
          "extract.buffer_bytes",
          "extract.memcap",
          "extract.max_packets",
          "extract.max_bytes",
          "extract.max_seconds",
          "extract.frames",
          "extract.disk_budget",
          "extract.max_pending_bytes");

  private ConfigLoader() {}

  /** The sensor config and the operations config, read from one file. */
  public record Loaded(SensorConfig sensor, OpsConfig ops) {}

  /** Loads {@code file}; throws {@link ConfigException} with a precise message on any problem. */
  public static SensorConfig load(Path file) {
    return loadAll(file).sensor();
  }

  /** Loads {@code file} (properties, or YAML by extension) with its {@code ops.*} block. */
  public static Loaded loadAll(Path file) {
    if (YamlConfig.isYaml(file)) {
      return build(YamlConfig.read(file), file.toString(), null);
    }
    return loadAll(readProperties(file), file.toString());
  }

  /** As {@link #fromProperties}, with the {@code ops.*} block. */
  public static Loaded loadAll(Properties p, String source) {
    Map<String, String> m = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      m.put(k.trim(), p.getProperty(k).trim());
    }
    return build(m, source, null);
  }

  /**
   * Every key the loader reads, in the order it reads them, with its default (as text a config
   * file accepts) and what it expects: the source of {@code mirrorsensor config --print-defaults}.
   * {@code vni.<N>.*} keys have no default and are not listed.
   */
  public static java.util.List<KeyDefault> defaultsTable() {
    Map<String, KeyDefault> seen = new LinkedHashMap<>();
    build(new TreeMap<>(), "defaults", seen);
    return java.util.List.copyOf(seen.values());
  }

  /** One key, its default and what values it accepts. */
  public record KeyDefault(String key, String value, String expected) {}

  private static Properties readProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + file);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    return p;
  }

  /** Builds a config from properties; {@code source} names them in error messages. */
  public static SensorConfig fromProperties(Properties p, String source) {
    return loadAll(p, source).sensor();
  }

  private static Loaded build(Map<String, String> m, String source, Map<String, KeyDefault> seen) {
    Keys r = new Keys(m, source, seen);
    for (String k : m.keySet()) {
      if (!KEYS.contains(k) && !EXTRACT_KEYS.contains(k) && !k.startsWith("vni.")) {
        throw new ConfigException(source + ": unknown key '" + k + "' (known keys: "
            + new TreeSet<>(KEYS) + ", vni.<N>.session, vni.<N>.eni, vni.<N>.network)");
      }
    }
    SensorConfig sensor = new SensorConfig(
        r.ports("vxlan.ports", "4789"),
        r.bool("decoder.validate_checksums", false),
        r.vnis(),
        r.duration("flow.idle_timeout", "60s"),
        r.duration("flow.tcp_established_timeout", "300s"),
        r.duration("flow.tcp_closed_timeout", "5s"),
        r.duration("flow.active_timeout", "600s"),
        (int) r.number("flow.max_flows", 1_000_000, 1, 100_000_000),
        r.duration("flow.mirror_duplicate_window", "50ms"),
        (int) r.number("anomaly.events_per_id_per_minute", 10, 0, 1_000_000),
        r.text("flowlog.account_id", "-"),
        r.fileName("output.eve", "eve.json"),
        r.fileName("output.flow_log", "flows.log"),
        tcp(r),
        live(r),
        () -> io.mirrorsensor.sensor.flow.StreamConsumerFactory.NONE,
        r.bool("app.parsers", true),
        appAlerts(r),
        null,
        extract(r));
    return new Loaded(sensor, ops(r));
  }

  // ---- App-layer findings (issues 6 and 9) ----

  /** The {@code http.alert.*}, {@code dns.alert.*}, {@code tls.alert.*} block. */
  private static AppAlertConfig appAlerts(Keys r) {
    AppAlertConfig d = AppAlertConfig.defaults();
    String entropyText = r.text("dns.alert.tunnel.entropy", Double.toString(d.dnsTunnelEntropy()));
    double entropy;
    try {
      entropy = Double.parseDouble(entropyText);
    } catch (NumberFormatException e) {
      entropy = -1;
    }
    if (!(entropy >= 0 && entropy <= 8)) {
      throw r.bad("dns.alert.tunnel.entropy", entropyText, "bits per byte from 0 to 8, e.g. 3.5");
    }
    StringBuilder ports = new StringBuilder();
    for (int p : d.tlsPlainPorts()) {
      ports.append(ports.length() == 0 ? "" : ",").append(p);
    }
    String plain = r.text("tls.alert.plain_ports", ports.toString()).trim();
    int[] plainPorts = plain.equals("off") ? new int[0]
        : r.ports("tls.alert.plain_ports", ports.toString());
    return new AppAlertConfig(
        r.duration("http.alert.slow_response", d.httpSlowResponseNanos() + "ns"),
        (int) r.number("http.alert.5xx_burst.count", d.http5xxCount(), 0, 1000),
        r.duration("http.alert.5xx_burst.window", d.http5xxWindowNanos() + "ns"),
        (int) r.number("dns.alert.nxdomain_burst.count", d.dnsNxdomainCount(), 0, 1000),
        r.duration("dns.alert.nxdomain_burst.window", d.dnsNxdomainWindowNanos() + "ns"),
        r.bool("dns.alert.servfail", d.dnsServfail()),
        r.bool("dns.alert.timeout", d.dnsTimeout()),
        r.duration("dns.query_timeout", d.dnsQueryTimeoutNanos() + "ns"),
        (int) r.number("dns.alert.tunnel.names", d.dnsTunnelNames(), 0, 1000),
        r.duration("dns.alert.tunnel.window", d.dnsTunnelWindowNanos() + "ns"),
        (int) r.number("dns.alert.tunnel.label_length", d.dnsTunnelLabelLength(), 1, 63),
        entropy,
        r.bool("tls.alert.certificate_validity", d.tlsCertificateValidity()),
        plainPorts,
        r.bool("tls.alert.sni_missing_443", d.tlsSniMissing443()),
        (int) r.number("app.alert.max_tracked", d.maxTracked(), 16, 1_000_000),
        (int) r.number("http.request_body_limit", d.httpRequestBodyLimit(), 0, 16 << 20),
        (int) r.number("http.response_body_limit", d.httpResponseBodyLimit(), 0, 16 << 20));
  }

  // ---- Pcap extracts (issue 8) ----

  private static ExtractConfig extract(Keys r) {
    String frames = r.text("extract.frames", "inner").trim();
    if (!frames.equals("inner") && !frames.equals("outer")) {
      throw r.bad("extract.frames", frames, "inner (decoded inner frame) or outer (as received)");
    }
    return new ExtractConfig(
        r.bool("extract.enabled", true),
        (int) r.number("extract.buffer_packets", 16, 0, 65_536),
        r.number("extract.buffer_bytes", 64 << 10, 0, 1L << 30),
        r.number("extract.memcap", 32L << 20, 0, 1L << 40),
        r.number("extract.max_packets", 10_000, 1, 1L << 40),
        r.number("extract.max_bytes", 16L << 20, 1, 1L << 40),
        r.duration("extract.max_seconds", "300s"),
        frames.equals("outer"),
        r.number("extract.disk_budget", 1L << 30, 0, 1L << 50),
        r.number("extract.max_pending_bytes", 8L << 20, 1 << 16, 1L << 40));
  }

  // ---- Operations (issue 11): HTTP endpoint, health, CloudWatch EMF ----

  private static OpsConfig ops(Keys r) {
    String bind = r.text("ops.http.bind", "127.0.0.1");
    if (!CidrCheck.valid(bind) || bind.contains("/")) {
      throw r.bad("ops.http.bind", bind, "an IPv4 or IPv6 address literal such as 127.0.0.1");
    }
    double maxDrop = r.ratio("ops.health.max_drop_ratio", "0.01");
    java.util.List<String> dims = r.list("ops.emf.dimensions", "vni");
    for (String d : dims) {
      if (!d.equals("vni") && !d.equals("session")) {
        throw r.bad("ops.emf.dimensions", String.join(",", dims), "vni, session or vni,session");
      }
    }
    String ns = r.text("ops.emf.namespace", "mirrorsensor");
    if (ns.length() > 255 || ns.startsWith("AWS/") || !ns.matches("[A-Za-z0-9.\\-_/#:]+")) {
      throw r.bad("ops.emf.namespace", ns, "1 to 255 of A-Z a-z 0-9 . - _ / # :, not AWS/...");
    }
    String tcpHealth = r.text("ops.health.tcp_port", "off").trim();
    int tcpHealthPort = tcpHealth.equals("off")
        ? -1 : (int) r.number("ops.health.tcp_port", 0, 0, 65535);
    return new OpsConfig(
        r.bool("ops.http.enabled", false),
        bind,
        (int) r.number("ops.http.port", 9108, 0, 65535),
        r.duration("ops.snapshot_interval", "5s"),
        maxDrop,
        r.text("ops.emf.output", ""),
        ns,
        dims,
        r.text("ops.emf.sensor_name", ""),
        tcpHealthPort);
  }

  /** The {@code tcp.*} block; defaults are {@link TcpConfig#defaults()}. */
  private static TcpConfig tcp(Keys r) {
    TcpConfig d = TcpConfig.defaults();
    return new TcpConfig(
        r.duration("tcp.reorder_window", d.reorderWindowNanos() + "ns"),
        (int) r.number("tcp.alert.syn_unanswered.syns", d.synUnansweredSyns(), 1, 1000),
        r.duration("tcp.alert.syn_unanswered.window", d.synUnansweredWindowNanos() + "ns"),
        r.duration("tcp.alert.slow_handshake", d.slowHandshakeNanos() + "ns"),
        (int) r.number("tcp.alert.retransmission_storm.percent", d.retransStormPercent(), 0, 100),
        (int) r.number("tcp.alert.retransmission_storm.min_segments",
            d.retransStormMinSegments(), 1, 1_000_000_000),
        r.duration("tcp.alert.zero_window_stall", d.zeroWindowStallNanos() + "ns"),
        r.number("tcp.reassembly.depth", d.reassemblyDepth(), 0, 1L << 40),
        r.number("tcp.reassembly.memcap", d.reassemblyMemcap(), 0, 1L << 40),
        (int) r.number("tcp.reassembly.max_segments", d.reassemblyMaxSegments(), 1, 65_536));
  }

  // ---- Pipeline and live listener (issue 4) ----

  private static LiveConfig live(Keys r) {
    int cores = Runtime.getRuntime().availableProcessors();
    long ring = r.number("pipeline.ring_size", 8192, 64, 1 << 22);
    if (Long.bitCount(ring) != 1) {
      throw r.bad("pipeline.ring_size", Long.toString(ring), "a power of two from 64 to 4194304");
    }
    String wait = r.text("pipeline.wait_strategy", "parking");
    if (!Set.of("sleeping", "parking", "blocking", "yielding", "busy_spin").contains(wait)) {
      throw r.bad("pipeline.wait_strategy", wait,
          "sleeping, parking, blocking, yielding or busy_spin");
    }
    java.util.List<String> sources = new java.util.ArrayList<>();
    for (String c : r.list("live.allow_sources")) {
      if (!CidrCheck.valid(c)) {
        throw r.bad("live.allow_sources", c, "IPv4 or IPv6 CIDRs such as 10.0.0.0/16, comma-separated");
      }
      sources.add(c);
    }
    java.util.List<Integer> vnis = new java.util.ArrayList<>();
    for (String v : r.list("live.allow_vnis")) {
      try {
        int n = Integer.parseInt(v);
        if (n < 0 || n > 0xFFFFFF) {
          throw new NumberFormatException();
        }
        vnis.add(n);
      } catch (NumberFormatException e) {
        throw r.bad("live.allow_vnis", v, "VNIs (0-16777215), comma-separated");
      }
    }
    long stats = r.duration("live.stats_interval", "60s");
    // GENEVE from a Gateway Load Balancer (RFC 8926; AWS GWLB sends to 6081)
    String geneveText = r.text("geneve.ports", "6081").trim();
    java.util.List<Integer> genevePorts = new java.util.ArrayList<>();
    if (!geneveText.equals("off")) {
      for (int port : r.ports("geneve.ports", "6081")) {
        genevePorts.add(port);
      }
    }
    String listenGeneve = r.text("live.geneve_port", "6081").trim();
    int genevePort = -1;
    if (!listenGeneve.equals("off")) {
      genevePort = (int) r.number("live.geneve_port", 6081, 1, 65535);
      if (genevePorts.isEmpty()) {
        throw r.bad("live.geneve_port", listenGeneve,
            "off, since geneve.ports is off (the listener's datagrams could not be decoded)");
      }
    }
    return new LiveConfig(
        (int) r.number("pipeline.workers", Math.max(1, cores), 1, 256),
        (int) ring,
        (int) r.number("pipeline.max_frame_bytes", 9216, 256, 65535),
        wait,
        (int) r.number("output.queue_chunks", 1024, 2, 1 << 20),
        r.number("output.max_pending_bytes", 64L << 20, 1 << 16, 1L << 40),
        (int) r.number("live.event_loops", Math.max(1, cores), 1, 256),
        (int) r.number("live.receive_buffer_bytes", 32 << 20, 1 << 12, Integer.MAX_VALUE),
        (int) r.number("live.vxlan_port", 4789, 1, 65535),
        stats,
        sources,
        vnis,
        (int) r.number("live.receive_batch", 32, 1, 1024),
        genevePort,
        genevePorts,
        r.bool("live.udp_gro", true));
  }

  /** CIDR syntax check without name lookups: address literal, slash, prefix length. */
  static final class CidrCheck {
    private CidrCheck() {}

    static boolean valid(String cidr) {
      int slash = cidr.indexOf('/');
      String addr = slash < 0 ? cidr : cidr.substring(0, slash);
      int max;
      if (addr.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
        for (String part : addr.split("\\.")) {
          if (Integer.parseInt(part) > 255) {
            return false;
          }
        }
        max = 32;
      } else if (addr.contains(":") && addr.matches("[0-9A-Fa-f:.]+")) {
        max = 128;
      } else {
        return false;
      }
      if (slash < 0) {
        return true;
      }
      try {
        int len = Integer.parseInt(cidr.substring(slash + 1));
        return len >= 0 && len <= max;
      } catch (NumberFormatException e) {
        return false;
      }
    }
  }

  /**
   * Parses a duration: a number followed by ns, us, ms, s, m or h; a bare number is seconds.
   *
   * @return nanoseconds, or -1 when the text is not a duration
   */
  static long parseDuration(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    int i = 0;
    while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
      i++;
    }
    if (i == 0) {
      return -1;
    }
    double v;
    try {
      v = Double.parseDouble(t.substring(0, i));
    } catch (NumberFormatException e) {
      return -1;
    }
    String unit = t.substring(i).trim();
    double mult;
    switch (unit) {
      case "ns":
        mult = 1;
        break;
      case "us":
        mult = 1e3;
        break;
      case "ms":
        mult = 1e6;
        break;
      case "":
      case "s":
        mult = 1e9;
        break;
      case "m":
        mult = 60e9;
        break;
      case "h":
        mult = 3600e9;
        break;
      default:
        return -1;
    }
    return (long) (v * mult);
  }

  /**
   * A default given in nanoseconds (from TcpConfig) in the largest unit that states it exactly
   * ("3000000ns" -> "3ms"); defaults written with a unit stay as written.
   */
  static String prettyDuration(String text) {
    long n = parseDuration(text);
    if (n <= 0 || !text.matches("\\d+ns")) {
      return text;
    }
    String[] units = {"h", "m", "s", "ms", "us"};
    long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
    for (int i = 0; i < units.length; i++) {
      if (n % sizes[i] == 0) {
        return n / sizes[i] + units[i];
      }
    }
    return n + "ns";
  }

  /** Typed access to the key/value map with error messages that name source, key and value. */
  private static final class Keys {
    private final Map<String, String> m;
    private final String source;
    /** When not null, every key read is recorded here with its default (defaultsTable). */
    private final Map<String, KeyDefault> seen;

    Keys(Map<String, String> m, String source, Map<String, KeyDefault> seen) {
      this.m = m;
      this.source = source;
      this.seen = seen;
    }

    private void note(String key, String def, String expected) {
      if (seen != null) {
        seen.putIfAbsent(key, new KeyDefault(key, def, expected));
      }
    }

    java.util.List<String> list(String key) {
      return list(key, "");
    }

    java.util.List<String> list(String key, String def) {
      note(key, def, "a comma-separated list");
      String v = m.containsKey(key) ? m.get(key) : def;
      java.util.List<String> out = new java.util.ArrayList<>();
      if (v == null || v.isBlank()) {
        return out;
      }
      for (String part : v.split("[,\\s]+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
      return out;
    }

    ConfigException bad(String key, String value, String expected) {
      return new ConfigException(
          source + ": " + key + "=" + value + " is not valid: expected " + expected);
    }

    double ratio(String key, String def) {
      note(key, def, "a ratio from 0 to 1");
      String v = text(key, def);
      try {
        double d = Double.parseDouble(v);
        if (d >= 0 && d <= 1) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw bad(key, v, "a ratio from 0 to 1 such as 0.01");
    }

    String text(String key, String def) {
      note(key, def, "text");
      String v = m.get(key);
      return v == null || v.isEmpty() ? def : v;
    }

    String fileName(String key, String def) {
      note(key, def, "a plain file name");
      String v = text(key, def);
      if (v.contains("/") || v.equals("..") || v.equals(".")) {
        throw bad(key, v, "a plain file name inside the output directory");
      }
      return v;
    }

    boolean bool(String key, boolean def) {
      note(key, Boolean.toString(def), "true or false");
      String v = m.get(key);
      if (v == null || v.isEmpty()) {
        return def;
      }
      if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equals("1")) {
        return true;
      }
      if (v.equalsIgnoreCase("false") || v.equalsIgnoreCase("no") || v.equals("0")) {
        return false;
      }
      throw bad(key, v, "true or false");
    }

    long number(String key, long def, long min, long max) {
      note(key, Long.toString(def), "a whole number from " + min + " to " + max);
      String v = m.get(key);
      if (v == null || v.isEmpty()) {
        return def;
      }
      try {
        long n = Long.parseLong(v.replace("_", ""));
        if (n < min || n > max) {
          throw bad(key, v, "a whole number from " + min + " to " + max);
        }
        return n;
      } catch (NumberFormatException e) {
        throw bad(key, v, "a whole number from " + min + " to " + max);
      }
    }

    long duration(String key, String def) {
      note(key, prettyDuration(def), "a duration (ns, us, ms, s, m, h)");
      String v = text(key, def);
      long n = parseDuration(v);
      if (n < 0) {
        throw bad(key, v, "a duration such as 500ms, 30s, 5m (a bare number is seconds)");
      }
      return n;
    }

    int[] ports(String key, String def) {
      note(key, def, "comma-separated UDP ports");
      String v = text(key, def);
      String[] parts = v.split("[,\\s]+");
      int[] out = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        try {
          out[i] = Integer.parseInt(parts[i]);
        } catch (NumberFormatException e) {
          throw bad(key, v, "comma-separated UDP ports (1-65535)");
        }
        if (out[i] < 1 || out[i] > 65535) {
          throw bad(key, v, "comma-separated UDP ports (1-65535)");
        }
      }
      return out;
    }

    Map<Integer, VniInfo> vnis() {
      Map<Integer, String[]> byVni = new TreeMap<>();
      for (Map.Entry<String, String> e : m.entrySet()) {
        String k = e.getKey();
        if (!k.startsWith("vni.")) {
          continue;
        }
        String[] parts = k.split("\\.");
        if (parts.length != 3) {
          throw new ConfigException(source + ": key '" + k
              + "' is not valid: expected vni.<N>.session, vni.<N>.eni or vni.<N>.network");
        }
        int vni;
        try {
          vni = Integer.parseInt(parts[1]);
        } catch (NumberFormatException ex) {
          throw bad(k, e.getValue(), "a VNI number (0-16777215) in the key");
        }
        if (vni < 0 || vni > 0xFFFFFF) {
          throw bad(k, e.getValue(), "a VNI number (0-16777215) in the key");
        }
        String[] slot = byVni.computeIfAbsent(vni, x -> new String[3]);
        switch (parts[2]) {
          case "session":
            slot[0] = e.getValue();
            break;
          case "eni":
            slot[1] = e.getValue();
            break;
          case "network":
            slot[2] = e.getValue();
            break;
          default:
            throw new ConfigException(source + ": key '" + k
                + "' is not valid: expected vni.<N>.session, vni.<N>.eni or vni.<N>.network");
        }
      }
      if (byVni.isEmpty()) {
        return Collections.emptyMap();
      }
      // Network 0 is "default": every VNI not given a network, and untunnelled packets.
      Map<String, Integer> networks = new LinkedHashMap<>();
      networks.put("default", 0);
      Map<Integer, VniInfo> out = new HashMap<>();
      for (Map.Entry<Integer, String[]> e : byVni.entrySet()) {
        String[] s = e.getValue();
        String net = s[2] == null || s[2].isEmpty() ? "default" : s[2];
        int id = networks.computeIfAbsent(net, x -> networks.size());
        out.put(e.getKey(), new VniInfo(e.getKey(), s[0], s[1], id, net));
      }
      return Collections.unmodifiableMap(out);
    }
  }
}

package io.mirrorsensor.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads rule files into a {@link RuleSet}: parse every rule, count what was loaded, skipped (by
 * reason) and disabled, compile the prefilters. The only place the module touches files, and only
 * at load time.
 *
 * <pre>{@code
 * RuleSet set = RuleLoader.load(List.of(Path.of("local.rules")), RuleOptions.defaults());
 * System.err.println(set.report().summary());
 * Detector d = set.newDetector();             // one per worker thread
 * d.inspect(packet, flowContext, alertSink);  // per decoded packet, after the flow table
 * }</pre>
 */
public final class RuleLoader {
  private RuleLoader() {}

  /**
   * Loads rule files in order.
   *
   * @throws IOException when a file cannot be read
   * @throws RuleLoadException in strict mode when any rule fails or would be skipped (the report
   *     rides on the exception)
   */
  public static RuleSet load(List<Path> files, RuleOptions options)
      throws IOException, RuleLoadException {
    return loadTexts(read(files), options);
  }

  /**
   * The files' texts in order. A file that cannot be read fails with its path and the reason in
   * the message ({@code local.rules: no such file}).
   */
  private static Map<String, String> read(List<Path> files) throws IOException {
    Map<String, String> texts = new LinkedHashMap<>();
    for (Path f : files) {
      try {
        texts.put(f.toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
      } catch (java.nio.file.NoSuchFileException e) {
        throw new java.nio.file.NoSuchFileException(f.toString(), null, "no such file");
      } catch (java.nio.file.AccessDeniedException e) {
        throw new java.nio.file.AccessDeniedException(f.toString(), null, "permission denied");
      } catch (IOException e) {
        if (Files.isDirectory(f)) {
          throw new java.nio.file.FileSystemException(f.toString(), null,
              "a directory, not a rule file");
        }
        throw e;
      }
    }
    return texts;
  }

  /**
   * Loads rule files again as a successor of {@code previous} (hot reload): flowbits keep their
   * bit numbers (new names are added after the old ones, so flows' flowbit words only grow) and
   * the new set joins {@code previous}'s lineage; it takes effect when {@link RuleSet#publish}ed.
   * Compiles on the calling thread, off the packet path.
   *
   * @throws IOException when a file cannot be read
   * @throws RuleLoadException in strict mode, as {@link #load}
   */
  public static RuleSet reload(List<Path> files, RuleOptions options, RuleSet previous)
      throws IOException, RuleLoadException {
    return loadTexts(read(files), options, previous);
  }

  /** Loads rules from text (tests, tools); {@code name} plays the file name in diagnostics. */
  public static RuleSet loadText(String name, String text, RuleOptions options)
      throws RuleLoadException {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(name, text);
    return loadTexts(m, options);
  }

  static RuleSet loadTexts(Map<String, String> texts, RuleOptions options) throws RuleLoadException {
    return loadTexts(texts, options, null);
  }

  /** As {@link #loadText}, as a successor of {@code previous} (see {@link #reload}). */
  public static RuleSet reloadText(String name, String text, RuleOptions options, RuleSet previous)
      throws RuleLoadException {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(name, text);
    return loadTexts(m, options, previous);
  }

  static RuleSet loadTexts(Map<String, String> texts, RuleOptions options, RuleSet previous)
      throws RuleLoadException {
    long t0 = System.nanoTime();
    KeywordRegistry registry = KeywordRegistry.standard();
    Map<String, Classification.Entry> classes = options.classificationText() == null
        ? Classification.bundled()
        : Classification.parse(options.classificationText());
    LoadEnv env = new LoadEnv(options.vars(), classes, registry);
    if (previous != null) {
      for (String name : previous.flowbitNames) {
        env.flowbit(name);
      }
      for (String name : previous.flowintNames) {
        env.flowint(name);
      }
    }
    RuleFileReader reader = new RuleFileReader();
    texts.forEach(reader::read);
    List<Rule> loaded = new ArrayList<>();
    List<Diagnostic> diags = new ArrayList<>();
    Map<String, Integer> skipped = new LinkedHashMap<>();
    Map<Long, Rule> bySid = new LinkedHashMap<>();
    int failed = 0;
    boolean anyDropReject = false;
    for (RuleSource src : reader.rules) {
      try {
        Rule r = RuleParser.parse(src, env);
        Rule dup = bySid.putIfAbsent((r.gid << 32) ^ r.sid, r);
        if (dup != null) {
          failed++;
          diags.add(new Diagnostic(Diagnostic.Severity.ERROR, src.file, src.firstLine(), 1, "sid",
              "duplicate sid " + r.sid + " (first at " + dup.file + ":" + dup.line + ")", r.sid));
          continue;
        }
        loaded.add(r);
        anyDropReject |= r.action.equals("drop") || r.action.equals("reject");
        for (Object[] w : r.lint) {
          int pos = (Integer) w[0];
          diags.add(new Diagnostic(Diagnostic.Severity.WARNING, src.file, src.line(pos),
              src.column(pos), null, (String) w[1], r.sid));
        }
      } catch (RuleSyntaxException e) {
        long sid = sidOf(src.text);
        if (e.skip) {
          skipped.merge(e.reasonKey, 1, Integer::sum);
        } else {
          failed++;
        }
        int pos = Math.min(e.pos, Math.max(0, src.text.length()));
        diags.add(new Diagnostic(e.skip ? Diagnostic.Severity.SKIP : Diagnostic.Severity.ERROR,
            src.file, src.line(pos), src.column(pos), e.keyword, e.reason, sid));
      }
    }
    // flowbits checked but never set: the check can never be true (isset) or always is (isnotset)
    for (Map.Entry<String, String> e : env.flowbitCheckedAt.entrySet()) {
      if (!env.flowbitSet.containsKey(e.getKey())) {
        String at = e.getValue();
        int colon = at.lastIndexOf(':');
        diags.add(new Diagnostic(Diagnostic.Severity.WARNING, at.substring(0, colon),
            Integer.parseInt(at.substring(colon + 1)), 1, "flowbits",
            "flowbit '" + e.getKey() + "' is checked but no loaded rule sets it", 0));
      }
    }
    if (anyDropReject) {
      diags.add(new Diagnostic(Diagnostic.Severity.WARNING, "(rules)", 0, 0, null,
          "drop and reject rules only alert: this sensor is passive and cannot block", 0));
    }
    Map<String, Integer> sortedSkips = new LinkedHashMap<>();
    skipped.entrySet().stream()
        .sorted((a, b) -> b.getValue() != a.getValue().intValue()
            ? Integer.compare(b.getValue(), a.getValue()) : a.getKey().compareTo(b.getKey()))
        .forEach(e -> sortedSkips.put(e.getKey(), e.getValue()));
    int withFp = 0;
    for (Rule r : loaded) {
      if (r.fastPattern != null) {
        withFp++;
      }
    }
    RuleSet set = new RuleSet(loaded, env, options, null, previous);
    LoadReport report = new LoadReport(loaded.size(), failed, reader.disabled, sortedSkips,
        List.copyOf(diags), System.nanoTime() - t0, withFp);
    RuleSet withReport = set.withReport(report);
    if (options.strict() && (failed > 0 || !sortedSkips.isEmpty())) {
      throw new RuleLoadException(report);
    }
    return withReport;
  }

  private static long sidOf(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("[(;]\\s*sid\\s*:\\s*(\\d{1,10})").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}

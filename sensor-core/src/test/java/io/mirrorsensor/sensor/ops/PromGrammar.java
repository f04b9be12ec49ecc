package io.mirrorsensor.sensor.ops;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict checker of the Prometheus text exposition format 0.0.4, line by line, after the
 * format's grammar: {@code # HELP name text}, {@code # TYPE name type}, samples
 * {@code name[{label="value",...}] value [timestamp]} with label values escaped only as
 * {@code \\}, {@code \"}, {@code \n}; one TYPE and one HELP per family, before its samples; a
 * family's samples together; no series twice; summaries' samples are {@code name} with a
 * {@code quantile} label, {@code name_sum} or {@code name_count}. Returns series to values.
 */
public final class PromGrammar {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)( -?\\d+)?");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?((\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|Inf)|NaN");

  private PromGrammar() {}

  /** Checks {@code text}; throws AssertionError naming the line on the first violation. */
  public static Map<String, Double> check(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new AssertionError("the exposition must end with a line feed");
    }
    Map<String, String> types = new HashMap<>();
    Set<String> helps = new HashSet<>();
    Set<String> closed = new HashSet<>();
    String current = null;
    Map<String, Double> series = new LinkedHashMap<>();
    int no = 0;
    for (String line : text.split("\n", -1)) {
      no++;
      if (line.isEmpty()) {
        continue;
      }
      String where = "line " + no + ": " + line;
      if (line.startsWith("#")) {
        Matcher h = HELP.matcher(line);
        Matcher t = TYPE.matcher(line);
        if (line.startsWith("# HELP ")) {
          if (!h.matches()) {
            throw new AssertionError("bad HELP " + where);
          }
          checkEscapes(h.group(2), false, where);
          if (!helps.add(h.group(1))) {
            throw new AssertionError("second HELP for a family, " + where);
          }
        } else if (line.startsWith("# TYPE ")) {
          if (!t.matches()) {
            throw new AssertionError("bad TYPE " + where);
          }
          String fam = t.group(1);
          if (types.containsKey(fam) || closed.contains(fam) || fam.equals(current)) {
            throw new AssertionError("TYPE after samples or twice, " + where);
          }
          types.put(fam, t.group(2));
          if (current != null) {
            closed.add(current);
          }
          current = fam;
        }
        continue;
      }
      Matcher s = SAMPLE.matcher(line);
      if (!s.matches()) {
        throw new AssertionError("not a sample, " + where);
      }
      String name = s.group(1);
      String fam = familyOf(name, types);
      if (fam == null) {
        throw new AssertionError("sample without a TYPE line before it, " + where);
      }
      if (!fam.equals(current)) {
        if (closed.contains(fam)) {
          throw new AssertionError("samples of a family not together, " + where);
        }
        if (current != null) {
          closed.add(current);
        }
        current = fam;
      }
      Map<String, String> labels = labels(s.group(3) == null ? "" : s.group(3), where);
      String type = types.get(fam);
      if (type.equals("summary") && name.equals(fam) && !labels.containsKey("quantile")) {
        throw new AssertionError("summary sample without quantile, " + where);
      }
      if (!type.equals("summary") && !type.equals("histogram") && !name.equals(fam)) {
        throw new AssertionError("sample name differs from its " + type + " family, " + where);
      }
      if (!FLOAT.matcher(s.group(4)).matches()) {
        throw new AssertionError("bad value " + where);
      }
      String key = name + new java.util.TreeMap<>(labels);
      double v = s.group(4).equals("NaN") ? Double.NaN : s.group(4).endsWith("Inf")
          ? (s.group(4).startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
          : Double.parseDouble(s.group(4));
      if (series.put(key, v) != null) {
        throw new AssertionError("series twice, " + where);
      }
    }
    return series;
  }

  private static String familyOf(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : new String[] {"_sum", "_count", "_bucket"}) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        String t = types.get(base);
        if (t != null && (t.equals("summary") || t.equals("histogram"))) {
          return base;
        }
      }
    }
    return null;
  }

  private static Map<String, String> labels(String body, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    while (i < body.length()) {
      int eq = body.indexOf('=', i);
      if (eq < 0) {
        throw new AssertionError("label without '=', " + where);
      }
      String name = body.substring(i, eq);
      if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
        throw new AssertionError("bad label name '" + name + "', " + where);
      }
      if (eq + 1 >= body.length() || body.charAt(eq + 1) != '"') {
        throw new AssertionError("label value not quoted, " + where);
      }
      StringBuilder v = new StringBuilder();
      int j = eq + 2;
      for (;; j++) {
        if (j >= body.length()) {
          throw new AssertionError("unterminated label value, " + where);
        }
        char c = body.charAt(j);
        if (c == '\\') {
          char n = j + 1 < body.length() ? body.charAt(j + 1) : 0;
          if (n == '\\' || n == '"') {
            v.append(n);
          } else if (n == 'n') {
            v.append('\n');
          } else {
            throw new AssertionError("bad escape in label value, " + where);
          }
          j++;
        } else if (c == '"') {
          break;
        } else if (c == '\n') {
          throw new AssertionError("raw line feed in label value, " + where);
        } else {
          v.append(c);
        }
      }
      if (out.put(name, v.toString()) != null) {
        throw new AssertionError("label twice, " + where);
      }
      i = j + 1;
      if (i < body.length()) {
        if (body.charAt(i) != ',') {
          throw new AssertionError("expected ',' between labels, " + where);
        }
        i++;
      }
    }
    return out;
  }

  private static void checkEscapes(String help, boolean quotes, String where) {
    for (int i = 0; i < help.length(); i++) {
      if (help.charAt(i) == '\\') {
        char n = i + 1 < help.length() ? help.charAt(i + 1) : 0;
        if (n != '\\' && n != 'n' && !(quotes && n == '"')) {
          throw new AssertionError("bad escape in HELP, " + where);
        }
        i++;
      }
    }
  }

  /** The value of one series, e.g. {@code value(m, "x_total", "vni", "101")}; null if absent. */
  public static Double value(Map<String, Double> series, String name, String... labels) {
    Map<String, String> l = new java.util.TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    for (Map.Entry<String, Double> e : series.entrySet()) {
      if (e.getKey().equals(name + l)) {
        return e.getValue();
      }
    }
    return null;
  }
}

package io.mirrorsensor.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The classification table ({@code config classification: name,description,priority}): classtype
 * to EVE category text and default priority. The bundled table is ET Open's
 * classification.config; {@link RuleOptions#classificationText} replaces it.
 */
final class Classification {
  record Entry(String name, String description, int priority) {}

  private Classification() {}

  static Map<String, Entry> bundled() {
    try (InputStream in = Classification.class.getResourceAsStream("classification.config")) {
      if (in == null) {
        throw new IllegalStateException("bundled classification.config missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read bundled classification.config", e);
    }
  }

  /** Parses the text; malformed lines are ignored (as Suricata does, with a log line). */
  static Map<String, Entry> parse(String text) {
    Map<String, Entry> m = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      String l = line.strip();
      if (!l.startsWith("config classification:")) {
        continue;
      }
      String[] f = l.substring("config classification:".length()).split(",");
      if (f.length != 3) {
        continue;
      }
      try {
        String name = f[0].strip();
        m.put(name, new Entry(name, f[1].strip(), Integer.parseInt(f[2].strip())));
      } catch (NumberFormatException e) {
        // a bad priority: the line is skipped
      }
    }
    return m;
  }
}

package io.mirrorsensor.sensor.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * YAML config files: parsed with SnakeYAML Engine (YAML 1.2, no object construction) and flattened
 * to the dotted keys of the properties format ({@code flow: {idle_timeout: 60s}} becomes
 * {@code flow.idle_timeout}, {@code vni: {101: {session: x}}} becomes {@code vni.101.session}, a
 * list becomes a comma-separated value), so {@link ConfigLoader} validates both formats with the
 * same rules and messages.
 */
final class YamlConfig {
  private YamlConfig() {}

  static boolean isYaml(Path file) {
    String n = file.getFileName() == null ? "" : file.getFileName().toString()
        .toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  static Map<String, String> read(Path file) {
    String source = file.toString();
    Object doc;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      doc = new Load(LoadSettings.builder().setAllowDuplicateKeys(false)
          .setLabel(source).build()).loadFromReader(r);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    } catch (YamlEngineException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage().strip());
    }
    return flatten(doc, source);
  }

  /** The dotted keys of a parsed YAML document; {@code source} names it in error messages. */
  static Map<String, String> flatten(Object doc, String source) {
    Map<String, String> out = new TreeMap<>();
    if (doc == null) {
      return out; // an empty file: all defaults
    }
    if (!(doc instanceof Map)) {
      throw new ConfigException(source + ": expected a mapping of keys at the top level, found "
          + describe(doc));
    }
    walk((Map<?, ?>) doc, "", out, source);
    return out;
  }

  private static void walk(Map<?, ?> map, String prefix, Map<String, String> out,
      String source) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object k = e.getKey();
      if (!(k instanceof String || k instanceof Number || k instanceof Boolean)) {
        throw new ConfigException(source + ": " + (prefix.isEmpty() ? "top level" : prefix
            .substring(0, prefix.length() - 1)) + ": a key must be a name, found " + describe(k));
      }
      String key = prefix + String.valueOf(k).trim();
      Object v = e.getValue();
      if (v instanceof Map) {
        walk((Map<?, ?>) v, key + ".", out, source);
        continue;
      }
      String value;
      if (v == null) {
        value = "";
      } else if (v instanceof List) {
        StringBuilder sb = new StringBuilder();
        for (Object item : (List<?>) v) {
          if (item instanceof Map || item instanceof List) {
            throw new ConfigException(source + ": " + key + ": a list may hold only plain values,"
                + " found " + describe(item));
          }
          if (sb.length() > 0) {
            sb.append(',');
          }
          sb.append(String.valueOf(item).trim());
        }
        value = sb.toString();
      } else if (v instanceof byte[]) {
        throw new ConfigException(source + ": " + key + ": binary values are not accepted");
      } else {
        value = String.valueOf(v).trim();
      }
      if (out.put(key, value) != null) {
        throw new ConfigException(source + ": " + key + " is given twice (once nested, once as a"
            + " dotted key)");
      }
    }
  }

  private static String describe(Object o) {
    if (o == null) {
      return "an empty value";
    }
    if (o instanceof Map) {
      return "a mapping";
    }
    if (o instanceof List) {
      return "a list";
    }
    return "'" + o + "'";
  }
}

package io.mirrorsensor.sensor.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for tests (maps, lists, strings, longs, doubles, booleans, null) over the
 * streaming parser the sensor already depends on: reading truth files and our own EVE output does
 * not justify a databind dependency.
 */
public final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  public static Object parse(String text) throws IOException {
    try (JsonParser p = FACTORY.createParser(text)) {
      p.nextToken();
      return value(p);
    }
  }

  public static Object parse(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** One object per non-empty line (EVE, jsonl truth files). */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> lines(Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        out.add((Map<String, Object>) parse(line));
      }
    }
    return out;
  }

  /** Follows a dotted path ({@code flow.pkts_toserver}) through nested maps; null when absent. */
  @SuppressWarnings("unchecked")
  public static Object at(Map<String, Object> m, String path) {
    Object cur = m;
    for (String part : path.split("\\.")) {
      if (!(cur instanceof Map)) {
        return null;
      }
      cur = ((Map<String, Object>) cur).get(part);
    }
    return cur;
  }

  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
          String name = p.currentName();
          p.nextToken();
          m.put(name, value(p));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(value(p));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected token " + t);
    }
  }
}

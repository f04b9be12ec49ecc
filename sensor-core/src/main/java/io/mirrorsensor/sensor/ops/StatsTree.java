package io.mirrorsensor.sensor.ops;

import io.mirrorsensor.sensor.output.StatsValue;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading the nested {@code stats} map: rendered to plain maps and numbers, read by path. */
final class StatsTree {
  private StatsTree() {}

  /**
   * A copy of {@code m} with every {@link StatsValue} rendered and every number a {@link Long} or
   * {@link Double}: what the EVE stats event says, as plain values any thread may read.
   */
  static Map<String, Object> plain(Map<String, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, plainValue(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object plainValue(Object v) {
    if (v instanceof Map) {
      return plain((Map<String, ?>) v);
    }
    if (v instanceof StatsValue) {
      return plain(((StatsValue) v).render());
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).doubleValue();
    }
    if (v instanceof Double || v instanceof Float) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    return v == null ? null : String.valueOf(v);
  }

  /** The value at a dotted path, or null. */
  static Object at(Map<String, Object> m, String path) {
    Object o = m;
    for (String part : path.split("\\.")) {
      if (!(o instanceof Map)) {
        return null;
      }
      o = ((Map<?, ?>) o).get(part);
    }
    return o;
  }

  /** The number at a dotted path as a long, {@code def} when absent. */
  static long num(Map<String, Object> m, String path, long def) {
    Object o = at(m, path);
    return o instanceof Number ? ((Number) o).longValue() : def;
  }

  /** The map at a dotted path, empty when absent. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String path) {
    Object o = at(m, path);
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }

  /** Sum of the numbers directly in the map at {@code path}. */
  static long sum(Map<String, Object> m, String path) {
    long s = 0;
    for (Object v : map(m, path).values()) {
      if (v instanceof Number) {
        s += ((Number) v).longValue();
      }
    }
    return s;
  }
}

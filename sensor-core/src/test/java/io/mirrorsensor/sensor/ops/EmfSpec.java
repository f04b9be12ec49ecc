package io.mirrorsensor.sensor.ops;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The required structure of a CloudWatch Embedded Metric Format document (AWS, "Specification:
 * Embedded metric format"): a JSON object whose {@code _aws} member holds {@code Timestamp}
 * (milliseconds since the epoch) and {@code CloudWatchMetrics}, an array of MetricDirectives
 * {@code {Namespace, Dimensions: [[name...]...], Metrics: [{Name, Unit?, StorageResolution?}]}}
 * (no other members); every dimension a top-level string member, every metric a top-level number
 * (or array of numbers) member; at most 30 dimensions per set and 100 metrics per directive.
 */
final class EmfSpec {
  static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes",
      "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits",
      "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
      "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
      "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
      "Count/Second", "None");

  private EmfSpec() {}

  @SuppressWarnings("unchecked")
  static void check(Map<String, Object> doc) {
    Object aws = doc.get("_aws");
    require(aws instanceof Map, "_aws must be an object", doc);
    Map<String, Object> meta = (Map<String, Object>) aws;
    require(meta.get("Timestamp") instanceof Long, "_aws.Timestamp must be an integer", doc);
    long ts = (Long) meta.get("Timestamp");
    require(ts > 1_500_000_000_000L && ts < 4_000_000_000_000L,
        "_aws.Timestamp must be milliseconds since the epoch", doc);
    require(meta.get("CloudWatchMetrics") instanceof List, "CloudWatchMetrics must be an array",
        doc);
    for (Object d : (List<Object>) meta.get("CloudWatchMetrics")) {
      require(d instanceof Map, "a MetricDirective must be an object", doc);
      Map<String, Object> dir = (Map<String, Object>) d;
      require(Set.of("Namespace", "Dimensions", "Metrics").containsAll(dir.keySet()),
          "a MetricDirective has only Namespace, Dimensions, Metrics", doc);
      require(dir.get("Namespace") instanceof String
          && !((String) dir.get("Namespace")).isEmpty()
          && ((String) dir.get("Namespace")).length() <= 255, "Namespace: 1-255 chars", doc);
      require(dir.get("Dimensions") instanceof List, "Dimensions must be an array", doc);
      for (Object set : (List<Object>) dir.get("Dimensions")) {
        require(set instanceof List, "a DimensionSet must be an array", doc);
        List<Object> names = (List<Object>) set;
        require(names.size() <= 30, "at most 30 dimensions in a set", doc);
        for (Object n : names) {
          require(n instanceof String, "a dimension reference must be a string", doc);
          Object v = doc.get(n);
          require(v instanceof String && !((String) v).isEmpty()
              && ((String) v).length() <= 1024, "dimension " + n
              + " must be a top-level string member (1-1024 chars)", doc);
        }
      }
      require(dir.get("Metrics") instanceof List, "Metrics must be an array", doc);
      List<Object> metrics = (List<Object>) dir.get("Metrics");
      require(!metrics.isEmpty() && metrics.size() <= 100, "1 to 100 metrics", doc);
      for (Object m : metrics) {
        require(m instanceof Map, "a MetricDefinition must be an object", doc);
        Map<String, Object> def = (Map<String, Object>) m;
        require(Set.of("Name", "Unit", "StorageResolution").containsAll(def.keySet()),
            "a MetricDefinition has only Name, Unit, StorageResolution", doc);
        require(def.get("Name") instanceof String && !((String) def.get("Name")).isEmpty(),
            "Name must be a non-empty string", doc);
        if (def.containsKey("Unit")) {
          require(UNITS.contains(def.get("Unit")), "Unit " + def.get("Unit")
              + " is not a CloudWatch unit", doc);
        }
        Object v = doc.get(def.get("Name"));
        require(v instanceof Number || (v instanceof List && ((List<?>) v).stream()
            .allMatch(x -> x instanceof Number)), "metric " + def.get("Name")
            + " must be a top-level number member", doc);
      }
    }
  }

  private static void require(boolean ok, String what, Map<String, Object> doc) {
    if (!ok) {
      throw new AssertionError("EMF: " + what + ": " + doc);
    }
  }
}

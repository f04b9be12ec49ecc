package io.mirrorsensor.sensor.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The most recent {@code alert} events, read from the tail of the EVE file when the status page
 * is asked for (nothing is kept on the hot path; the file is what the sensor has written so far).
 */
final class RecentFindings {
  private static final int TAIL_BYTES = 256 * 1024;
  private static final JsonFactory JSON = new JsonFactory();

  /** One finding as the status page shows it. */
  record Finding(String timestamp, String signature, String src, String dest, String vni,
      String session) {}

  private RecentFindings() {}

  /** Up to {@code max} alerts, newest first, from the last 256 KiB of {@code eve}. */
  static List<Finding> read(Path eve, int max) {
    List<Finding> out = new ArrayList<>();
    byte[] tail;
    try (RandomAccessFile f = new RandomAccessFile(eve.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - TAIL_BYTES);
      tail = new byte[(int) (len - from)];
      f.seek(from);
      f.readFully(tail);
    } catch (IOException e) {
      return out;
    }
    String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
    // The first line may be cut (we started mid-file) and the last one still being written:
    // both then fail to parse and are skipped.
    for (int i = lines.length - 1; i >= 0 && out.size() < max; i--) {
      String line = lines[i];
      if (!line.contains("\"event_type\":\"alert\"")) {
        continue;
      }
      try {
        Map<String, Object> e = parse(line);
        out.add(new Finding(str(e, "timestamp"), str(e, "alert.signature"),
            str(e, "src_ip") + ":" + str(e, "src_port"),
            str(e, "dest_ip") + ":" + str(e, "dest_port"), str(e, "vxlan.vni"),
            str(e, "vxlan.session")));
      } catch (IOException | RuntimeException ex) {
        // a cut line: skip
      }
    }
    return out;
  }

  private static String str(Map<String, Object> m, String path) {
    Object o = StatsTree.at(m, path);
    return o == null ? "" : String.valueOf(o);
  }

  static Map<String, Object> parse(String line) throws IOException {
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an object");
      }
      Map<String, Object> m = object(p);
      if (p.nextToken() != null) {
        throw new IOException("trailing data");
      }
      return m;
    }
  }

  private static Map<String, Object> object(JsonParser p) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      m.put(name, value(p, p.nextToken()));
    }
    return m;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      throw new IOException("cut off");
    }
    switch (t) {
      case START_OBJECT:
        return object(p);
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        JsonToken x;
        while ((x = p.nextToken()) != JsonToken.END_ARRAY) {
          l.add(value(p, x));
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
        return true;
      case VALUE_FALSE:
        return false;
      default:
        return null;
    }
  }
}

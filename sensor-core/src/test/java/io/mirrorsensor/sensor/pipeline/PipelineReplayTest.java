package io.mirrorsensor.sensor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.config.ConfigLoader;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.ReplayRunner;
import io.mirrorsensor.sensor.engine.ReplaySummary;
import io.mirrorsensor.sensor.testing.Dirs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay through the pipeline gives the same output whatever the number of workers. */
class PipelineReplayTest {
  @TempDir Path tmp;

  static SensorConfig workers(int n) {
    Properties p = new Properties();
    p.setProperty("pipeline.workers", Integer.toString(n));
    return ConfigLoader.fromProperties(p, "test");
  }

  private List<String> run(SensorConfig cfg, Path input, String name) throws IOException {
    Path out = tmp.resolve(name);
    ReplaySummary s = ReplayRunner.replay(cfg, List.of(input), out,
        new PrintStream(PrintStream.nullOutputStream()));
    assertTrue(s.packets() > 0);
    String[] eve = Files.readAllLines(out.resolve("eve.json")).stream()
        .map(l -> l.replaceAll("\"uptime\":\\d+", "\"uptime\":0")).toArray(String[]::new);
    String[] flows = Files.readAllLines(out.resolve("flows.log")).toArray(String[]::new);
    assertTrue(flows[0].startsWith("version "), "flows.log starts with its header");
    Arrays.sort(eve);
    Arrays.sort(flows, 1, flows.length);
    return List.of(String.join("\n", eve), String.join("\n", flows));
  }

  @Test
  void oneWorkerAndFiveWorkersWriteTheSameEventsAndFlowRecords() throws IOException {
    for (String sample : new String[] {"samples/vxlan.pcap", "samples/plain.pcapng"}) {
      Path in = Dirs.root().resolve(sample);
      List<String> one = run(workers(1), in, "one" + sample.hashCode());
      List<String> five = run(workers(5), in, "five" + sample.hashCode());
      assertEquals(one.get(0), five.get(0), sample + ": eve.json");
      assertEquals(one.get(1), five.get(1), sample + ": flows.log");
    }
  }
}

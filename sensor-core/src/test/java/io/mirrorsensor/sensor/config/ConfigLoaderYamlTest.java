package io.mirrorsensor.sensor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML config files: flattened to the properties keys, validated by the same rules. */
class ConfigLoaderYamlTest {
  @TempDir Path tmp;

  private Path write(String name, String... lines) throws Exception {
    Path p = tmp.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  @Test
  void nestedDottedListsAndVniMapsGiveTheSameConfigAsProperties() throws Exception {
    Path yaml = write("sensor.yaml",
        "flow:",
        "  idle_timeout: 30s",
        "  max_flows: 2_000_000",
        "tcp:",
        "  alert.slow_handshake: 500ms",
        "live:",
        "  allow_vnis: [101, 102]",
        "  allow_sources:",
        "    - 10.0.0.0/16",
        "    - fd00::/8",
        "decoder: {validate_checksums: true}",
        "vni:",
        "  101: {session: web-frontend, eni: eni-0a1b2c3d4e5f60001}",
        "  300:",
        "    session: legacy",
        "    network: legacy-vpc",
        "ops: {http: {enabled: yes, port: 9200}, health: {max_drop_ratio: 0.05}}");
    Properties p = new Properties();
    p.setProperty("flow.idle_timeout", "30s");
    p.setProperty("flow.max_flows", "2_000_000");
    p.setProperty("tcp.alert.slow_handshake", "500ms");
    p.setProperty("live.allow_vnis", "101,102");
    p.setProperty("live.allow_sources", "10.0.0.0/16, fd00::/8");
    p.setProperty("decoder.validate_checksums", "true");
    p.setProperty("vni.101.session", "web-frontend");
    p.setProperty("vni.101.eni", "eni-0a1b2c3d4e5f60001");
    p.setProperty("vni.300.session", "legacy");
    p.setProperty("vni.300.network", "legacy-vpc");
    p.setProperty("ops.http.enabled", "yes");
    p.setProperty("ops.http.port", "9200");
    p.setProperty("ops.health.max_drop_ratio", "0.05");
    ConfigLoader.Loaded y = ConfigLoader.loadAll(yaml);
    ConfigLoader.Loaded q = ConfigLoader.loadAll(p, "props");

    assertEquals(YamlConfig.read(yaml).keySet(), new java.util.TreeSet<>(
        p.stringPropertyNames()));
    assertEquals(30_000_000_000L, y.sensor().flowIdleTimeoutNanos());
    assertEquals(2_000_000, y.sensor().maxFlows());
    assertEquals(500_000_000L, y.sensor().tcp().slowHandshakeNanos());
    assertEquals(List.of(101, 102), y.sensor().live().allowedVnis());
    assertEquals(List.of("10.0.0.0/16", "fd00::/8"), y.sensor().live().allowedSources());
    assertTrue(y.sensor().validateChecksums());
    assertEquals("web-frontend", y.sensor().vniInfo(101).session());
    assertEquals("legacy-vpc", y.sensor().vniInfo(300).networkName());
    assertEquals(q.sensor().vnis(), y.sensor().vnis());
    assertEquals(q.sensor().live(), y.sensor().live());
    assertEquals(q.sensor().tcp(), y.sensor().tcp());
    assertEquals(q.ops(), y.ops());
    assertEquals(9200, y.ops().httpPort());
    assertEquals(0.05, y.ops().maxDropRatio());
    // load(Path) picks YAML by extension too (replay and listen use it).
    assertEquals(30_000_000_000L, ConfigLoader.load(yaml).flowIdleTimeoutNanos());
  }

  @Test
  void errorsNameTheFileTheKeyPathAndTheValue() throws Exception {
    Path bad = write("sensor.yaml", "flow:", "  idle_timeout: soon");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadAll(bad));
    assertTrue(e.getMessage().startsWith(bad + ": flow.idle_timeout=soon is not valid"),
        e.getMessage());

    Path unknown = write("typo.yml", "flow:", "  idle_timout: 5s");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.loadAll(unknown));
    assertTrue(e.getMessage().startsWith(unknown + ": unknown key 'flow.idle_timout'"),
        e.getMessage());

    Path twice = write("twice.yaml", "flow:", "  idle_timeout: 5s", "flow.idle_timeout: 6s");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.loadAll(twice));
    assertTrue(e.getMessage().contains("flow.idle_timeout is given twice"), e.getMessage());

    Path dup = write("dup.yaml", "flow:", "  idle_timeout: 5s", "  idle_timeout: 6s");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.loadAll(dup));
    assertTrue(e.getMessage().startsWith(dup + ": not valid YAML"), e.getMessage());

    Path syntax = write("syntax.yaml", "flow: [unclosed");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.loadAll(syntax));
    assertTrue(e.getMessage().startsWith(syntax + ": not valid YAML"), e.getMessage());

    Path scalar = write("scalar.yaml", "just text");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.loadAll(scalar));
    assertTrue(e.getMessage().contains("expected a mapping"), e.getMessage());

    Path nested = write("nested.yaml", "live:", "  allow_vnis: [[1, 2]]");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.loadAll(nested));
    assertTrue(e.getMessage().contains("live.allow_vnis: a list may hold only plain values"),
        e.getMessage());

    Path ratio = write("ratio.yaml", "ops: {health: {max_drop_ratio: 2}}");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.loadAll(ratio));
    assertTrue(e.getMessage().contains("ops.health.max_drop_ratio=2 is not valid"),
        e.getMessage());

    assertThrows(ConfigException.class, () -> ConfigLoader.loadAll(tmp.resolve("none.yaml")));
  }

  @Test
  void anEmptyYamlFileGivesTheDefaults() throws Exception {
    Path empty = write("empty.yaml", "# nothing set");
    assertEquals(SensorConfig.defaults().live(), ConfigLoader.loadAll(empty).sensor().live());
    assertEquals(OpsConfig.defaults(), ConfigLoader.loadAll(empty).ops());
  }

  @Test
  void theDefaultsTableListsEveryKnownKeyOnce() {
    List<ConfigLoader.KeyDefault> t = ConfigLoader.defaultsTable();
    java.util.Set<String> keys = new java.util.TreeSet<>();
    for (ConfigLoader.KeyDefault k : t) {
      assertTrue(keys.add(k.key()), "once: " + k.key());
    }
    java.util.Set<String> known = new java.util.TreeSet<>(ConfigLoader.KEYS);
    known.addAll(ConfigLoader.EXTRACT_KEYS);
    assertEquals(known, keys);
    Map<String, String> byKey = new java.util.HashMap<>();
    t.forEach(k -> byKey.put(k.key(), k.value()));
    assertEquals("60s", byKey.get("flow.idle_timeout"));
    assertEquals("3ms", byKey.get("tcp.reorder_window"));
    assertEquals("127.0.0.1", byKey.get("ops.http.bind"));
  }
}

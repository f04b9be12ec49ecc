package io.mirrorsensor.sensor.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static SensorConfig of(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return ConfigLoader.fromProperties(p, "test.properties");
  }

  @Test
  void defaultsNeedNoFile() {
    SensorConfig c = SensorConfig.defaults();
    assertArrayEquals(new int[] {4789}, c.vxlanPorts());
    assertFalse(c.validateChecksums());
    assertEquals(60_000_000_000L, c.flowIdleTimeoutNanos());
    assertEquals(300_000_000_000L, c.tcpEstablishedTimeoutNanos());
    assertEquals(1_000_000, c.maxFlows());
    assertEquals(50_000_000L, c.mirrorDuplicateWindowNanos());
    assertEquals("eve.json", c.eveFile());
    assertEquals("flows.log", c.flowLogFile());
    assertEquals("-", c.accountId());
    assertEquals(0, c.networkOf(5569041));
    assertEquals(0, c.networkOf(-1));
  }

  @Test
  void httpBodyLimitsDefaultToSuricatasAndAreKeys() {
    AppAlertConfig d = SensorConfig.defaults().appAlerts();
    assertEquals(102_400, d.httpRequestBodyLimit());
    assertEquals(102_400, d.httpResponseBodyLimit());
    AppAlertConfig c = of("http.request_body_limit", "0", "http.response_body_limit", "4096")
        .appAlerts();
    assertEquals(0, c.httpRequestBodyLimit());
    assertEquals(4096, c.httpResponseBodyLimit());
    assertThrows(ConfigException.class, () -> of("http.response_body_limit", "-1"));
  }

  @Test
  void parsesDurationsWithUnits() {
    assertEquals(500_000_000L, ConfigLoader.parseDuration("500ms"));
    assertEquals(30_000_000_000L, ConfigLoader.parseDuration("30"));
    assertEquals(120_000_000_000L, ConfigLoader.parseDuration("2m"));
    assertEquals(1_500L, ConfigLoader.parseDuration("1.5us"));
    assertEquals(-1, ConfigLoader.parseDuration("soon"));
    assertEquals(-1, ConfigLoader.parseDuration("5 fortnights"));
  }

  @Test
  void vniMapNamesSessionsAndSplitsNetworks() {
    SensorConfig c = of(
        "vni.101.session", "web-client", "vni.101.eni", "eni-0aaa",
        "vni.102.session", "db", "vni.102.network", "vpc-b",
        "vni.103.network", "vpc-b");
    assertEquals("web-client", c.vniInfo(101).session());
    assertEquals("eni-0aaa", c.vniInfo(101).eni());
    assertNull(c.vniInfo(102).eni());
    assertEquals(0, c.networkOf(101), "unnamed network is the default one");
    assertEquals(c.networkOf(102), c.networkOf(103));
    assertTrue(c.networkOf(102) > 0);
    assertEquals(0, c.networkOf(999), "unknown VNIs join the default network");
  }

  @Test
  void unknownKeyIsAnErrorNamingSourceAndKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> of("flow.idle_timout", "5s"));
    assertTrue(e.getMessage().contains("test.properties"), e.getMessage());
    assertTrue(e.getMessage().contains("flow.idle_timout"), e.getMessage());
  }

  @Test
  void badValuesAreErrorsNamingKeyAndValue() {
    ConfigException e = assertThrows(ConfigException.class, () -> of("flow.max_flows", "lots"));
    assertTrue(e.getMessage().contains("flow.max_flows=lots"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> of("vxlan.ports", "4789,70000"));
    assertTrue(e.getMessage().contains("vxlan.ports"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> of("flow.idle_timeout", "-3s"));
    assertTrue(e.getMessage().contains("flow.idle_timeout"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> of("vni.abc.session", "x"));
    assertTrue(e.getMessage().contains("vni.abc.session"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> of("output.eve", "../eve.json"));
    assertTrue(e.getMessage().contains("output.eve"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> of("decoder.validate_checksums", "maybe"));
    assertTrue(e.getMessage().contains("true or false"), e.getMessage());
  }

  @Test
  void readsAFileAndReportsAMissingOne() throws IOException {
    Path f = dir.resolve("sensor.properties");
    Files.writeString(f, "# comment\nvxlan.ports = 4789, 8472\nflow.max_flows=10\n");
    SensorConfig c = ConfigLoader.load(f);
    assertArrayEquals(new int[] {4789, 8472}, c.vxlanPorts());
    assertEquals(10, c.maxFlows());
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(dir.resolve("nope.properties")));
    assertTrue(e.getMessage().contains("nope.properties"), e.getMessage());
  }
}

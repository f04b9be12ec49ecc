package io.mirrorsensor.sensor.config;

import java.util.List;

/**
 * Operations settings of {@code listen} ({@code ops.*} keys, docs/CONFIG.md "Operations"): the
 * health/metrics HTTP endpoint and CloudWatch Embedded Metric Format lines. Built by
 * {@link ConfigLoader} from the same file as {@link SensorConfig}.
 *
 * @param httpEnabled serve /health, /metrics and / (also turned on by {@code listen --http PORT})
 * @param httpBind address the HTTP endpoint binds (loopback by default)
 * @param httpPort its TCP port (0: any free port)
 * @param snapshotIntervalNanos how often the counters behind /metrics and /health are refreshed
 * @param maxDropRatio /health fails when more than this share of the datagrams of the last
 *     snapshot interval were dropped (listener drops plus kernel drops)
 * @param emfOutput where EMF lines go: empty (off), {@code stdout}, or a file (relative paths are
 *     inside the output directory)
 * @param emfNamespace CloudWatch namespace of the EMF metrics
 * @param emfDimensions dimensions of the per-VNI documents: {@code vni}, {@code session} or both
 * @param emfSensorName value of the {@code Sensor} dimension (empty: the host name)
 * @param healthTcpPort a TCP port that accepts connections only while {@code /health} would
 *     answer 200, for load balancer TCP health checks (on {@code httpBind}; -1 off, 0 any free
 *     port)
 */
public record OpsConfig(
    boolean httpEnabled,
    String httpBind,
    int httpPort,
    long snapshotIntervalNanos,
    double maxDropRatio,
    String emfOutput,
    String emfNamespace,
    List<String> emfDimensions,
    String emfSensorName,
    int healthTcpPort) {

  public OpsConfig {
    emfDimensions = List.copyOf(emfDimensions);
  }

  /** This config with the HTTP endpoint on {@code port} (the {@code --http} option). */
  public OpsConfig withHttpPort(int port) {
    return new OpsConfig(true, httpBind, port, snapshotIntervalNanos, maxDropRatio, emfOutput,
        emfNamespace, emfDimensions, emfSensorName, healthTcpPort);
  }

  public static OpsConfig defaults() {
    return ConfigLoader.loadAll(new java.util.Properties(), "defaults").ops();
  }
}

/**
 * Operations of the live sensor (issue 11), off the hot path: an embedded HTTP endpoint
 * ({@code /health} for load-balancer health checks, {@code /metrics} in the Prometheus text
 * format 0.0.4, {@code /} a self-refreshing status page) and CloudWatch Embedded Metric Format
 * lines. Everything here reads the snapshots {@link io.mirrorsensor.sensor.live.LiveRunner} hands
 * over on its ticker thread ({@link OpsState}); nothing here touches a packet.
 */
package io.mirrorsensor.sensor.ops;

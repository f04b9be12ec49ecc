/**
 * The running sensor: capture sources, the flow table, outputs (EVE JSON, flow logs), config and
 * the CLI. Must not parse protocols itself: that is {@code io.mirrorsensor.decode}'s job.
 */
package io.mirrorsensor.sensor;

/**
 * The packet path that replay and (later) live capture share: decode, flow accounting, outputs,
 * counters. A {@link io.mirrorsensor.sensor.engine.PacketProcessor} is one worker's whole state.
 */
package io.mirrorsensor.sensor.engine;

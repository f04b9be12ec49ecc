/**
 * The pipeline that replay and live capture share (issue 4): one LMAX Disruptor ring per worker,
 * packets sharded by a symmetric hash of their inner IP addresses, each worker owning a
 * {@link io.mirrorsensor.sensor.engine.PacketProcessor} (decoder, flow-table shard) with no locks
 * on the hot path, and one output thread that owns the files. Sources publish into it: the replay
 * reader with back-pressure, the live listener without ever blocking (a full ring drops and
 * counts). Must not import Netty or know where packets come from.
 */
package io.mirrorsensor.sensor.pipeline;

package io.mirrorsensor.sensor.flow;

import io.mirrorsensor.decode.tcp.StreamSink;

/**
 * Where reassembled TCP streams go: asked once per direction of a TCP flow, when that direction
 * carries its first payload byte, for the {@link StreamSink} that will consume it (an app-layer
 * parser). One factory per {@link FlowTable} (per worker), so a factory may keep worker-local state
 * without locks.
 *
 * <p>Returning {@code null} means "no consumer": that direction is then not reassembled at all (no
 * reassembler, no copies, no budget), and the factory is not asked again for it. {@link #NONE}, the
 * default, returns null for everything, which keeps the packet path free of reassembly.
 *
 * <p>Call order, all on the flow table's one thread, in packet order:
 *
 * <ol>
 *   <li>{@link #open} at most once per flow and direction, on that direction's first payload byte
 *       (the other direction may have been opened before or never be).
 *   <li>Then, for each direction that got a sink: {@link StreamSink#data} and {@link
 *       StreamSink#gap} with contiguous, increasing stream offsets: data in order, bytes the sensor
 *       never saw (mirror loss, truncated copies, a bound reached) announced as gaps, never
 *       skipped silently. Offset 0 is the byte after the SYN when the SYN was seen, else the first
 *       byte seen.
 *   <li>The two directions' calls interleave in packet order: a consumer holding both sinks of a
 *       flow sees the direction change (request bytes, then response bytes) as it happened.
 *       Buffered out-of-order bytes are delivered when the hole before them fills or is given up.
 *   <li>{@link StreamSink#end} exactly once per sink: when the flow ends (timeout, eviction,
 *       shutdown; before its flow record is written), or earlier when the direction reaches {@code
 *       tcp.reassembly.depth}. Nothing follows it. An active-timeout record does not end a stream.
 * </ol>
 *
 * <p>The {@link Flow} passed to {@link #open} is the live flow: a sink may keep it and read it
 * during its calls (not after {@link StreamSink#end}).
 */
@FunctionalInterface
public interface StreamConsumerFactory {
  /** No consumers: no flow is reassembled. */
  StreamConsumerFactory NONE = (flow, toServer) -> null;

  /**
   * The consumer of one direction of {@code flow}, or null for none.
   *
   * @param toServer true for the client's direction (client to server)
   */
  StreamSink open(Flow flow, boolean toServer);
}

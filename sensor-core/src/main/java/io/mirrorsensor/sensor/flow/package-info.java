/**
 * Flow state: the flow table (one shard per worker), flow records, timeouts driven by packet time,
 * mirror-duplicate recognition. Owned by one worker thread each; no locks. Must not write files:
 * ended flows go to a {@link io.mirrorsensor.sensor.flow.FlowSink}.
 */
package io.mirrorsensor.sensor.flow;

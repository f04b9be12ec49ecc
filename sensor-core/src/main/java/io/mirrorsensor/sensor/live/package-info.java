/**
 * The live appliance's source (issue 4): a Netty UDP listener for VXLAN mirror traffic (epoll with
 * SO_REUSEPORT and several receive loops on Linux, NIO elsewhere) that validates each datagram,
 * applies the allow-lists and copies the mirrored frame once into a pipeline ring slot, never
 * waiting; plus the run's clock, kernel drop counters and the live run itself. Packet logic
 * belongs in decoders and the pipeline, not here.
 */
package io.mirrorsensor.sensor.live;

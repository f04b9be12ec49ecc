package io.mirrorsensor.sensor.live;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One receive loop's counters. Single writer (the loop's thread, with release stores via
 * {@link AtomicLong#lazySet}, no read-modify-write); any thread may read. Every datagram received
 * is counted in {@link #received} and in exactly one of {@link #published} or a drop reason.
 */
final class ListenerCounters {
  final AtomicLong received = new AtomicLong();
  final AtomicLong receivedBytes = new AtomicLong();
  final AtomicLong published = new AtomicLong();
  final AtomicLong notVxlan = new AtomicLong();
  /** GENEVE sockets: not a GENEVE version 0 header with an IP or Ethernet payload. */
  final AtomicLong notGeneve = new AtomicLong();
  final AtomicLong sourceNotAllowed = new AtomicLong();
  final AtomicLong vniNotAllowed = new AtomicLong();
  final AtomicLong oversized = new AtomicLong();
  final AtomicLong ringFull = new AtomicLong();
  final AtomicLong ringHighWater = new AtomicLong();

  static void inc(AtomicLong c) {
    c.lazySet(c.get() + 1);
  }

  static void add(AtomicLong c, long n) {
    c.lazySet(c.get() + n);
  }
}

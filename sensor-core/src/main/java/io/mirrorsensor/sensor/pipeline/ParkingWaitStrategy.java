package io.mirrorsensor.sensor.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.locks.LockSupport;

/**
 * How an idle live worker waits when cores are few ({@code pipeline.wait_strategy = parking}):
 * spins briefly, then sleeps, {@link #FIRST_PARK_NANOS} first and twice as long each time it
 * wakes to an empty ring, up to {@link #MAX_PARK_NANOS}; it never yields. The publisher never
 * signals (a receive loop does no system call to wake a worker).
 *
 * <p>Disruptor's {@code SleepingWaitStrategy} yields 100 times, then sleeps ~50 us at a time: a
 * worker fed in bursts (each {@code recvmmsg} read) goes idle after every burst, and on the 2-core
 * VM of issue 4 those {@code sched_yield} calls and wake-ups took 18% of a core at 20,000
 * packets/s ({@code LiveHarness --receiver direct}). Sleeping at most {@link #MAX_PARK_NANOS}
 * bounds what it adds to a packet's latency; a ring of 8,192 slots holds that long a burst of
 * 10 M packets/s.
 */
final class ParkingWaitStrategy implements WaitStrategy {
  static final int SPINS = 256;
  static final long FIRST_PARK_NANOS = 50_000;
  static final long MAX_PARK_NANOS = 800_000;

  @Override
  public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence,
      SequenceBarrier barrier) throws AlertException {
    long available;
    int spins = SPINS;
    long park = FIRST_PARK_NANOS;
    while ((available = dependentSequence.get()) < sequence) {
      barrier.checkAlert();
      if (spins > 0) {
        spins--;
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(park);
        park = Math.min(park * 2, MAX_PARK_NANOS);
      }
    }
    return available;
  }

  @Override
  public void signalAllWhenBlocking() {
    // publishers never wake a worker: it polls
  }
}

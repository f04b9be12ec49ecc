package io.mirrorsensor.sensor.pipeline;

import io.mirrorsensor.sensor.engine.Outputs;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that writes the output files. Workers encode their events into memory and queue
 * the bytes here in chunks; this thread appends them to {@link Outputs}. Live, it flushes the
 * files whenever the queue runs dry for {@link #FLUSH_IDLE_MILLIS}, so readers see events within
 * about a second.
 */
final class OutputThread extends Thread {
  static final long FLUSH_IDLE_MILLIS = 500;
  private static final Chunk POISON = new Chunk(new byte[0], new byte[0]);

  /**
   * Encoded EVE lines, flow-log lines and extract operations ({@code ExtractFeed}); the arrays are
   * handed over, never written again.
   */
  record Chunk(byte[] eve, byte[] flowLog, byte[] extracts) {
    Chunk(byte[] eve, byte[] flowLog) {
      this(eve, flowLog, new byte[0]);
    }
  }

  private final Outputs outputs;
  private final ArrayBlockingQueue<Chunk> queue;
  private final boolean flushWhenIdle;
  /** Written by producers (workers), read by the stats thread. */
  private final AtomicLong queueHighWater = new AtomicLong();

  OutputThread(Outputs outputs, int capacity, boolean flushWhenIdle) {
    super("mirrorsensor-output");
    setDaemon(true);
    this.outputs = outputs;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.flushWhenIdle = flushWhenIdle;
  }

  /** Queues a chunk, waiting for room (replay: back-pressure). */
  void put(Chunk c) throws InterruptedException {
    queue.put(c);
    noteDepth();
  }

  /** Queues a chunk if there is room (live: a worker never waits on the disk). */
  boolean offer(Chunk c) {
    boolean ok = queue.offer(c);
    if (ok) {
      noteDepth();
    }
    return ok;
  }

  private void noteDepth() {
    long d = queue.size();
    long hw;
    while (d > (hw = queueHighWater.get()) && !queueHighWater.compareAndSet(hw, d)) {
      // retry
    }
  }

  long queueHighWater() {
    return queueHighWater.get();
  }

  int queued() {
    return queue.size();
  }

  /** Writes what is queued, then ends the thread; returns once it has. */
  void finish() throws InterruptedException {
    queue.put(POISON);
    join();
  }

  @Override
  public void run() {
    try {
      while (true) {
        Chunk c = flushWhenIdle ? queue.poll(FLUSH_IDLE_MILLIS, TimeUnit.MILLISECONDS)
            : queue.take();
        if (c == null) {
          outputs.flush();
          continue;
        }
        if (c == POISON) {
          return;
        }
        outputs.writeEncoded(c.eve(), c.flowLog());
        if (c.extracts().length > 0) {
          outputs.writeExtracts(c.extracts());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

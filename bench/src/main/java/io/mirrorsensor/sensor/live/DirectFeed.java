package io.mirrorsensor.sensor.live;

import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.Outputs;
import io.mirrorsensor.sensor.pipeline.Pipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The sensor's live path without sockets, for the bench harness ({@code LiveHarness --receiver
 * direct}): one thread named like a receive loop hands prebuilt {@link DatagramPacket}s to the real
 * {@link VxlanDatagramHandler} (through an {@link EmbeddedChannel}, {@code batch} datagrams then
 * one {@code channelReadComplete}, as one {@code recvmmsg} read), which feeds the real
 * {@link Pipeline} in live mode. No kernel and no sender: the CPU time per packet of the handler
 * and worker threads measures the sensor's own work, steadier than anything through loopback on a
 * shared machine. In the bench module, in this package, to reach the package-private handler.
 */
public final class DirectFeed {
  /** What one run did. */
  public record Result(long sent, double seconds, long published, long ringFull,
      Histogram latency, long feederCpuNanos) {}

  private DirectFeed() {}

  /**
   * Feeds {@code total} datagrams (cycling through {@code datagrams}, VXLAN payloads) at
   * {@code rate} per second in bursts of {@code batch}, from a thread named
   * {@code mirrorsensor-receive-direct}; then finishes the pipeline. {@code beforeFinish} runs on
   * the calling thread once the workers have caught up, before the pipeline's threads end.
   */
  public static Result run(SensorConfig cfg, Outputs outputs, List<byte[]> datagrams, long rate,
      long total, int batch, Runnable beforeFinish) throws InterruptedException {
    Pipeline pipe = Pipeline.start(cfg, outputs, Pipeline.Mode.LIVE,
        new PrintStream(PrintStream.nullOutputStream()));
    VxlanDatagramHandler h = new VxlanDatagramHandler(VxlanDatagramHandler.Encapsulation.VXLAN,
        pipe, new LiveClock(), new SourceFilter(List.of()), new int[0],
        cfg.live().maxFrameBytes(), cfg.vxlanPorts()[0]);
    System.gc(); // the new rings are young objects: see LiveHarness.settleHeap
    ByteBuf[] bufs = new ByteBuf[datagrams.size()];
    for (int i = 0; i < bufs.length; i++) {
      bufs[i] = PooledByteBufAllocator.DEFAULT.directBuffer(datagrams.get(i).length)
          .writeBytes(datagrams.get(i));
    }
    InetSocketAddress sender = new InetSocketAddress("127.0.0.1", 40000);
    InetSocketAddress recipient = new InetSocketAddress("127.0.0.1", 4789);
    long[] elapsed = new long[2];
    Thread feeder = new Thread(() -> {
      EmbeddedChannel ch = new EmbeddedChannel(h);
      java.lang.management.ThreadMXBean mx =
          java.lang.management.ManagementFactory.getThreadMXBean();
      long cpu0 = mx.getCurrentThreadCpuTime();
      Object[] burst = new Object[batch];
      long start = System.nanoTime();
      long sent = 0;
      int next = 0;
      while (sent < total) {
        long due = start + (long) (sent * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 50_000) {
          LockSupport.parkNanos(wait);
        }
        int n = (int) Math.min(batch, total - sent);
        for (int i = 0; i < n; i++) {
          // as Netty's recvmmsg read: a new packet with a retained view of the read buffer
          burst[i] = new DatagramPacket(bufs[next].retainedDuplicate(), recipient, sender);
          next = next + 1 == bufs.length ? 0 : next + 1;
        }
        ch.writeInbound(n == batch ? burst : java.util.Arrays.copyOf(burst, n));
        sent += n;
      }
      elapsed[0] = System.nanoTime() - start;
      elapsed[1] = mx.getCurrentThreadCpuTime() - cpu0;
      ch.finishAndReleaseAll();
    }, "mirrorsensor-receive-direct");
    feeder.start();
    feeder.join();
    ListenerCounters c = h.counters;
    long published = c.published.get();
    pipe.snapshot(10_000_000_000L); // waits until every worker reached it: the rings are empty
    if (beforeFinish != null) {
      beforeFinish.run();
    }
    Pipeline.Totals t = pipe.finish(Long.MIN_VALUE);
    outputs.close();
    for (ByteBuf b : bufs) {
      b.release();
    }
    return new Result(c.received.get(), elapsed[0] / 1e9, published, c.ringFull.get(),
        t.latency, elapsed[1]);
  }
}

package io.mirrorsensor.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The harness's load generator: one epoll event loop that sends datagrams in batches, paced per
 * batch (it sleeps between batches instead of spinning, so that on 2 cores it leaves the sensor a
 * core). Two batch modes:
 *
 * <ul>
 *   <li>{@code sendmmsg}: a batch is {@code batch} {@link DatagramPacket}s written then flushed
 *       once; Netty's epoll datagram channel sends what is queued with one {@code sendmmsg}
 *       (EpollDatagramChannel.doWrite, up to UIO_MAX_IOV per call);
 *   <li>{@code gso}: a batch is one buffer of {@code batch} equal-sized datagrams sent as a
 *       {@link SegmentedDatagramPacket} (UDP_SEGMENT, Linux 4.18+): the kernel cuts it into
 *       datagrams. A receiver without UDP_GRO still gets one datagram per segment, as from the
 *       wire.
 * </ul>
 *
 * One epoll-only class: the harness is run on Linux.
 */
final class BatchSender implements AutoCloseable {
  /** Shortest sleep between batches: below it the loop sends the next batch at once. */
  private static final long MIN_SLEEP_NANOS = 50_000;

  private final EventLoopGroup group;
  private final Channel channel;
  private final boolean gso;
  private final int batch;

  BatchSender(boolean gso, int batch) throws InterruptedException {
    if (gso && !SegmentedDatagramPacket.isSupported()) {
      throw new IllegalStateException("UDP_SEGMENT (GSO) is not supported by this kernel");
    }
    this.gso = gso;
    this.batch = batch;
    group = new MultiThreadIoEventLoopGroup(1, r -> {
      Thread t = new Thread(r, "harness-sender");
      t.setDaemon(true);
      return t;
    }, EpollIoHandler.newFactory());
    channel = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
        .option(ChannelOption.SO_SNDBUF, 4 << 20)
        .handler(new ChannelInboundHandlerAdapter())
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  /**
   * Sends {@code total} datagrams, cycling through {@code datagrams}, to {@code to} at {@code
   * rate} per second; completes with the count handed to the kernel. In gso mode all datagrams
   * must have the same length.
   */
  CompletableFuture<Long> send(InetSocketAddress to, List<byte[]> datagrams, long rate,
      long total) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    ByteBuf[] units = gso ? gsoUnits(datagrams) : singles(datagrams);
    int size = datagrams.get(0).length;
    EventLoop loop = channel.eventLoop();
    loop.execute(new Runnable() {
      final long start = System.nanoTime();
      long sent;
      int next;

      @Override
      public void run() {
        long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate) + batch);
        while (sent < due && channel.isWritable()) {
          int n = (int) Math.min(batch, total - sent);
          if (gso) {
            ByteBuf u = units[next];
            next = next + 1 == units.length ? 0 : next + 1;
            channel.write(new SegmentedDatagramPacket(
                u.retainedSlice(0, n * size), size, to), channel.voidPromise());
          } else {
            for (int i = 0; i < n; i++) {
              channel.write(new DatagramPacket(units[next].retainedDuplicate(), to),
                  channel.voidPromise());
              next = next + 1 == units.length ? 0 : next + 1;
            }
          }
          channel.flush();
          sent += n;
        }
        if (sent >= total) {
          channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            for (ByteBuf u : units) {
              u.release();
            }
            done.complete(sent);
          });
          return;
        }
        long nextDue = start + (long) ((sent + 1) * 1e9 / rate);
        long wait = nextDue - System.nanoTime();
        if (wait > MIN_SLEEP_NANOS) {
          loop.schedule(this, wait, TimeUnit.NANOSECONDS);
        } else {
          loop.execute(this);
        }
      }
    });
    return done;
  }

  private static ByteBuf[] singles(List<byte[]> datagrams) {
    ByteBuf[] b = new ByteBuf[datagrams.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = Unpooled.directBuffer(datagrams.get(i).length).writeBytes(datagrams.get(i));
    }
    return b;
  }

  /** Buffers of {@code batch} consecutive datagrams each, cycling through all of them. */
  private ByteBuf[] gsoUnits(List<byte[]> datagrams) {
    int size = datagrams.get(0).length;
    int units = Math.max(1, datagrams.size() / batch);
    ByteBuf[] b = new ByteBuf[units];
    int d = 0;
    for (int u = 0; u < units; u++) {
      b[u] = Unpooled.directBuffer(size * batch);
      for (int i = 0; i < batch; i++) {
        byte[] x = datagrams.get(d);
        if (x.length != size) {
          throw new IllegalArgumentException("gso needs datagrams of one size");
        }
        b[u].writeBytes(x);
        d = d + 1 == datagrams.size() ? 0 : d + 1;
      }
    }
    return b;
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}

package io.mirrorsensor.bench;

import io.mirrorsensor.sensor.config.LiveConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Netty receiver that only counts: the sensor's socket set-up (epoll, SO_REUSEPORT, the same
 * receive buffer, UDP GRO or {@code recvmmsg} batch and slot size as {@code VxlanListener}) with a handler
 * that releases each datagram. What the sensor's receive side costs before the sensor's own work:
 * the ceiling Netty leaves.
 */
final class CountingReceiver implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel channel;
  private final AtomicLong count = new AtomicLong();

  CountingReceiver(LiveConfig cfg) throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(1, r -> {
      Thread t = new Thread(r, "harness-receive");
      t.setDaemon(true);
      return t;
    }, EpollIoHandler.newFactory());
    int slot = cfg.maxFrameBytes() + 9;
    boolean gro = cfg.udpGro(); // the harness runs where the kernel has it (Linux 5.0+)
    int batch = gro ? 1 : Math.max(1, cfg.receiveBatch());
    Bootstrap b = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, cfg.receiveBufferBytes())
        .option(ChannelOption.RCVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(batch > 1 ? slot * batch : 65_535)
                .maxMessagesPerRead(64))
        .option(EpollChannelOption.SO_REUSEPORT, true)
        .handler(new Counter());
    if (batch > 1) {
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
    }
    if (gro) {
      b.option(EpollChannelOption.UDP_GRO, true);
    }
    channel = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  long count() {
    return count.get();
  }

  @ChannelHandler.Sharable
  private final class Counter extends ChannelInboundHandlerAdapter {
    private long n;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      count.lazySet(++n);
    }
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}

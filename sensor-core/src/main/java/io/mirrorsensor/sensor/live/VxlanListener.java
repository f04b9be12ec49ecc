package io.mirrorsensor.sensor.live;

import io.mirrorsensor.sensor.config.LiveConfig;
import io.mirrorsensor.sensor.pipeline.Pipeline;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The UDP side of the live sensor, for one port and one encapsulation (a run with GENEVE binds a
 * second set of sockets: one listener per encapsulation). On Linux: the epoll transport, {@code live.event_loops} sockets
 * bound to one port with SO_REUSEPORT (the kernel spreads datagrams over them by the outer
 * 4-tuple, and AWS varies the outer source port per inner flow), each served by its own loop.
 * Elsewhere: NIO, one socket. No root needed (4789 and 6081 are above 1024).
 */
final class VxlanListener implements AutoCloseable {
  /** Receive buffer per read without batching: the largest UDP payload, nothing is cut. */
  private static final int MAX_DATAGRAM = 65_535;
  /**
   * Room per datagram in a batched read beyond the largest accepted inner frame: the VXLAN header
   * plus one byte. A datagram that fills its slot exactly may have been cut by {@code recvmmsg}
   * (it truncates silently); it is longer than any accepted frame, so the handler drops it as
   * {@code oversized} and nothing truncated reaches the workers.
   */
  static final int SLOT_OVERHEAD = VxlanDatagramHandler.VXLAN_HEADER + 1;
  /**
   * Reads per wake-up of a loop before it checks its other tasks. With {@code recvmmsg} one read
   * is up to {@code live.receive_batch} datagrams.
   */
  private static final int MAX_READS_PER_WAKEUP = 64;

  private final EventLoopGroup group;
  private final List<Channel> channels = new ArrayList<>();
  final List<VxlanDatagramHandler> handlers = new CopyOnWriteArrayList<>();
  final boolean epoll;
  /** Whether the sockets read with UDP GRO ({@code live.udp_gro} and a kernel that has it). */
  final boolean udpGro;
  /** Datagrams per {@code recvmmsg} read, 1 when reads are one datagram (or UDP GRO) each. */
  final int receiveBatch;
  final int port;
  final int receiveBuffer;
  final VxlanDatagramHandler.Encapsulation encapsulation;

  private VxlanListener(VxlanDatagramHandler.Encapsulation encapsulation, EventLoopGroup group,
      boolean epoll, boolean udpGro, int receiveBatch, int port, int receiveBuffer) {
    this.encapsulation = encapsulation;
    this.group = group;
    this.epoll = epoll;
    this.udpGro = udpGro;
    this.receiveBatch = receiveBatch;
    this.port = port;
    this.receiveBuffer = receiveBuffer;
  }

  /**
   * Binds the sockets. Port 0 picks a free port (tests): the first socket's port is used for the
   * others.
   */
  static VxlanListener bind(VxlanDatagramHandler.Encapsulation encapsulation, String bindAddress,
      int port, LiveConfig cfg, Pipeline pipe, LiveClock clock, int decoderPort, PrintStream log)
      throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    int loops = epoll ? cfg.eventLoops() : 1;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops,
        r -> {
          Thread t = new Thread(r, "mirrorsensor-receive-" + encapsulation.id);
          t.setDaemon(true);
          return t;
        },
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    SourceFilter sources = new SourceFilter(cfg.allowedSources());
    int[] vnis = cfg.allowedVnis().stream().mapToInt(Integer::intValue).toArray();
    List<VxlanDatagramHandler> handlers = new CopyOnWriteArrayList<>();
    int slot = cfg.maxFrameBytes() + (encapsulation == VxlanDatagramHandler.Encapsulation.GENEVE
        ? VxlanDatagramHandler.GENEVE_EXTRA + 1 : SLOT_OVERHEAD);
    // Two ways to read many datagrams per system call (issue 4, measured in docs/BENCHMARKS.md).
    // UDP GRO (the default where the kernel has it): the kernel hands a run of equal-sized
    // datagrams of one outer flow over as one buffer with its segment size, and Netty's recvmsg
    // path splits it back into datagrams (EpollDatagramChannel.addDatagramPacketToOut) before our
    // handler; one read buffer must then hold the largest coalesced buffer (64 KiB). Without it,
    // recvmmsg: Netty reads writableBytes / MAX_DATAGRAM_PAYLOAD_SIZE datagrams per call
    // (scatteringRead), each a slice of one buffer. Netty's recvmmsg path does not read the
    // segment size, so the two are never combined.
    boolean gro = epoll && cfg.udpGro() && udpGroAvailable();
    if (epoll && cfg.udpGro() && !gro) {
      log.println("mirrorsensor: note: this kernel refuses UDP GRO (it needs Linux 5.0);"
          + " reading with recvmmsg instead (live.udp_gro)");
    }
    boolean batched = !gro && epoll && cfg.receiveBatch() > 1;
    int readBytes = batched ? slot * cfg.receiveBatch() : MAX_DATAGRAM;
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, cfg.receiveBufferBytes())
        .option(ChannelOption.RCVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(readBytes).maxMessagesPerRead(MAX_READS_PER_WAKEUP))
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            VxlanDatagramHandler h = new VxlanDatagramHandler(encapsulation, pipe, clock, sources,
                vnis, cfg.maxFrameBytes(), decoderPort);
            handlers.add(h);
            ch.pipeline().addLast(h);
          }
        });
    if (epoll) {
      b.option(EpollChannelOption.SO_REUSEPORT, true);
    }
    if (batched) {
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
    }
    if (gro) {
      b.option(EpollChannelOption.UDP_GRO, true);
    }
    List<Channel> channels = new ArrayList<>();
    int bound = port;
    try {
      for (int i = 0; i < loops; i++) {
        Channel ch = b.bind(new InetSocketAddress(bindAddress, bound)).sync().channel();
        channels.add(ch);
        bound = ((InetSocketAddress) ch.localAddress()).getPort();
      }
    } catch (Exception e) {
      for (Channel ch : channels) {
        ch.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    int actual = ((DatagramChannel) channels.get(0)).config().getReceiveBufferSize();
    VxlanListener l = new VxlanListener(encapsulation, group, epoll, gro,
        batched ? cfg.receiveBatch() : 1, bound, actual);
    l.channels.addAll(channels);
    l.handlers.addAll(handlers);
    if (actual < cfg.receiveBufferBytes()) {
      // Linux caps SO_RCVBUF at net.core.rmem_max (and reports twice the value it set).
      log.println("mirrorsensor: warning: the kernel capped the receive buffer at " + actual
          + " bytes (asked " + cfg.receiveBufferBytes() + "); bursts may be dropped by the kernel."
          + " To allow it, run: sudo sysctl -w net.core.rmem_max=" + cfg.receiveBufferBytes());
    }
    return l;
  }

  /**
   * Whether this kernel takes UDP_GRO on a datagram socket (Linux 5.0 and later): asked on a
   * socket that is opened for the question and closed again, since Netty's bootstrap only logs a
   * refused option.
   */
  static boolean udpGroAvailable() {
    EpollDatagramChannel probe = new EpollDatagramChannel();
    try {
      return probe.config().setOption(EpollChannelOption.UDP_GRO, true)
          && probe.config().isUdpGro();
    } catch (RuntimeException e) {
      return false;
    } finally {
      probe.unsafe().closeForcibly();
    }
  }

  /** Stops receiving: closes the sockets and waits for the loops to end. */
  @Override
  public void close() {
    for (Channel ch : channels) {
      ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}

package io.mirrorsensor.sensor.live;

import io.mirrorsensor.decode.LinkType;
import io.mirrorsensor.sensor.pipeline.PacketEvent;
import io.mirrorsensor.sensor.pipeline.Pipeline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * One receive loop's datagram path: validate the VXLAN header (RFC 7348 section 5: 8 bytes, I flag
 * set), take the VNI, apply the allow-lists, then claim a slot in the frame's worker ring and copy
 * the datagram into it once, behind a synthesised outer IP/UDP header (outer source and port as
 * received, destination port the first of {@code vxlan.ports}) so that the worker decodes it
 * exactly as it decodes a VXLAN capture in replay: same outer source, VNI, anomalies, fragment
 * context. Never waits: a full ring drops and counts. Not sharable: one instance per channel.
 *
 * <p>Owns each {@link DatagramPacket} it is given and releases it before returning.
 */
final class VxlanDatagramHandler extends ChannelInboundHandlerAdapter {
  static final int VXLAN_HEADER = 8;
  private static final int FLAG_I = 0x08;
  /** Bytes of the inner frame looked at to pick the worker (Ethernet, 2 VLAN tags, IPv6). */
  private static final int SHARD_PEEK = 128;
  private static final int HIGH_WATER_SAMPLE_MASK = 63;

  private final Pipeline pipe;
  private final LiveClock clock;
  private final SourceFilter sources;
  /** Allowed VNIs, sorted; null = all (an int array: a boxed lookup would allocate). */
  private final int[] vnis;
  private final int maxFrame;
  private final int decoderVxlanPort;
  final ListenerCounters counters = new ListenerCounters();
  private final byte[] peek = new byte[SHARD_PEEK + 2 * 48];
  private long sampled;

  VxlanDatagramHandler(Pipeline pipe, LiveClock clock, SourceFilter sources, int[] vnis,
      int maxFrame, int decoderVxlanPort) {
    this.pipe = pipe;
    this.clock = clock;
    this.sources = sources;
    this.vnis = vnis.length == 0 ? null : vnis.clone();
    if (this.vnis != null) {
      Arrays.sort(this.vnis);
    }
    this.maxFrame = maxFrame;
    this.decoderVxlanPort = decoderVxlanPort;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket)) {
      ctx.fireChannelRead(msg);
      return;
    }
    DatagramPacket dp = (DatagramPacket) msg;
    try {
      onDatagram(dp.content(), dp.sender(), dp.recipient());
    } finally {
      dp.release();
    }
  }

  void onDatagram(ByteBuf buf, InetSocketAddress sender, InetSocketAddress recipient) {
    long receivedAt = System.nanoTime();
    ListenerCounters c = counters;
    int len = buf.readableBytes();
    int ri = buf.readerIndex();
    ListenerCounters.inc(c.received);
    ListenerCounters.add(c.receivedBytes, len);
    if (len < VXLAN_HEADER || (buf.getByte(ri) & FLAG_I) == 0) {
      ListenerCounters.inc(c.notVxlan);
      return;
    }
    InetAddress src = sender.getAddress();
    if (!sources.allows(src)) {
      ListenerCounters.inc(c.sourceNotAllowed);
      return;
    }
    if (vnis != null && Arrays.binarySearch(vnis, buf.getUnsignedMedium(ri + 4)) < 0) {
      ListenerCounters.inc(c.vniNotAllowed);
      return;
    }
    if (len - VXLAN_HEADER > maxFrame) {
      ListenerCounters.inc(c.oversized);
      return;
    }
    int innerLen = len - VXLAN_HEADER;
    int peekLen = Math.min(innerLen, SHARD_PEEK);
    buf.getBytes(ri + VXLAN_HEADER, peek, 0, peekLen);
    int shard = pipe.shardOf(peek, 0, peekLen, LinkType.ETHERNET);
    long seq = pipe.tryClaim(shard);
    if (seq < 0) {
      ListenerCounters.inc(c.ringFull);
      c.ringHighWater.lazySet(pipe.ringSize());
      return;
    }
    try {
      PacketEvent e = pipe.slot(shard, seq);
      byte[] d = e.data;
      int h = outerHeader(d, src, sender.getPort(), recipient, len);
      buf.getBytes(ri, d, h, len);
      e.capLen = h + len;
      e.origLen = h + len;
      e.linkType = LinkType.RAW;
      e.tsNanos = clock.nowNanos();
      e.pcapCnt = 0;
      e.receivedNanos = receivedAt;
    } finally {
      pipe.commit(shard, seq);
    }
    ListenerCounters.inc(c.published);
    if ((++sampled & HIGH_WATER_SAMPLE_MASK) == 0) {
      long fill = pipe.ringFill(shard);
      if (fill > c.ringHighWater.get()) {
        c.ringHighWater.lazySet(fill);
      }
    }
  }

  /** Writes the outer IPv4 or IPv6 and UDP header at 0; returns its length. */
  private int outerHeader(byte[] d, InetAddress src, int srcPort, InetSocketAddress recipient,
      int udpPayload) {
    InetAddress dst = recipient == null ? null : recipient.getAddress();
    int udpLen = 8 + udpPayload;
    int p;
    if (src instanceof Inet4Address) {
      d[0] = 0x45;
      d[1] = 0;
      put16(d, 2, 20 + udpLen);
      put16(d, 4, 0); // id
      put16(d, 6, 0); // no DF, no fragment: AWS truncates, never fragments mirror copies
      d[8] = (byte) 255;
      d[9] = 17;
      put16(d, 10, 0);
      put32(d, 12, src.hashCode());
      put32(d, 16, dst instanceof Inet4Address ? dst.hashCode() : 0);
      put16(d, 10, ipv4Checksum(d));
      p = 20;
    } else {
      d[0] = 0x60;
      d[1] = 0;
      d[2] = 0;
      d[3] = 0;
      put16(d, 4, udpLen);
      d[6] = 17;
      d[7] = (byte) 255;
      System.arraycopy(src.getAddress(), 0, d, 8, 16);
      byte[] da = dst != null && dst.getAddress().length == 16 ? dst.getAddress() : new byte[16];
      System.arraycopy(da, 0, d, 24, 16);
      p = 40;
    }
    put16(d, p, srcPort);
    put16(d, p + 2, decoderVxlanPort);
    put16(d, p + 4, udpLen);
    put16(d, p + 6, 0); // no UDP checksum, as AWS sends
    return p + 8;
  }

  private static int ipv4Checksum(byte[] d) {
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return ~sum & 0xFFFF;
  }

  private static void put16(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 8);
    b[i + 1] = (byte) v;
  }

  private static void put32(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }
}

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
 * One receive loop's datagram path, for one encapsulation: VXLAN (the mirror session sends to us
 * directly or through a Network Load Balancer) or GENEVE (a Gateway Load Balancer forwards the
 * VXLAN mirror packet to us, RFC 8926, see {@code GeneveView} in the decoders).
 *
 * <p>VXLAN: validate the VXLAN header (RFC 7348 section 5: 8 bytes, I flag
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
  /** Largest synthesised outer IPv6 + UDP header. */
  static final int MAX_OUTER_HEADER = 48;
  /**
   * A GENEVE datagram is copied whole behind the synthesised header into a slot of
   * {@code maxFrame + Pipeline.LIVE_HEADROOM} bytes, so it may be at most this much longer than
   * {@code pipeline.max_frame_bytes} (a GWLB's MTU is 8500: its datagrams fit the default 9216).
   */
  static final int GENEVE_EXTRA = Pipeline.LIVE_HEADROOM - MAX_OUTER_HEADER;
  private static final int GENEVE_HEADER = 8;

  /** What the socket receives. */
  enum Encapsulation {
    VXLAN("vxlan"),
    GENEVE("geneve");

    final String id;

    Encapsulation(String id) {
      this.id = id;
    }
  }

  private final Pipeline pipe;
  private final LiveClock clock;
  private final SourceFilter sources;
  /** Allowed VNIs, sorted; null = all (an int array: a boxed lookup would allocate). */
  private final int[] vnis;
  private final int maxFrame;
  private final int decoderPort;
  final Encapsulation encapsulation;
  final ListenerCounters counters = new ListenerCounters();
  private final byte[] peek = new byte[SHARD_PEEK + 2 * 48];
  private long sampled;
  /**
   * The receive time: {@link System#nanoTime()} read for the first datagram of each read burst
   * ({@link #channelReadComplete} ends one) and then every {@link #CLOCK_EVERY} datagrams, and the
   * packet time derived from it ({@link LiveClock#epochOf}). Two clock reads per datagram were
   * ~50 ns of CPU (24 ns each on the 2-core VM of issue 4) for nothing: datagrams read together
   * arrived together, so they share a time some microseconds old at most.
   */
  private long receivedAt;
  private int sinceClock = CLOCK_EVERY;
  static final int CLOCK_EVERY = 16;
  /** The per-VNI counter slot of the VXLAN datagram being published, -1 for GENEVE. */
  private int vniSlot = -1;

  /**
   * @param decoderPort destination port of the synthesised outer UDP header: the first of
   *     {@code vxlan.ports} (VXLAN) or of {@code geneve.ports} (GENEVE), so the worker's decoder
   *     takes the datagram for what it is
   */
  VxlanDatagramHandler(Encapsulation encapsulation, Pipeline pipe, LiveClock clock,
      SourceFilter sources, int[] vnis, int maxFrame, int decoderPort) {
    this.encapsulation = encapsulation;
    this.pipe = pipe;
    this.clock = clock;
    this.sources = sources;
    this.vnis = vnis.length == 0 ? null : vnis.clone();
    if (this.vnis != null) {
      Arrays.sort(this.vnis);
    }
    this.maxFrame = maxFrame;
    this.decoderPort = decoderPort;
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

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    sinceClock = CLOCK_EVERY; // the next burst reads the clock first
    ctx.fireChannelReadComplete();
  }

  /** The receive time of the datagram in hand (see {@link #receivedAt}). */
  private long receiveTime() {
    if (++sinceClock > CLOCK_EVERY) {
      sinceClock = 1;
      receivedAt = System.nanoTime();
    }
    return receivedAt;
  }

  void onDatagram(ByteBuf buf, InetSocketAddress sender, InetSocketAddress recipient) {
    if (encapsulation == Encapsulation.GENEVE) {
      onGeneve(buf, sender, recipient);
      return;
    }
    long receivedAt = receiveTime();
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
    int vni = buf.getUnsignedMedium(ri + 4);
    int vs = c.perVni.slot(vni);
    c.perVni.received(vs, len);
    if (vnis != null && Arrays.binarySearch(vnis, vni) < 0) {
      ListenerCounters.inc(c.vniNotAllowed);
      c.perVni.dropped(vs);
      return;
    }
    if (len - VXLAN_HEADER > maxFrame) {
      ListenerCounters.inc(c.oversized);
      c.perVni.dropped(vs);
      return;
    }
    vniSlot = vs;
    int shard = 0;
    if (pipe.workers() > 1) { // one worker: no copy to hash
      int peekLen = Math.min(len - VXLAN_HEADER, SHARD_PEEK);
      buf.getBytes(ri + VXLAN_HEADER, peek, 0, peekLen);
      shard = pipe.shardOf(peek, 0, peekLen, LinkType.ETHERNET);
    }
    publish(buf, ri, len, src, sender.getPort(), recipient, shard, receivedAt);
  }

  /**
   * A GENEVE datagram from a Gateway Load Balancer: base header checked (RFC 8926 section 3.4:
   * version 0, options inside the datagram, an IP or Ethernet payload), the VNI allow-list applied
   * to the VXLAN header inside when there is one, the worker picked from the mirrored frame, and
   * the whole datagram handed to the worker's decoder, which removes GENEVE and records the AWS
   * ids. The source allow-list applies to the datagram's sender: the Gateway Load Balancer.
   */
  private void onGeneve(ByteBuf buf, InetSocketAddress sender, InetSocketAddress recipient) {
    long receivedAt = receiveTime();
    vniSlot = -1; // per-VNI listener counts are VXLAN's only
    ListenerCounters c = counters;
    int len = buf.readableBytes();
    int ri = buf.readerIndex();
    ListenerCounters.inc(c.received);
    ListenerCounters.add(c.receivedBytes, len);
    int payload = len < GENEVE_HEADER ? -1
        : GENEVE_HEADER + (buf.getUnsignedByte(ri) & 0x3F) * 4;
    int proto = len < GENEVE_HEADER ? -1 : buf.getUnsignedShort(ri + 2);
    if (payload < 0 || (buf.getUnsignedByte(ri) >>> 6) != 0 || payload > len
        || (proto != 0x0800 && proto != 0x86DD && proto != 0x6558)) {
      ListenerCounters.inc(c.notGeneve);
      return;
    }
    InetAddress src = sender.getAddress();
    if (!sources.allows(src)) {
      ListenerCounters.inc(c.sourceNotAllowed);
      return;
    }
    int peekLen = Math.min(len - payload, peek.length);
    buf.getBytes(ri + payload, peek, 0, peekLen);
    if (vnis != null) {
      int vxlan = proto == 0x6558 ? -1 : vxlanInIp(peek, peekLen);
      if (vxlan < 0 || Arrays.binarySearch(vnis, Bytes.u24(peek, vxlan + 4)) < 0) {
        ListenerCounters.inc(c.vniNotAllowed);
        return;
      }
    }
    if (len > maxFrame + GENEVE_EXTRA) {
      ListenerCounters.inc(c.oversized);
      return;
    }
    int shard = pipe.shardOf(peek, 0, peekLen,
        proto == 0x6558 ? LinkType.ETHERNET : LinkType.RAW);
    publish(buf, ri, len, src, sender.getPort(), recipient, shard, receivedAt);
  }

  /**
   * Offset in {@code b} of the VXLAN header carried by the IPv4 or IPv6 packet at 0 (UDP, I flag
   * set; any destination port: AWS uses 4789), or -1.
   */
  static int vxlanInIp(byte[] b, int len) {
    if (len < 1) {
      return -1;
    }
    int version = (b[0] & 0xFF) >>> 4;
    int udp;
    if (version == 4 && len >= 20 && b[9] == 17) {
      udp = (b[0] & 0x0F) * 4;
    } else if (version == 6 && len >= 40 && b[6] == 17) {
      udp = 40;
    } else {
      return -1;
    }
    int vx = udp + 8;
    return vx + VXLAN_HEADER <= len && (b[vx] & FLAG_I) != 0 ? vx : -1;
  }

  /** Claims a slot in {@code shard}'s ring and copies the datagram behind an outer header. */
  private void publish(ByteBuf buf, int ri, int len, InetAddress src, int srcPort,
      InetSocketAddress recipient, int shard, long receivedAt) {
    ListenerCounters c = counters;
    long seq = pipe.tryClaim(shard);
    if (seq < 0) {
      ListenerCounters.inc(c.ringFull);
      if (vniSlot >= 0) {
        c.perVni.dropped(vniSlot);
      }
      c.ringHighWater.lazySet(pipe.ringSize());
      return;
    }
    try {
      PacketEvent e = pipe.slot(shard, seq);
      byte[] d = e.data;
      int h = outerHeader(d, src, srcPort, recipient, len);
      buf.getBytes(ri, d, h, len);
      e.capLen = h + len;
      e.origLen = h + len;
      e.linkType = LinkType.RAW;
      e.tsNanos = clock.epochOf(receivedAt);
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
      int s4 = src.hashCode(); // Inet4Address.hashCode() is the address, big-endian
      int d4 = dst instanceof Inet4Address ? dst.hashCode() : 0;
      put32(d, 12, s4);
      put32(d, 16, d4);
      // From the values, not read back from the slot: the slot's line may still be on its way
      // from the worker's core, and the loads would wait for it.
      put16(d, 10, ipv4Checksum(0x4500 + 20 + udpLen + 0xFF11 + (s4 >>> 16) + (s4 & 0xFFFF)
          + (d4 >>> 16) + (d4 & 0xFFFF)));
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
    put16(d, p + 2, decoderPort);
    put16(d, p + 4, udpLen);
    put16(d, p + 6, 0); // no UDP checksum, as AWS sends
    return p + 8;
  }

  /** Big-endian 24-bit read (VNI). */
  private static final class Bytes {
    static int u24(byte[] b, int i) {
      return (b[i] & 0xFF) << 16 | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF);
    }
  }

  /** The header checksum from the sum of the header's 16-bit words (checksum field 0). */
  static int ipv4Checksum(int sum) {
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

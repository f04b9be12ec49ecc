package io.mirrorsensor.decode;

/**
 * The result of decoding one captured frame: offsets and header fields of every layer that was
 * found, filled in place by {@link PacketDecoder#decode}. One instance per worker, reused for every
 * packet; nothing here is valid after the next call to {@code decode}.
 *
 * <p>Fields are public and mutable on purpose: this is a flyweight record read on the hot path by
 * the flow table, the TCP tracker and the rules. Only the decoder writes them.
 *
 * <p>Addresses are stored in 16-byte arrays owned by this object; an IPv4 address occupies bytes
 * 0..3 and the rest is zero. {@link #ipVersion} says which.
 */
public final class DecodedPacket {
  /** Upper bound of anomalies recorded for one packet; more are counted but not listed. */
  public static final int MAX_ANOMALIES = 8;

  // ---- the frame ----
  /** Bytes of the innermost packet: the capture buffer, or a reassembly buffer after reassembly. */
  public byte[] buf;
  /** Captured length of the frame as handed to the decoder. */
  public int capLen;
  /** Original (wire) length of the frame; larger than capLen when the copy was truncated. */
  public int origLen;
  /** Capture time, nanoseconds since the epoch. */
  public long tsNanos;
  /** True when capLen < origLen (a truncated mirror copy or snaplen): normal, not an error. */
  public boolean truncated;
  /** Overall outcome; see {@link DecodeStatus}. */
  public DecodeStatus status;

  // ---- tunnel (mirror) context: the outermost VXLAN layer ----
  /** Number of VXLAN layers removed (0 = not tunnelled). */
  public int tunnelDepth;
  /** VNI of the outermost VXLAN header, or -1 when not tunnelled. */
  public int vni;
  /** IP version (4 or 6) of the IP header that carried the outermost VXLAN, 0 when none. */
  public int outerIpVersion;
  /** Source address of the IP header that carried the outermost VXLAN (the mirrored ENI). */
  public final byte[] outerSrc = new byte[16];
  /** Destination address of that header (the mirror target). */
  public final byte[] outerDst = new byte[16];
  /** UDP source port of the outermost VXLAN datagram (AWS flow entropy: never part of a key). */
  public int outerSrcPort;

  // ---- innermost network layer ----
  /** 4 or 6 for the innermost IP header; 0 when the frame carried no IP (ARP, LLDP, ...). */
  public int ipVersion;
  /** Offset of the innermost IP header in {@link #buf}. */
  public int l3Offset;
  public final byte[] srcAddr = new byte[16];
  public final byte[] dstAddr = new byte[16];
  /** Transport protocol number after IPv6 extension headers (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6). */
  public int ipProto;
  /** TTL / hop limit. */
  public int ttl;
  /** IPv4 identification (0 for IPv6 unless a fragment header gave one). */
  public int ipId;
  /**
   * Length of the innermost IP packet on the wire, from the IP header (IPv4 total length, IPv6
   * 40 + payload length): what byte counters use, even when the copy was truncated.
   */
  public int ipWireLength;
  /** True when this IP packet was a fragment that the decoder reassembled. */
  public boolean reassembled;
  /**
   * True when the innermost IP packet is a fragment that was not reassembled (reassembly off or
   * bounded out); transport fields are then unset except for the first fragment.
   */
  public boolean fragment;

  // ---- transport layer ----
  /** Offset of the transport header in {@link #buf}, or -1. */
  public int l4Offset;
  /** Ports for TCP/UDP; for ICMP and ICMPv6 srcPort = type and dstPort = code (Community ID). */
  public int srcPort;
  public int dstPort;
  /** ICMP / ICMPv6 type and code, -1 otherwise. */
  public int icmpType;
  public int icmpCode;

  // TCP
  /** TCP flags byte (CWR ECE URG ACK PSH RST SYN FIN), low 8 bits; 0 when not TCP. */
  public int tcpFlags;
  /** Sequence and acknowledgement numbers, unsigned 32-bit in a long. */
  public long seq;
  public long ack;
  /** Raw (unscaled) window field. */
  public int window;
  /** MSS option value, or -1. */
  public int optMss;
  /** Window scale shift, or -1. */
  public int optWscale;
  public boolean optSackPermitted;
  /** Number of SACK blocks present (their edges are in {@link #sackLeft}/{@link #sackRight}). */
  public int sackBlocks;
  public final long[] sackLeft = new long[4];
  public final long[] sackRight = new long[4];
  /** Whether a timestamp option was present, and its values (unsigned 32-bit). */
  public boolean optTimestamp;
  public long tsVal;
  public long tsEcr;

  // payload
  /** Offset of the transport payload in {@link #buf}, or -1 when there is no transport layer. */
  public int payloadOffset;
  /** Payload bytes actually present in {@link #buf} (captured). */
  public int payloadLength;
  /** Payload length on the wire, from the IP/transport headers (>= payloadLength). */
  public int payloadWireLength;

  // ---- anomalies ----
  /** Anomalies found while decoding this packet, in order; first {@link #anomalyCount} valid. */
  public final Anomaly[] anomalies = new Anomaly[MAX_ANOMALIES];
  public int anomalyCount;

  /** Clears every field before a new frame is decoded. */
  public void reset() {
    buf = null;
    capLen = 0;
    origLen = 0;
    tsNanos = 0;
    truncated = false;
    status = DecodeStatus.OK;
    tunnelDepth = 0;
    vni = -1;
    outerIpVersion = 0;
    outerSrcPort = -1;
    ipVersion = 0;
    l3Offset = -1;
    ipProto = -1;
    ttl = 0;
    ipId = 0;
    ipWireLength = 0;
    reassembled = false;
    fragment = false;
    l4Offset = -1;
    srcPort = 0;
    dstPort = 0;
    icmpType = -1;
    icmpCode = -1;
    tcpFlags = 0;
    seq = 0;
    ack = 0;
    window = 0;
    optMss = -1;
    optWscale = -1;
    optSackPermitted = false;
    sackBlocks = 0;
    optTimestamp = false;
    tsVal = 0;
    tsEcr = 0;
    payloadOffset = -1;
    payloadLength = 0;
    payloadWireLength = 0;
    anomalyCount = 0;
  }

  /** Records an anomaly for this packet (the decoder also counts it). */
  public void addAnomaly(Anomaly a) {
    if (anomalyCount < MAX_ANOMALIES) {
      anomalies[anomalyCount] = a;
    }
    anomalyCount++;
  }

  /** True when the innermost layer is TCP or UDP with ports, or ICMP with type/code. */
  public boolean hasFlowKey() {
    return ipVersion != 0 && l4Offset >= 0 && !fragment;
  }

  public boolean isTcp() {
    return ipProto == 6 && l4Offset >= 0;
  }
}

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
  /**
   * True when the copy is shorter than the packet was: capLen < origLen (snaplen), or an IP
   * header announces more bytes than are present (an AWS mirror copy truncated by its session's
   * packet length, whose frame then looks complete). Normal, not an error: wire lengths come from
   * the headers ({@link #ipWireLength}, {@link #payloadWireLength}).
   */
  public boolean truncated;
  /** Overall outcome; see {@link DecodeStatus}. */
  public DecodeStatus status;
  /** The pcap LINKTYPE_ the frame was decoded with ({@link LinkType}). */
  public int linkType;

  // ---- innermost link layer (added) ----
  /** Offset of the innermost Ethernet header in {@link #buf}, or -1 (raw IP, SLL, loopback). */
  public int l2Offset;
  /** Ethertype (or SLL protocol) after any VLAN tags of the innermost frame, or -1. */
  public int etherType;
  /** Number of 802.1Q/802.1ad tags on the innermost frame. */
  public int vlanCount;
  /** VLAN ids (12 bits) of the first two tags, outermost first; valid below {@link #vlanCount}. */
  public final int[] vlanIds = new int[2];

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
  /** UDP destination port of the outermost VXLAN datagram (one of the configured ports), or -1. */
  public int outerDstPort;

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
  /** Bytes of IP header: IPv4 IHL*4; IPv6 40 plus the extension headers walked (added). */
  public int l3HeaderLength;
  /** IPv4 type of service / IPv6 traffic class byte (DSCP + ECN) (added). */
  public int tos;
  /** IPv6 flow label (20 bits), 0 for IPv4 (added). */
  public int flowLabel;
  /** IPv4 identification (0 for IPv6 unless a fragment header gave one). */
  public int ipId;
  /**
   * Length of the innermost IP packet on the wire, from the IP header (IPv4 total length, IPv6
   * 40 + payload length): what byte counters use, even when the copy was truncated.
   */
  public int ipWireLength;
  /**
   * Bytes of the innermost IP packet present in {@link #buf} from {@link #l3Offset}: at most
   * {@link #ipWireLength}, less when the copy was truncated (added).
   */
  public int ipCapturedLength;
  /**
   * True when this packet, or the outer packet that carried it, was completed by fragment
   * reassembly: {@link #buf} is then the decoder's reassembly buffer.
   */
  public boolean reassembled;
  /**
   * True when the innermost IP packet is a fragment that was not reassembled (reassembly off or
   * bounded out); transport fields are then unset except for the first fragment.
   */
  public boolean fragment;
  /** For a fragment that was not reassembled: its offset in bytes, and its more-fragments flag. */
  public int fragmentOffset;
  public boolean moreFragments;

  // ---- transport layer ----
  /** Offset of the transport header in {@link #buf}, or -1. */
  public int l4Offset;
  /** Length of the transport header (TCP data offset * 4, 8 for UDP/ICMP), 0 when none (added). */
  public int l4HeaderLength;
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

  // ---- GENEVE (AWS Gateway Load Balancer) context: the outermost GENEVE layer ----
  /** Bit of {@link #geneveAwsOptions}: {@link #geneveEndpointId} was present. */
  public static final int GENEVE_ENDPOINT_ID = 1;
  /** Bit of {@link #geneveAwsOptions}: {@link #geneveAttachmentId} was present. */
  public static final int GENEVE_ATTACHMENT_ID = 2;
  /** Bit of {@link #geneveAwsOptions}: {@link #geneveFlowCookie} was present. */
  public static final int GENEVE_FLOW_COOKIE = 4;
  /** Number of GENEVE layers removed (0 = none); counted apart from {@link #tunnelDepth}. */
  public int geneveDepth;
  /** VNI of the outermost GENEVE header (AWS GWLB sends 0), or -1 when none. */
  public int geneveVni;
  /** Which AWS TLVs the outermost GENEVE header carried: GENEVE_* bits. */
  public int geneveAwsOptions;
  /** AWS TLV type 1: the Gateway Load Balancer endpoint id (64 bits), valid per its bit. */
  public long geneveEndpointId;
  /** AWS TLV type 2: the attachment id (64 bits), valid per its bit. */
  public long geneveAttachmentId;
  /** AWS TLV type 3: the flow cookie (unsigned 32 bits), valid per its bit. */
  public long geneveFlowCookie;

  /** Clears every field before a new frame is decoded. */
  public void reset() {
    buf = null;
    capLen = 0;
    origLen = 0;
    tsNanos = 0;
    truncated = false;
    status = DecodeStatus.OK;
    linkType = -1;
    tunnelDepth = 0;
    vni = -1;
    outerIpVersion = 0;
    outerSrcPort = -1;
    outerDstPort = -1;
    reassembled = false;
    anomalyCount = 0;
    geneveDepth = 0;
    geneveVni = -1;
    geneveAwsOptions = 0;
    geneveEndpointId = 0;
    geneveAttachmentId = 0;
    geneveFlowCookie = 0;
    resetInner();
  }

  /**
   * Clears the fields that describe the innermost packet (link, network, transport), keeping the
   * frame, the tunnel context and the anomalies: called when a VXLAN or GENEVE layer is removed.
   */
  void resetInner() {
    l2Offset = -1;
    etherType = -1;
    vlanCount = 0;
    ipVersion = 0;
    l3Offset = -1;
    ipProto = -1;
    ttl = 0;
    l3HeaderLength = 0;
    tos = 0;
    flowLabel = 0;
    ipId = 0;
    ipWireLength = 0;
    ipCapturedLength = 0;
    fragment = false;
    fragmentOffset = 0;
    moreFragments = false;
    l4Offset = -1;
    l4HeaderLength = 0;
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

  /** True when anomaly {@code a} was recorded for this packet (among the first MAX_ANOMALIES). */
  public boolean hasAnomaly(Anomaly a) {
    int n = Math.min(anomalyCount, MAX_ANOMALIES);
    for (int i = 0; i < n; i++) {
      if (anomalies[i] == a) {
        return true;
      }
    }
    return false;
  }
}

package io.mirrorsensor.decode;

import java.util.Arrays;

/**
 * A flow: network id (a set of VNIs sharing one address space, chosen by the caller) plus the
 * innermost packet's 5-tuple, direction-independent. {@link #hash(DecodedPacket, int)} and
 * {@link #matches} let a flow table find a flow without allocating; {@link #of} allocates a key
 * once, when the flow is created.
 *
 * <p>Ports: TCP, UDP and SCTP ports; for ICMP and ICMPv6 the type as source port and, following
 * the Community ID spec (Zeek's mapping), the counterpart type as destination port for
 * request/response types (so an echo request and its reply are one flow), else the code. Other
 * protocols have ports 0. Callers should only key packets whose {@link
 * DecodedPacket#hasFlowKey()} is true (or port-less protocols with an IP layer).
 *
 * <p>Instances are immutable apart from the lazily computed Community ID.
 */
public final class FlowKey {
  private static final long C1 = 0x9E3779B97F4A7C15L;
  private static final long C2 = 0xC2B2AE3D27D4EB4FL;
  private static final long C3 = 0x165667B19E3779F9L;

  private final int network;
  private final int ipVersion;
  private final int proto;
  private final int srcPort;
  private final int dstPort;
  private final boolean oneWay;
  private final byte[] src;
  private final byte[] dst;
  private final long hash;
  private String communityId; // benign race: Strings are immutable and safely published

  private FlowKey(int network, int ipVersion, int proto, byte[] src, int srcPort, byte[] dst,
      int dstPort, boolean oneWay) {
    this.network = network;
    this.ipVersion = ipVersion;
    this.proto = proto;
    this.src = src;
    this.dst = dst;
    this.srcPort = srcPort;
    this.dstPort = dstPort;
    this.oneWay = oneWay;
    this.hash = hash(network, ipVersion, proto, src, srcPort, dst, dstPort);
  }

  /** A key for {@code p}'s flow in {@code network}; {@code src} is p's source. Allocates. */
  public static FlowKey of(DecodedPacket p, int network) {
    int len = addrLen(p.ipVersion);
    byte[] s = new byte[16];
    byte[] d = new byte[16];
    System.arraycopy(p.srcAddr, 0, s, 0, len);
    System.arraycopy(p.dstAddr, 0, d, 0, len);
    int sp = mappedSrcPort(p);
    int dp = mappedDstPort(p);
    boolean oneWay = CommunityId.isIcmp(p.ipProto) && p.l4Offset >= 0
        && CommunityId.icmpCounterpart(p.ipProto, p.icmpType) < 0;
    return new FlowKey(network, p.ipVersion, p.ipProto, s, sp, d, dp, oneWay);
  }

  /**
   * Symmetric hash of {@code p}'s flow in {@code network}: equal for both directions, equal to
   * {@link #hash()} of the key made from either. No allocation; well mixed in every bit, so
   * {@code hash & (n - 1)} and {@code hash % n} both spread flows.
   */
  public static long hash(DecodedPacket p, int network) {
    return hash(network, p.ipVersion, p.ipProto, p.srcAddr, mappedSrcPort(p), p.dstAddr,
        mappedDstPort(p));
  }

  /** True when {@code p} belongs to this flow, in either direction. No allocation. */
  public boolean matches(DecodedPacket p, int network) {
    if (network != this.network || p.ipVersion != ipVersion || p.ipProto != proto) {
      return false;
    }
    int len = addrLen(ipVersion);
    int sp = mappedSrcPort(p);
    int dp = mappedDstPort(p);
    if (sp == srcPort && dp == dstPort && Arrays.equals(p.srcAddr, 0, len, src, 0, len)
        && Arrays.equals(p.dstAddr, 0, len, dst, 0, len)) {
      return true;
    }
    return sp == dstPort && dp == srcPort && Arrays.equals(p.srcAddr, 0, len, dst, 0, len)
        && Arrays.equals(p.dstAddr, 0, len, src, 0, len);
  }

  /** True when {@code p} (a packet of this flow) travels from this key's src to its dst. */
  public boolean isFromSrc(DecodedPacket p) {
    int len = addrLen(ipVersion);
    return mappedSrcPort(p) == srcPort && Arrays.equals(p.srcAddr, 0, len, src, 0, len);
  }

  /** Same value as {@link #hash(DecodedPacket, int)} for this flow's packets. */
  public long hash() {
    return hash;
  }

  public int network() {
    return network;
  }

  public int ipVersion() {
    return ipVersion;
  }

  public int proto() {
    return proto;
  }

  public int srcPort() {
    return srcPort;
  }

  public int dstPort() {
    return dstPort;
  }

  /** A copy of the source address (4 or 16 bytes). */
  public byte[] srcAddr() {
    return Arrays.copyOf(src, addrLen(ipVersion));
  }

  /** A copy of the destination address (4 or 16 bytes). */
  public byte[] dstAddr() {
    return Arrays.copyOf(dst, addrLen(ipVersion));
  }

  /**
   * Copies the source and destination addresses into {@code srcOut} and {@code dstOut} (16 bytes
   * each; an IPv4 address fills the first 4, the rest zero) without allocating: for the rule
   * engine, which inspects transactions with the flow's endpoints on the packet path.
   */
  public void copyAddresses(byte[] srcOut, byte[] dstOut) {
    System.arraycopy(src, 0, srcOut, 0, 16);
    System.arraycopy(dst, 0, dstOut, 0, 16);
  }

  /** Source address as text (IPv4 dotted, IPv6 RFC 5952). */
  public String srcIp() {
    return ipText(src);
  }

  public String dstIp() {
    return ipText(dst);
  }

  /** Community ID v1 with seed 0, computed once. */
  public String communityId() {
    String id = communityId;
    if (id == null) {
      id = communityId(CommunityId.DEFAULT_SEED);
      communityId = id;
    }
    return id;
  }

  /** Community ID v1 with {@code seed} (computed on every call). */
  public String communityId(int seed) {
    if (ipVersion != 4 && ipVersion != 6) {
      return "";
    }
    return CommunityId.ofMapped(seed, ipVersion, src, dst, proto, srcPort, dstPort, oneWay);
  }

  /** Direction-independent equality: the key of either direction equals this one. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FlowKey k) || k.hash != hash || k.network != network
        || k.ipVersion != ipVersion || k.proto != proto) {
      return false;
    }
    if (k.srcPort == srcPort && k.dstPort == dstPort && Arrays.equals(k.src, src)
        && Arrays.equals(k.dst, dst)) {
      return true;
    }
    return k.srcPort == dstPort && k.dstPort == srcPort && Arrays.equals(k.src, dst)
        && Arrays.equals(k.dst, src);
  }

  @Override
  public int hashCode() {
    return (int) (hash ^ (hash >>> 32));
  }

  @Override
  public String toString() {
    return "FlowKey[net=" + network + " proto=" + proto + " " + srcIp() + ":" + srcPort + " -> "
        + dstIp() + ":" + dstPort + "]";
  }

  private String ipText(byte[] a) {
    return ipVersion == 4 || ipVersion == 6 ? IpText.format(a, 0, ipVersion) : "";
  }

  private static int addrLen(int ipVersion) {
    return ipVersion == 6 ? 16 : 4;
  }

  static int mappedSrcPort(DecodedPacket p) {
    if (p.l4Offset < 0 || !CommunityId.hasPorts(p.ipProto)) {
      return 0;
    }
    return p.srcPort;
  }

  static int mappedDstPort(DecodedPacket p) {
    if (p.l4Offset < 0 || !CommunityId.hasPorts(p.ipProto)) {
      return 0;
    }
    if (CommunityId.isIcmp(p.ipProto)) {
      int counterpart = CommunityId.icmpCounterpart(p.ipProto, p.icmpType);
      return counterpart >= 0 ? counterpart : p.icmpCode;
    }
    return p.dstPort;
  }

  private static long hash(int network, int ipVersion, int proto, byte[] src, int srcPort,
      byte[] dst, int dstPort) {
    long a = endpoint(ipVersion, src, srcPort);
    long b = endpoint(ipVersion, dst, dstPort);
    long lo = Math.min(a, b);
    long hi = Math.max(a, b);
    long h = Bytes.fmix64(lo ^ C3);
    h = Bytes.fmix64(h ^ Long.rotateLeft(hi * C1, 23));
    return Bytes.fmix64(h ^ (((long) network << 32) | (proto & 0xFF) << 8 | ipVersion));
  }

  private static long endpoint(int ipVersion, byte[] addr, int port) {
    if (ipVersion == 6) {
      long x = Bytes.i64(addr, 0) * C1 + Long.rotateLeft(Bytes.i64(addr, 8) * C2, 29);
      return Bytes.fmix64(x ^ port);
    }
    return Bytes.fmix64((Bytes.u32(addr, 0) << 16 | port) * C2);
  }

}

package io.mirrorsensor.decode;

import java.util.Arrays;

/**
 * Settings of the decoders; immutable (the port array is copied in and out).
 *
 * @param vxlanPorts UDP destination ports whose payload is VXLAN (AWS: 4789)
 * @param validateChecksums check IPv4 header, TCP, UDP, ICMP and ICMPv6 checksums of packets that
 *     were captured whole; off by default because AWS does not compute checksums on truncated
 *     mirror copies and offload leaves them wrong on the sender
 * @param maxTunnelDepth VXLAN layers removed at most; one more is {@code vxlan.too_deep}
 * @param maxVlanTags stacked 802.1Q/802.1ad tags accepted per Ethernet header
 * @param maxIpv6ExtHeaders IPv6 extension headers walked at most per packet
 * @param reassembleFragments reassemble IPv4/IPv6 fragments (else they are flagged and passed on)
 * @param maxFragmentDatagrams datagrams in reassembly at once; a new one evicts the oldest
 * @param maxFragmentDatagramBytes largest reassembled datagram (IP header included)
 * @param maxFragmentTotalBytes bytes of reassembly buffers retained by one decoder
 * @param maxFragmentsPerDatagram disjoint pieces (holes + 1) one datagram may have
 * @param fragmentTimeoutNanos a datagram is dropped this long (packet time) after its first fragment
 * @param genevePorts UDP destination ports whose payload is GENEVE (AWS Gateway Load Balancer:
 *     6081); its layers are bounded by {@code maxTunnelDepth} too, counted apart from VXLAN's. A
 *     port in both lists is VXLAN.
 */
public record DecoderConfig(
    int[] vxlanPorts,
    boolean validateChecksums,
    int maxTunnelDepth,
    int maxVlanTags,
    int maxIpv6ExtHeaders,
    boolean reassembleFragments,
    int maxFragmentDatagrams,
    int maxFragmentDatagramBytes,
    long maxFragmentTotalBytes,
    int maxFragmentsPerDatagram,
    long fragmentTimeoutNanos,
    int[] genevePorts) {

  /** The GENEVE port a Gateway Load Balancer sends to (RFC 8926 section 3.3; AWS GWLB docs). */
  public static final int GENEVE_PORT = 6081;

  /** Linux ipfrag_time is 30 s; Suricata defrag timeout is 60 s. */
  public static final long DEFAULT_FRAGMENT_TIMEOUT_NANOS = 30_000_000_000L;

  public DecoderConfig {
    vxlanPorts = vxlanPorts.clone();
    genevePorts = genevePorts.clone();
    for (int p : vxlanPorts) {
      if (p < 0 || p > 0xFFFF) {
        throw new IllegalArgumentException("vxlan port out of range: " + p);
      }
    }
    for (int p : genevePorts) {
      if (p < 0 || p > 0xFFFF) {
        throw new IllegalArgumentException("geneve port out of range: " + p);
      }
    }
    requireAtLeast("maxTunnelDepth", maxTunnelDepth, 0);
    requireAtLeast("maxVlanTags", maxVlanTags, 0);
    requireAtLeast("maxIpv6ExtHeaders", maxIpv6ExtHeaders, 0);
    requireAtLeast("maxFragmentDatagrams", maxFragmentDatagrams, 1);
    requireAtLeast("maxFragmentDatagramBytes", maxFragmentDatagramBytes, 68);
    requireAtLeast("maxFragmentsPerDatagram", maxFragmentsPerDatagram, 1);
    if (maxFragmentTotalBytes < maxFragmentDatagramBytes) {
      throw new IllegalArgumentException("maxFragmentTotalBytes < maxFragmentDatagramBytes");
    }
    if (fragmentTimeoutNanos <= 0) {
      throw new IllegalArgumentException("fragmentTimeoutNanos must be positive");
    }
  }

  /** All settings but the GENEVE ports, which default to {@value #GENEVE_PORT}. */
  public DecoderConfig(int[] vxlanPorts, boolean validateChecksums, int maxTunnelDepth,
      int maxVlanTags, int maxIpv6ExtHeaders, boolean reassembleFragments,
      int maxFragmentDatagrams, int maxFragmentDatagramBytes, long maxFragmentTotalBytes,
      int maxFragmentsPerDatagram, long fragmentTimeoutNanos) {
    this(vxlanPorts, validateChecksums, maxTunnelDepth, maxVlanTags, maxIpv6ExtHeaders,
        reassembleFragments, maxFragmentDatagrams, maxFragmentDatagramBytes,
        maxFragmentTotalBytes, maxFragmentsPerDatagram, fragmentTimeoutNanos,
        new int[] {GENEVE_PORT});
  }

  /** The first contract's three settings, the rest at their defaults. */
  public DecoderConfig(int[] vxlanPorts, boolean validateChecksums, int maxTunnelDepth) {
    this(vxlanPorts, validateChecksums, maxTunnelDepth, 4, 8, true, 256, 65_535 + 512,
        8L * 1024 * 1024, 64, DEFAULT_FRAGMENT_TIMEOUT_NANOS);
  }

  public static DecoderConfig defaults() {
    return new DecoderConfig(new int[] {4789}, false, 4);
  }

  @Override
  public int[] vxlanPorts() {
    return vxlanPorts.clone();
  }

  @Override
  public int[] genevePorts() {
    return genevePorts.clone();
  }

  /** This config with {@code ports} as the GENEVE ports (none: GENEVE is not decoded). */
  public DecoderConfig withGenevePorts(int... ports) {
    return new DecoderConfig(vxlanPorts, validateChecksums, maxTunnelDepth, maxVlanTags,
        maxIpv6ExtHeaders, reassembleFragments, maxFragmentDatagrams, maxFragmentDatagramBytes,
        maxFragmentTotalBytes, maxFragmentsPerDatagram, fragmentTimeoutNanos, ports);
  }

  public DecoderConfig withVxlanPorts(int... ports) {
    return new DecoderConfig(ports, validateChecksums, maxTunnelDepth, maxVlanTags,
        maxIpv6ExtHeaders, reassembleFragments, maxFragmentDatagrams, maxFragmentDatagramBytes,
        maxFragmentTotalBytes, maxFragmentsPerDatagram, fragmentTimeoutNanos, genevePorts);
  }

  public DecoderConfig withValidateChecksums(boolean on) {
    return new DecoderConfig(vxlanPorts, on, maxTunnelDepth, maxVlanTags, maxIpv6ExtHeaders,
        reassembleFragments, maxFragmentDatagrams, maxFragmentDatagramBytes,
        maxFragmentTotalBytes, maxFragmentsPerDatagram, fragmentTimeoutNanos, genevePorts);
  }

  public DecoderConfig withMaxTunnelDepth(int depth) {
    return new DecoderConfig(vxlanPorts, validateChecksums, depth, maxVlanTags,
        maxIpv6ExtHeaders, reassembleFragments, maxFragmentDatagrams, maxFragmentDatagramBytes,
        maxFragmentTotalBytes, maxFragmentsPerDatagram, fragmentTimeoutNanos, genevePorts);
  }

  public DecoderConfig withMaxIpv6ExtHeaders(int n) {
    return new DecoderConfig(vxlanPorts, validateChecksums, maxTunnelDepth, maxVlanTags, n,
        reassembleFragments, maxFragmentDatagrams, maxFragmentDatagramBytes,
        maxFragmentTotalBytes, maxFragmentsPerDatagram, fragmentTimeoutNanos, genevePorts);
  }

  public DecoderConfig withReassembly(boolean on) {
    return new DecoderConfig(vxlanPorts, validateChecksums, maxTunnelDepth, maxVlanTags,
        maxIpv6ExtHeaders, on, maxFragmentDatagrams, maxFragmentDatagramBytes,
        maxFragmentTotalBytes, maxFragmentsPerDatagram, fragmentTimeoutNanos, genevePorts);
  }

  /** Reassembly bounds in one go. */
  public DecoderConfig withFragmentLimits(int datagrams, int datagramBytes, long totalBytes,
      int piecesPerDatagram, long timeoutNanos) {
    return new DecoderConfig(vxlanPorts, validateChecksums, maxTunnelDepth, maxVlanTags,
        maxIpv6ExtHeaders, reassembleFragments, datagrams, datagramBytes, totalBytes,
        piecesPerDatagram, timeoutNanos, genevePorts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecoderConfig c
        && Arrays.equals(vxlanPorts, c.vxlanPorts)
        && validateChecksums == c.validateChecksums
        && maxTunnelDepth == c.maxTunnelDepth
        && maxVlanTags == c.maxVlanTags
        && maxIpv6ExtHeaders == c.maxIpv6ExtHeaders
        && reassembleFragments == c.reassembleFragments
        && maxFragmentDatagrams == c.maxFragmentDatagrams
        && maxFragmentDatagramBytes == c.maxFragmentDatagramBytes
        && maxFragmentTotalBytes == c.maxFragmentTotalBytes
        && maxFragmentsPerDatagram == c.maxFragmentsPerDatagram
        && fragmentTimeoutNanos == c.fragmentTimeoutNanos
        && Arrays.equals(genevePorts, c.genevePorts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(vxlanPorts) * 31 + Arrays.hashCode(genevePorts) * 17 + Long.hashCode(fragmentTimeoutNanos)
        + maxFragmentDatagrams;
  }

  @Override
  public String toString() {
    return "DecoderConfig[vxlanPorts=" + Arrays.toString(vxlanPorts)
        + ", validateChecksums=" + validateChecksums + ", maxTunnelDepth=" + maxTunnelDepth
        + ", maxVlanTags=" + maxVlanTags + ", maxIpv6ExtHeaders=" + maxIpv6ExtHeaders
        + ", reassembleFragments=" + reassembleFragments
        + ", maxFragmentDatagrams=" + maxFragmentDatagrams
        + ", maxFragmentDatagramBytes=" + maxFragmentDatagramBytes
        + ", maxFragmentTotalBytes=" + maxFragmentTotalBytes
        + ", maxFragmentsPerDatagram=" + maxFragmentsPerDatagram
        + ", fragmentTimeoutNanos=" + fragmentTimeoutNanos
        + ", genevePorts=" + Arrays.toString(genevePorts) + "]";
  }

  private static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
    }
  }
}

package io.mirrorsensor.decode;

/** pcap LINKTYPE_ values (tcpdump.org/linktypes.html) the decoder understands. */
public final class LinkType {
  public static final int NULL = 0; // BSD loopback, host-order 4-byte family
  public static final int ETHERNET = 1;
  public static final int RAW = 101; // raw IPv4 or IPv6, version nibble decides
  public static final int DLT_RAW_12 = 12; // DLT_RAW on most BSDs, written into some files
  public static final int DLT_RAW_14 = 14; // DLT_RAW on OpenBSD
  public static final int LOOP = 108; // OpenBSD loopback, network-order family
  public static final int LINUX_SLL = 113;
  public static final int IPV4 = 228;
  public static final int IPV6 = 229;
  public static final int LINUX_SLL2 = 276;

  private LinkType() {}
}

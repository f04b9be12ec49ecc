package io.mirrorsensor.decode;

/**
 * Views of the non-Ethernet link headers (tcpdump.org/linktypes.html).
 *
 * <pre>
 * LINKTYPE_LINUX_SLL (113), 16 bytes:
 * | packet type (2) | ARPHRD type (2) | addr len (2) | address (8) | protocol (2) |
 * LINKTYPE_LINUX_SLL2 (276), 20 bytes:
 * | protocol (2) | reserved (2) | interface index (4) | ARPHRD type (2) | packet type (1) |
 * | addr len (1) | address (8) |
 * LINKTYPE_NULL (0): 4-byte address family in the byte order of the capturing host.
 * LINKTYPE_LOOP (108): 4-byte address family in network byte order.
 * </pre>
 */
final class LinkView {
  static final int SLL_PROTOCOL_OFFSET = 14;
  static final int SLL_HEADER_LENGTH = 16;
  static final int SLL2_PROTOCOL_OFFSET = 0;
  static final int SLL2_HEADER_LENGTH = 20;
  static final int LOOPBACK_HEADER_LENGTH = 4;

  static final int AF_INET = 2;
  /** AF_INET6 differs by OS: Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, macOS 30. */
  static final int AF_INET6_LINUX = 10;
  static final int AF_INET6_BSD = 24;
  static final int AF_INET6_FREEBSD = 28;
  static final int AF_INET6_DARWIN = 30;

  private LinkView() {}

  static boolean isInet6(int family) {
    return family == AF_INET6_LINUX || family == AF_INET6_BSD || family == AF_INET6_FREEBSD
        || family == AF_INET6_DARWIN;
  }

  /**
   * The family of a LINKTYPE_NULL header: written in host order, so read it in whichever order
   * gives a small value (families fit in one byte, the other three bytes are zero).
   */
  static int nullFamily(byte[] buf, int base) {
    int be = Bytes.i32(buf, base);
    return (be & 0xFFFF_FF00) == 0 ? be : Integer.reverseBytes(be);
  }
}

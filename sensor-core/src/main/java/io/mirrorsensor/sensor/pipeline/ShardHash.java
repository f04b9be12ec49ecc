package io.mirrorsensor.sensor.pipeline;

import io.mirrorsensor.decode.LinkType;

/**
 * Picks a packet's worker before it is decoded: a symmetric hash of the innermost IP source and
 * destination addresses (VXLAN on the configured ports is looked through), so that
 *
 * <ul>
 *   <li>both directions of a flow reach the same worker (the addresses are combined
 *       commutatively), and the two mirror copies of one packet (one per mirrored ENI, other VNI,
 *       other outer source) too, so mirror duplicates are recognised;
 *   <li>all fragments of one datagram reach the same worker: only the first fragment carries the
 *       ports, so a 5-tuple hash ({@code FlowKey.hash}) would scatter them before the worker's
 *       decoder could reassemble them.
 * </ul>
 *
 * The price is coarser balance (all flows between two hosts share a worker), which mirror
 * traffic of many ENIs and clients evens out. A frame whose IP header cannot be found (non-IP,
 * cut short, unknown link type) hashes to 0: consistently, so its flow is never split. The VNI is
 * not hashed: the copies of one packet under two VNIs must meet.
 *
 * <p>Reads {@code buf} only; allocates nothing; stateless.
 */
final class ShardHash {
  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86DD;
  private static final int ETHERTYPE_VLAN = 0x8100;
  private static final int ETHERTYPE_QINQ = 0x88A8;
  private static final int MAX_DEPTH = 3;

  private ShardHash() {}

  /** The worker for the frame {@code buf[off, off + len)} of link type {@code linkType}. */
  static int shard(byte[] buf, int off, int len, int linkType, int[] vxlanPorts, int workers) {
    if (workers == 1) {
      return 0;
    }
    long h = hash(buf, off, len, linkType, vxlanPorts);
    return (int) ((h >>> 1) % workers);
  }

  static long hash(byte[] b, int off, int len, int linkType, int[] vxlanPorts) {
    int end = off + len;
    int ip;
    switch (linkType) {
      case LinkType.ETHERNET:
        ip = ethernet(b, off, end);
        break;
      case LinkType.RAW:
      case LinkType.DLT_RAW_12:
      case LinkType.DLT_RAW_14:
      case LinkType.IPV4:
      case LinkType.IPV6:
        ip = off;
        break;
      case LinkType.NULL:
      case LinkType.LOOP:
        ip = off + 4;
        break;
      case LinkType.LINUX_SLL:
        ip = off + 16;
        break;
      case LinkType.LINUX_SLL2:
        ip = off + 20;
        break;
      default:
        return 0;
    }
    for (int depth = 0; depth < MAX_DEPTH && ip >= 0 && ip < end; depth++) {
      int version = (b[ip] & 0xFF) >>> 4;
      int srcAt;
      int addrLen;
      int proto;
      int l4;
      boolean firstFragment;
      if (version == 4 && ip + 20 <= end) {
        srcAt = ip + 12;
        addrLen = 4;
        proto = b[ip + 9] & 0xFF;
        l4 = ip + (b[ip] & 0x0F) * 4;
        firstFragment = (((b[ip + 6] & 0x1F) << 8) | (b[ip + 7] & 0xFF)) == 0;
      } else if (version == 6 && ip + 40 <= end) {
        srcAt = ip + 8;
        addrLen = 16;
        proto = b[ip + 6] & 0xFF; // VXLAN behind IPv6 extension headers is not looked through
        l4 = ip + 40;
        firstFragment = true;
      } else {
        return 0;
      }
      if (proto == 17 && firstFragment && l4 + 16 <= end
          && isVxlanPort(((b[l4 + 2] & 0xFF) << 8) | (b[l4 + 3] & 0xFF), vxlanPorts)
          && (b[l4 + 8] & 0x08) != 0) {
        ip = ethernet(b, l4 + 16, end); // the mirrored frame: hash its addresses instead
        continue;
      }
      return mix(addr(b, srcAt, addrLen) + addr(b, srcAt + addrLen, addrLen));
    }
    return 0;
  }

  private static boolean isVxlanPort(int port, int[] ports) {
    for (int p : ports) {
      if (p == port) {
        return true;
      }
    }
    return false;
  }

  /** Offset of the IP header after Ethernet and up to two VLAN tags, or -1. */
  private static int ethernet(byte[] b, int p, int end) {
    if (p + 14 > end) {
      return -1;
    }
    int type = ((b[p + 12] & 0xFF) << 8) | (b[p + 13] & 0xFF);
    p += 14;
    for (int tags = 0; (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) && tags < 2; tags++) {
      if (p + 4 > end) {
        return -1;
      }
      type = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
      p += 4;
    }
    return type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6 ? p : -1;
  }

  private static long addr(byte[] b, int at, int len) {
    long h = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < len; i += 4) {
      int w = ((b[at + i] & 0xFF) << 24) | ((b[at + i + 1] & 0xFF) << 16)
          | ((b[at + i + 2] & 0xFF) << 8) | (b[at + i + 3] & 0xFF);
      h = mix(h ^ (w & 0xFFFF_FFFFL));
    }
    return h;
  }

  /** MurmurHash3's fmix64. */
  private static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB9FE1A85EC53L;
    k ^= k >>> 33;
    return k;
  }
}

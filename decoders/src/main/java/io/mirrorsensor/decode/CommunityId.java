package io.mirrorsensor.decode;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Community ID v1 flow hashes (github.com/corelight/community-id-spec): SHA-1 over seed (2 bytes,
 * big-endian), source address, destination address, protocol (1 byte), a zero byte, and, for
 * TCP, UDP, SCTP, ICMP and ICMPv6, source and destination port (2 bytes each); the endpoints are
 * ordered so the smaller address:port comes first; the result is {@code "1:" + base64(digest)}.
 *
 * <p>ICMP and ICMPv6 use type as source port and, for the request/response types of Zeek's
 * mapping (echo, timestamp, info, router solicitation/advertisement, address mask; ICMPv6 echo,
 * MLD, router and neighbour discovery, who-are-you, home agent address discovery), the
 * counterpart type as destination port so both directions give one ID; other types use the code
 * and are one-way (not reordered).
 *
 * <p>Makes Strings: for output only, never on the per-packet path.
 */
public final class CommunityId {
  /** The spec's default seed. */
  public static final int DEFAULT_SEED = 0;

  private CommunityId() {}

  /** The Community ID of {@code p}'s innermost packet with seed 0, or null when it has no IP. */
  public static String of(DecodedPacket p) {
    return of(p, DEFAULT_SEED);
  }

  /** The Community ID of {@code p}'s innermost packet, or null when it has no IP layer. */
  public static String of(DecodedPacket p, int seed) {
    if (p.ipVersion != 4 && p.ipVersion != 6) {
      return null;
    }
    return of(seed, p.ipVersion, p.srcAddr, p.dstAddr, p.ipProto, p.srcPort, p.dstPort);
  }

  /**
   * The Community ID of a tuple. Addresses are 4 (IPv4) or 16 bytes from index 0; for ICMP and
   * ICMPv6 pass the type as {@code srcPort} and the code as {@code dstPort}.
   */
  public static String of(int seed, int ipVersion, byte[] src, byte[] dst, int proto,
      int srcPort, int dstPort) {
    int counterpart = icmpCounterpart(proto, srcPort);
    if (isIcmp(proto)) {
      boolean oneWay = counterpart < 0;
      return ofMapped(seed, ipVersion, src, dst, proto, srcPort,
          oneWay ? dstPort : counterpart, oneWay);
    }
    return ofMapped(seed, ipVersion, src, dst, proto, srcPort, dstPort, false);
  }

  /** Ports already mapped (ICMP: type and counterpart type or code); oneWay keeps the order. */
  static String ofMapped(int seed, int ipVersion, byte[] src, byte[] dst, int proto, int sp,
      int dp, boolean oneWay) {
    int alen = ipVersion == 4 ? 4 : 16;
    boolean swap = false;
    if (!oneWay) {
      int cmp = Arrays.compareUnsigned(src, 0, alen, dst, 0, alen);
      swap = cmp > 0 || (cmp == 0 && sp > dp);
    }
    byte[] in = new byte[2 + 2 * alen + 2 + 4];
    int i = 0;
    in[i++] = (byte) (seed >>> 8);
    in[i++] = (byte) seed;
    System.arraycopy(swap ? dst : src, 0, in, i, alen);
    i += alen;
    System.arraycopy(swap ? src : dst, 0, in, i, alen);
    i += alen;
    in[i++] = (byte) proto;
    in[i++] = 0;
    if (hasPorts(proto)) {
      int a = swap ? dp : sp;
      int b = swap ? sp : dp;
      in[i++] = (byte) (a >>> 8);
      in[i++] = (byte) a;
      in[i++] = (byte) (b >>> 8);
      in[i++] = (byte) b;
    }
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-1", e);
    }
    sha1.update(in, 0, i);
    return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
  }

  /** Protocols whose tuple carries ports (or ICMP type/code) in Community ID v1. */
  static boolean hasPorts(int proto) {
    return proto == 6 || proto == 17 || proto == 132 || isIcmp(proto);
  }

  static boolean isIcmp(int proto) {
    return proto == 1 || proto == 58;
  }

  /**
   * The counterpart of an ICMP ({@code proto} 1) or ICMPv6 (58) request/response type, or -1 when
   * the type is one-way (or the protocol is not ICMP). Mapping from pycommunityid icmp.py /
   * icmp6.py, which mirror Zeek's ICMP4_counterpart / ICMP6_counterpart.
   */
  public static int icmpCounterpart(int proto, int type) {
    if (proto == 1) {
      switch (type) {
        case 8: return 0; // echo -> echo reply
        case 0: return 8;
        case 13: return 14; // timestamp
        case 14: return 13;
        case 15: return 16; // information
        case 16: return 15;
        case 10: return 9; // router solicitation -> advertisement
        case 9: return 10;
        case 17: return 18; // address mask
        case 18: return 17;
        default: return -1;
      }
    }
    if (proto == 58) {
      switch (type) {
        case 128: return 129; // echo request -> reply
        case 129: return 128;
        case 130: return 131; // MLD query -> report
        case 131: return 130;
        case 133: return 134; // router solicitation -> advertisement
        case 134: return 133;
        case 135: return 136; // neighbour solicitation -> advertisement
        case 136: return 135;
        case 139: return 140; // who-are-you request -> reply
        case 140: return 139;
        case 144: return 145; // home agent address discovery request -> reply
        case 145: return 144;
        default: return -1;
      }
    }
    return -1;
  }
}

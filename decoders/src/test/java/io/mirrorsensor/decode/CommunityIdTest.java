package io.mirrorsensor.decode;

import static io.mirrorsensor.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * Community ID v1 against the spec's published vectors. Sources (corelight/community-id-spec):
 * {@code baseline/README.md} tables ("Default settings", "A custom seed=1 value"), whose ICMP
 * rows give the packet's type/code, and {@code baseline/baseline_deflt.json} (tuples from
 * {@code pcaps/combined.pcap.gz}; its ICMP "ports" are type and mapped counterpart, so the
 * tests below pass the type and code the packets carried).
 */
class CommunityIdTest {
  private static final String V6A = "fe80:0001:0203:0405:0607:0809:0A0B:0C0D";
  private static final String V6B = "fe80:1011:1213:1415:1617:1819:1A1B:1C1D";

  private static String cid(int seed, String s, String d, int proto, int sp, int dp) {
    byte[] src = ip(s);
    byte[] dst = ip(d);
    return CommunityId.of(seed, src.length == 4 ? 4 : 6, src, dst, proto, sp, dp);
  }

  private static void both(String expected, int seed, String s, String d, int proto, int sp,
      int dp) {
    assertEquals(expected, cid(seed, s, d, proto, sp, dp));
    assertEquals(expected, cid(seed, d, s, proto, dp, sp));
  }

  @Test
  void readmeDefaultSeedTcpUdpSctp() {
    both("1:wCb3OG7yAFWelaUydu0D+125CLM=", 0, "1.2.3.4", "5.6.7.8", 6, 1122, 3344);
    both("1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=", 0, "1.2.3.4", "5.6.7.8", 17, 1122, 3344);
    both("1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=", 0, "1.2.3.4", "5.6.7.8", 132, 1122, 3344);
  }

  @Test
  void readmeIcmpEchoRequestAndReplyShareOneId() {
    assertEquals("1:crodRHL2FEsHjbv3UkRrfbs4bZ0=", cid(0, "1.2.3.4", "5.6.7.8", 1, 8, 0));
    assertEquals("1:crodRHL2FEsHjbv3UkRrfbs4bZ0=", cid(0, "5.6.7.8", "1.2.3.4", 1, 0, 0));
    assertEquals("1:0bf7hyMJUwt3fMED7z8LIfRpBeo=", cid(0, V6A, V6B, 58, 128, 0));
    assertEquals("1:0bf7hyMJUwt3fMED7z8LIfRpBeo=", cid(0, V6B, V6A, 58, 129, 0));
  }

  @Test
  void readmeOneWayIcmp() {
    assertEquals("1:f/YiSyWqczrTgfUCZlBUnvHRcPk=", cid(0, "1.2.3.4", "5.6.7.8", 1, 11, 0));
    assertEquals("1:fYC8+pz24E+EhANP1EZhpX0Dw10=", cid(0, V6A, V6B, 58, 146, 0));
  }

  @Test
  void readmePortlessProtocol() {
    both("1:ikv3kmf89luf73WPz1jOs49S768=", 0, "1.2.3.4", "5.6.7.8", 46, 0, 0);
    both("1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=", 0, V6A, V6B, 46, 0, 0);
  }

  @Test
  void readmeSeedOne() {
    both("1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=", 1, "1.2.3.4", "5.6.7.8", 6, 1122, 3344);
    both("1:OShq+iKDAMVouh/4bMxB9Sz4amw=", 1, "1.2.3.4", "5.6.7.8", 17, 1122, 3344);
    assertEquals("1:9pr4ZGTICiuZoIh90RRYE2RyXpU=", cid(1, "1.2.3.4", "5.6.7.8", 1, 8, 0));
    assertEquals("1:IO27GQzPuCtNnwFvjWALMHu5tJE=", cid(1, V6B, V6A, 58, 129, 0));
    assertEquals("1:/buhqeOmaRCopOZFy9HnoJd5XW8=", cid(1, "5.6.7.8", "1.2.3.4", 46, 0, 0));
  }

  @Test
  void baselineJsonPcapTuples() {
    both("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", 0, "128.232.110.120", "66.35.250.204", 6, 34855, 80);
    both("1:d/FP5EW3wiY1vCndhwleRRKHowQ=", 0, "192.168.1.52", "8.8.8.8", 17, 54585, 53);
    both("1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=", 0, "2001:470:e5bf:dead:4957:2174:e82c:4887",
        "2607:f8b0:400c:c03::1a", 6, 63943, 25);
    both("1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=", 0, "192.168.170.8", "192.168.170.56", 132, 7, 7);
    both("1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=", 0, "10.1.12.1", "10.1.12.2", 46, 0, 0);
    // neighbour solicitation (135) and advertisement (136) pair up
    assertEquals("1:dGHyGvjMfljg6Bppwm3bg0LO8TY=",
        cid(0, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 58, 135, 0));
    assertEquals("1:dGHyGvjMfljg6Bppwm3bg0LO8TY=",
        cid(0, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 58, 136, 0));
    assertEquals("1:zavyT/cezQr1fmImYCwYnMXbgck=",
        cid(0, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 58, 135, 0));
    assertEquals("1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=",
        cid(0, "fe80::200:86ff:fe05:80da", "ff02::2", 58, 133, 0));
    // one-way ICMPv6: time exceeded (3/0), destination unreachable port (1/4)
    assertEquals("1:2ObVBgIn28oZvibYZhZMBgh7WdQ=",
        cid(0, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 3, 0));
    assertEquals("1:hLZd0XGWojozrvxqE0dWB1iM6R0=",
        cid(0, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 1, 4));
    assertEquals("1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", cid(0, "192.168.0.89", "192.168.0.1", 1, 8, 0));
    assertEquals("1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", cid(0, "192.168.0.1", "192.168.0.89", 1, 0, 0));
    assertEquals("1:YHxtAirCG//0OzkcVAukqKQN9xM=", cid(0, "10.0.0.1", "10.0.0.2", 1, 11, 0));
  }

  @Test
  void suricataVerifyIpv6WithSeed7() {
    // OISF/suricata-verify tests/community-id-ipv6: test.yaml expectations with
    // community-id-seed: 7 from its suricata.yaml (redmine #6276)
    both("1:PGf+a0eBbs1OhuPtJmsF0Sm51v4=", 7, "2600:1f13:f8:d400:3a6:303c:e011:18eb",
        "2001:4860:4860::8888", 6, 33892, 443);
    both("1:ptJhMvufAbB5nLDNW77cB800wFM=", 7, "2600:1f13:f8:d400:3a6:303c:e011:18eb",
        "2607:f8b0:400a:800::200e", 6, 60202, 443);
  }

  @Test
  void decodedPacketAndFlowKeyGiveTheSameId() {
    PacketDecoder d = new PacketDecoder(DecoderConfig.defaults());
    DecodedPacket p = new DecodedPacket();
    byte[] f = eth(0x0800, ipv4("66.35.250.204", "128.232.110.120", 6,
        tcp(80, 34855, 0x12, new byte[0])));
    d.decode(f, 0, f.length, f.length, LinkType.ETHERNET, 0, p);
    assertEquals("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", CommunityId.of(p));
    FlowKey k = FlowKey.of(p, 0);
    assertEquals("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", k.communityId());
    assertSame(k.communityId(), k.communityId()); // computed once
    assertEquals("1:3V71V58M3Ksw/yuFALMcW0LAHvc=", k.communityId(1)); // baseline_seed1.json
  }

  @Test
  void decodedIcmpEchoReplyKeyGivesSpecId() {
    PacketDecoder d = new PacketDecoder(DecoderConfig.defaults());
    DecodedPacket p = new DecodedPacket();
    byte[] reply = ipv4("5.6.7.8", "1.2.3.4", 1, icmp(0, 0, 1, 1, new byte[0]));
    d.decode(reply, 0, reply.length, reply.length, LinkType.RAW, 0, p);
    assertEquals("1:crodRHL2FEsHjbv3UkRrfbs4bZ0=", FlowKey.of(p, 0).communityId());
  }
}

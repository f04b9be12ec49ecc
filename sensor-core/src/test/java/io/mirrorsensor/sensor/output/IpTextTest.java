package io.mirrorsensor.sensor.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpTextTest {
  private static String v6(String text) throws Exception {
    return IpText.format(InetAddress.getByName(text).getAddress(), 6);
  }

  @Test
  void ipv4IsDotted() {
    assertEquals("172.31.0.238", IpText.format(new byte[] {(byte) 172, 31, 0, (byte) 238, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0}, 4));
  }

  @Test
  void ipv6FollowsRfc5952() throws Exception {
    assertEquals("2001:db8::1", v6("2001:0db8:0:0:0:0:0:1"));
    assertEquals("::", v6("0:0:0:0:0:0:0:0"));
    assertEquals("::1", v6("0:0:0:0:0:0:0:1"));
    assertEquals("fe80::", v6("fe80:0:0:0:0:0:0:0"));
    // 4.2.2: a single zero word is not compressed.
    assertEquals("2001:db8:0:1:1:1:1:1", v6("2001:db8:0:1:1:1:1:1"));
    // 4.2.3: the longest run is compressed, the first when tied.
    assertEquals("2001:0:0:1::1", v6("2001:0:0:1:0:0:0:1"));
    assertEquals("2001:db8::1:0:0:1", v6("2001:db8:0:0:1:0:0:1"));
    assertEquals("2a00:1450:4001:81c::200e", v6("2a00:1450:4001:081c:0000:0000:0000:200e"));
  }
}

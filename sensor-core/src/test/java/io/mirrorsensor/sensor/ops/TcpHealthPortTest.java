package io.mirrorsensor.sensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mirrorsensor.sensor.config.ConfigException;
import io.mirrorsensor.sensor.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TcpHealthPortTest {
  private static boolean connects(InetSocketAddress a) {
    try (Socket s = new Socket()) {
      s.connect(a, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Polls for up to 5 s: the port follows the verdict within a check interval or two. */
  private static boolean becomes(InetSocketAddress a, boolean want) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (connects(a) == want) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void acceptsWhileHealthyAndRefusesWhileNot() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(false);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (TcpHealthPort p = TcpHealthPort.start("127.0.0.1", 0, healthy::get,
        new PrintStream(log))) {
      InetSocketAddress a = p.address();
      assertTrue(a.getPort() > 0);
      assertTrue(becomes(a, false), "unhealthy (starting): refused");
      healthy.set(true);
      assertTrue(becomes(a, true), "healthy: accepted");
      healthy.set(false);
      assertTrue(becomes(a, false), "unhealthy again: refused");
      healthy.set(true);
      assertTrue(becomes(a, true), "healthy again, on the same port");
      assertEquals(a, p.address());
    }
    assertEquals("", log.toString());
  }

  @Test
  void aPortInUseIsAnErrorAtStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThrows(IOException.class, () -> TcpHealthPort.start("127.0.0.1",
          taken.getLocalPort(), () -> true, System.err).close());
    }
  }

  @Test
  void theConfigKeyIsOffByDefaultAndTakesAPort() {
    assertEquals(-1, ConfigLoader.loadAll(new Properties(), "t").ops().healthTcpPort());
    Properties p = new Properties();
    p.setProperty("ops.health.tcp_port", "9109");
    assertEquals(9109, ConfigLoader.loadAll(p, "t").ops().healthTcpPort());
    p.setProperty("ops.health.tcp_port", "http");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadAll(p, "t"));
    assertTrue(e.getMessage().contains("ops.health.tcp_port"), e.getMessage());
  }
}

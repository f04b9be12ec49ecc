package io.mirrorsensor.sensor.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A plain TCP health-check port ({@code ops.health.tcp_port}): it accepts connections (and closes
 * them at once) while the sensor is healthy, and is closed, so that connections are refused,
 * while it is not. A load balancer's TCP health check (an NLB target group with protocol TCP)
 * reads exactly that. The verdict is the one {@code /health} gives ({@link OpsState#health}),
 * checked at least every {@link #CHECK_MILLIS} ms on this class's own daemon thread; nothing runs
 * on the packet path.
 */
public final class TcpHealthPort implements AutoCloseable {
  static final int CHECK_MILLIS = 250;

  private final InetSocketAddress bound;
  private final BooleanSupplier healthy;
  private final PrintStream log;
  private final Thread thread;
  private volatile boolean closed;
  /** Open while healthy; only the health thread opens and closes it after start. */
  private volatile ServerSocket server;

  private TcpHealthPort(ServerSocket first, BooleanSupplier healthy, PrintStream log) {
    this.server = first;
    this.bound = new InetSocketAddress(first.getInetAddress(), first.getLocalPort());
    this.healthy = healthy;
    this.log = log;
    this.thread = new Thread(this::run, "mirrorsensor-tcp-health");
    this.thread.setDaemon(true);
  }

  /**
   * Binds the port once (so a port in use is an error at start, not later), then keeps it open
   * only while {@code healthy} holds.
   *
   * @param port the port, 0 for any free one
   * @throws IOException when the port cannot be bound
   */
  public static TcpHealthPort start(String bind, int port, BooleanSupplier healthy,
      PrintStream log) throws IOException {
    ServerSocket s = open(new InetSocketAddress(InetAddress.getByName(bind), port));
    TcpHealthPort h = new TcpHealthPort(s, healthy, log);
    h.thread.start();
    return h;
  }

  /** The address the port is bound to (the same after every reopening). */
  public InetSocketAddress address() {
    return bound;
  }

  private static ServerSocket open(InetSocketAddress at) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(at, 64);
    s.setSoTimeout(CHECK_MILLIS);
    return s;
  }

  private void run() {
    try {
      loop();
    } finally {
      ServerSocket s = server;
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          // shutting down
        }
      }
    }
  }

  private void loop() {
    boolean warned = false;
    while (!closed) {
      boolean ok = healthy.getAsBoolean();
      try {
        if (ok && server == null) {
          server = open(bound);
          warned = false;
        } else if (!ok && server != null) {
          server.close();
          server = null;
        }
      } catch (IOException e) {
        if (!warned) {
          log.println("mirrorsensor: tcp health port " + bound + " cannot be reopened (retrying): "
              + e.getMessage());
          warned = true;
        }
      }
      if (server == null) {
        sleep();
        continue;
      }
      try (Socket c = server.accept()) {
        // accepted: the check passed; closed at once
      } catch (SocketTimeoutException e) {
        // no check in this interval: look at the verdict again
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(CHECK_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    ServerSocket s = server;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // shutting down
      }
    }
    try {
      thread.join(2 * CHECK_MILLIS + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

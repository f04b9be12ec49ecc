package io.mirrorsensor.sensor.ops;

import io.mirrorsensor.sensor.config.OpsConfig;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.live.LiveRunner;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * What {@code listen} runs beside the live runner: the HTTP endpoint (when enabled) and the EMF
 * writer (when {@code ops.emf.output} is set), both fed by the runner's snapshots.
 *
 * <p>Call order: {@link #open} (binds the HTTP port, opens the EMF file), {@link #attach} before
 * the runner starts, {@link #stopping} when a stop is asked for (health turns 503 so a load
 * balancer drains), {@link #close} after the runner stopped.
 */
public final class OpsRuntime implements AutoCloseable {
  private final OpsState state;
  private final OpsHttpServer http;
  private final EmfWriter emf;
  private final TcpHealthPort tcpHealth;

  private OpsRuntime(OpsState state, OpsHttpServer http, EmfWriter emf, TcpHealthPort tcpHealth) {
    this.state = state;
    this.http = http;
    this.emf = emf;
    this.tcpHealth = tcpHealth;
  }

  /**
   * @param outDir the output directory (a relative {@code ops.emf.output} is inside it)
   * @param eveFile the EVE file the status page reads recent findings from
   * @throws IOException when the HTTP port cannot be bound or the EMF file opened
   */
  public static OpsRuntime open(OpsConfig ops, SensorConfig sensor, Path outDir, Path eveFile,
      PrintStream log) throws IOException {
    OpsState state = new OpsState(ops, sensor);
    EmfWriter emf = null;
    String target = ops.emfOutput();
    if (!target.isEmpty()) {
      String name = ops.emfSensorName().isEmpty() ? hostName() : ops.emfSensorName();
      if (target.equals("stdout")) {
        emf = new EmfWriter(ops, sensor, System.out, false, name, log);
      } else {
        OutputStream os = new FileOutputStream(outDir.resolve(target).toFile(), true);
        emf = new EmfWriter(ops, sensor, os, true, name, log);
      }
    }
    OpsHttpServer http = null;
    if (ops.httpEnabled()) {
      try {
        http = OpsHttpServer.start(ops.httpBind(), ops.httpPort(), state, eveFile);
      } catch (IOException e) {
        if (emf != null) {
          emf.close();
        }
        throw new IOException("cannot serve HTTP on " + ops.httpBind() + ":" + ops.httpPort()
            + ": " + e.getMessage(), e);
      }
    }
    TcpHealthPort tcp = null;
    if (ops.healthTcpPort() >= 0) {
      try {
        tcp = TcpHealthPort.start(ops.httpBind(), ops.healthTcpPort(),
            () -> state.health().healthy(), log);
      } catch (IOException e) {
        if (http != null) {
          http.close();
        }
        if (emf != null) {
          emf.close();
        }
        throw new IOException("cannot open the TCP health port " + ops.httpBind() + ":"
            + ops.healthTcpPort() + " (ops.health.tcp_port): " + e.getMessage(), e);
      }
    }
    return new OpsRuntime(state, http, emf, tcp);
  }

  /** True when there is anything to feed (HTTP or EMF). */
  public boolean active() {
    return http != null || emf != null || tcpHealth != null;
  }

  /** Registers the snapshot listener with the runner (before it starts). */
  public void attach(LiveRunner runner) {
    if (!active()) {
      return;
    }
    EmfWriter e = emf;
    runner.onSnapshot(s -> {
      state.accept(s);
      if (e != null) {
        e.accept(s);
      }
    }, state.periodNanos());
  }

  /** The bound TCP health-check address, or null when {@code ops.health.tcp_port} is off. */
  public java.net.InetSocketAddress tcpHealthAddress() {
    return tcpHealth == null ? null : tcpHealth.address();
  }

  /** The bound HTTP address, or null when HTTP is off. */
  public java.net.InetSocketAddress httpAddress() {
    return http == null ? null : http.address();
  }

  public OpsState state() {
    return state;
  }

  public void stopping() {
    state.stopping();
  }

  @Override
  public void close() {
    if (tcpHealth != null) {
      tcpHealth.close();
    }
    if (http != null) {
      http.close();
    }
    if (emf != null) {
      try {
        emf.close();
      } catch (IOException e) {
        // the last line may be lost; nothing else to do at shutdown
      }
    }
  }

  private static String hostName() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "mirrorsensor";
    }
  }
}

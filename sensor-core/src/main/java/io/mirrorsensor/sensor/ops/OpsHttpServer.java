package io.mirrorsensor.sensor.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The embedded HTTP endpoint (the JDK's {@code com.sun.net.httpserver}, one daemon thread, off
 * the packet path): {@code GET /health} (200 or 503 with a JSON reason: an NLB HTTP health
 * check), {@code GET /metrics} (Prometheus text 0.0.4), {@code GET /} (status page). HEAD is
 * answered like GET without a body; other methods get 405, other paths 404.
 */
public final class OpsHttpServer implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  private final HttpServer server;
  private final ExecutorService executor;
  private final OpsState state;
  private final Path eveFile;

  private OpsHttpServer(HttpServer server, ExecutorService executor, OpsState state,
      Path eveFile) {
    this.server = server;
    this.executor = executor;
    this.state = state;
    this.eveFile = eveFile;
  }

  /** Binds {@code bind:port} (0: any free port) and starts serving. */
  public static OpsHttpServer start(String bind, int port, OpsState state, Path eveFile)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mirrorsensor-http");
      t.setDaemon(true);
      return t;
    });
    OpsHttpServer s = new OpsHttpServer(server, ex, state, eveFile);
    server.createContext("/", s::handle);
    server.setExecutor(ex);
    server.start();
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String method = x.getRequestMethod();
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        x.getResponseHeaders().set("Allow", "GET, HEAD");
        send(x, 405, "text/plain; charset=utf-8", "method not allowed\n", false);
        return;
      }
      String path = x.getRequestURI().getPath();
      switch (path) {
        case "/health": {
          OpsState.Health h = state.health();
          send(x, h.healthy() ? 200 : 503, "application/json", healthJson(h), head);
          break;
        }
        case "/metrics":
          send(x, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(state), head);
          break;
        case "/":
          send(x, 200, "text/html; charset=utf-8", StatusPage.render(state, eveFile), head);
          break;
        default:
          send(x, 404, "text/plain; charset=utf-8", "not found: try /, /health or /metrics\n",
              head);
      }
    } catch (RuntimeException e) {
      // A bug in a page must not take the endpoint down; the exchange is closed by try.
      try {
        send(x, 500, "text/plain; charset=utf-8", "internal error: " + e + "\n", false);
      } catch (IOException | RuntimeException ignored) {
        // headers may already be sent
      }
    }
  }

  private static void send(HttpExchange x, int status, String type, String body, boolean head)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("Cache-Control", "no-store");
    if (head) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    x.sendResponseHeaders(status, b.length);
    try (OutputStream os = x.getResponseBody()) {
      os.write(b);
    }
  }

  /** {@code {"status":"ok"|"unhealthy","reasons":[...],...}}. */
  static String healthJson(OpsState.Health h) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(buf)) {
      g.writeStartObject();
      g.writeStringField("status", h.healthy() ? "ok" : "unhealthy");
      g.writeArrayFieldStart("reasons");
      for (String r : h.reasons()) {
        g.writeString(r);
      }
      g.writeEndArray();
      g.writeNumberField("drop_ratio", h.dropRatio());
      g.writeNumberField("received_last_interval", h.receivedLastInterval());
      if (h.snapshotAgeSeconds() >= 0) {
        g.writeNumberField("snapshot_age_seconds",
            Math.round(h.snapshotAgeSeconds() * 1000) / 1000.0);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buf.toString(StandardCharsets.UTF_8) + "\n";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

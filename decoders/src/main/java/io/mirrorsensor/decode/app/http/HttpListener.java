package io.mirrorsensor.decode.app.http;

/** Receives what an {@link HttpParser} finds; called on the parser's thread, during its calls. */
public interface HttpListener {
  /**
   * A finished transaction: its response ended, or the flow closed, or a gap ended it. Each
   * transaction is handed over once; it is not touched by the parser afterwards.
   */
  void transaction(HttpTransaction t);

  /** A named anomaly at packet time {@code tsNanos}. */
  default void event(HttpEvent e, long tsNanos) {}
}

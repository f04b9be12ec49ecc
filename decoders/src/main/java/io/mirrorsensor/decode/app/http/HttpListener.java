package io.mirrorsensor.decode.app.http;

/** Receives what an {@link HttpParser} finds; called on the parser's thread, during its calls. */
public interface HttpListener {
  /**
   * A finished transaction: its response ended, or the flow closed, or a gap ended it. Each
   * transaction is handed over once; it is not touched by the parser afterwards.
   */
  void transaction(HttpTransaction t);

  /**
   * The request of {@code t} ended (its head, and its body when the framing told where that ends)
   * at packet time {@code t.requestEndNanos()}: called once, before {@link #transaction} hands the
   * same transaction over, so request-side work need not wait for the response. Not called for a
   * transaction whose request a gap or the flow's end cut short ({@code requestEndNanos()} stays
   * -1 then). The response is not there yet; the parser goes on with {@code t} after the call.
   */
  default void requestEnded(HttpTransaction t) {}

  /** A named anomaly at packet time {@code tsNanos}. */
  default void event(HttpEvent e, long tsNanos) {}
}

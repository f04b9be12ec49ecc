package io.mirrorsensor.decode.app.tls;

/**
 * Receives what a {@link TlsParser} finds; called on the parser's thread, during its calls. The
 * same {@link TlsTransaction} (one per connection) is passed each time, filled further.
 *
 * <p>Order: {@link #clientHello} for each ClientHello (a second one follows a
 * HelloRetryRequest), {@link #serverHello} and {@link #certificate} as they come, then {@link
 * #complete} exactly once if any hello was seen. Write the EVE {@code tls} event at {@link
 * #complete}.
 */
public interface TlsListener {
  /** A ClientHello was parsed: {@link TlsTransaction#client()} is set. */
  default void clientHello(TlsTransaction t) {}

  /** A ServerHello (or HelloRetryRequest) was parsed: {@link TlsTransaction#server()} is set. */
  default void serverHello(TlsTransaction t) {}

  /** The server's Certificate message (TLS 1.2 and earlier) was parsed. */
  default void certificate(TlsTransaction t) {}

  /**
   * Once per connection: the server direction turned encrypted (ChangeCipherSpec, or a TLS 1.3
   * ServerHello), or the connection closed first. Nothing more is added after this call.
   */
  void complete(TlsTransaction t);

  /** A named anomaly at packet time {@code tsNanos}. */
  default void event(TlsEvent e, long tsNanos) {}
}

package io.mirrorsensor.decode.app.dns;

/** Receives what a {@link DnsParser} finds; called on the parser's thread, during its calls. */
public interface DnsListener {
  /** A finished transaction; {@code t} is valid only during the call. */
  void transaction(DnsTransaction t);

  /** A named anomaly at packet time {@code tsNanos}. */
  default void event(DnsEvent e, long tsNanos) {}
}

package io.mirrorsensor.decode;

/** Outcome of decoding one frame. Malformed traffic is a value, never an exception. */
public enum DecodeStatus {
  /** Every layer present was decoded (possibly truncated by capture length: see flags). */
  OK,
  /** A header was cut short by the captured length; the layers before it are valid. */
  TRUNCATED,
  /** A header was invalid; the layers before it are valid; an {@link Anomaly} says which. */
  MALFORMED,
  /** A protocol the decoder does not handle (ARP, LLDP, IPX ...): outer layers valid. */
  UNSUPPORTED,
  /** A fragment was taken into the reassembly table; nothing to process until it completes. */
  FRAGMENT_HELD
}

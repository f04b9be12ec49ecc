package io.mirrorsensor.decode.app.dns;

/** Outcome of parsing one DNS message: {@link DnsMessage#event()} names the reason when not OK. */
public enum DnsStatus {
  OK,
  /** The message is broken; fields parsed before the fault stay readable. */
  MALFORMED
}

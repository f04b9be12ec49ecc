package io.mirrorsensor.decode.app.dns;

/**
 * Bounds of the DNS parser, each with a named anomaly when hit.
 *
 * @param maxPointerHops compression pointers followed in one name ({@link
 *     DnsEvent#COMPRESSION_LOOP}); a 255-byte name needs at most 127
 * @param maxRecords records parsed per message across all sections ({@link
 *     DnsEvent#TOO_MANY_RECORDS})
 * @param maxPending unanswered queries kept per flow ({@link DnsEvent#PENDING_TABLE_FULL})
 * @param queryTimeoutNanos packet time after which an unanswered query is logged timed out
 */
public record DnsConfig(int maxPointerHops, int maxRecords, int maxPending,
    long queryTimeoutNanos) {
  public static DnsConfig defaults() {
    return new DnsConfig(64, 256, 32, 5_000_000_000L);
  }
}

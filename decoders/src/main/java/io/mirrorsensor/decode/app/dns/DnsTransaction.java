package io.mirrorsensor.decode.app.dns;

/**
 * One DNS query and its response, as rules and logs see it. Three shapes: a query answered
 * ({@link #hasQuery()} and {@link #response()} non-null), a query that timed out ({@link
 * #timedOut()}), a response whose query was never seen ({@code !hasQuery()}).
 *
 * <p>Handed to {@link DnsListener#transaction} and valid only during that call: the object is
 * reused, and {@link #response()} is a view over the packet's (or the TCP splitter's) bytes.
 */
public final class DnsTransaction {
  boolean hasQuery;
  int id;
  int queryFlags;
  int qtype;
  int qclass;
  final byte[] qname = new byte[DnsMessage.MAX_NAME_WIRE + 1];
  int qnameLength;
  long queryNanos;
  boolean timedOut;
  DnsMessage response;
  long responseNanos;
  boolean overTcp;

  DnsTransaction() {}

  /** True when the query was seen (false: an unsolicited response). */
  public boolean hasQuery() {
    return hasQuery;
  }

  public int id() {
    return id;
  }

  /** The query's 16 flag bits (meaningful when {@link #hasQuery()}). */
  public int queryFlags() {
    return queryFlags;
  }

  /** First question's type, -1 when the message had none. */
  public int qtype() {
    return qtype;
  }

  public int qclass() {
    return qclass;
  }

  /** First question's name, flat lower-cased wire form: {@code qname()[0, qnameLength())}. */
  public byte[] qname() {
    return qname;
  }

  public int qnameLength() {
    return qnameLength;
  }

  /** The first question's name, dotted (allocates; for output). */
  public String rrname() {
    return DnsMessage.flatNameText(qname, qnameLength);
  }

  /** Packet time of the query, or of the response when the query was not seen. */
  public long queryNanos() {
    return queryNanos;
  }

  /** True when no response came within {@link DnsConfig#queryTimeoutNanos()} or before close. */
  public boolean timedOut() {
    return timedOut;
  }

  /** The response, parsed; null when timed out. */
  public DnsMessage response() {
    return response;
  }

  public long responseNanos() {
    return responseNanos;
  }

  /** Query to response, in nanoseconds of packet time; -1 without both. */
  public long latencyNanos() {
    return hasQuery && response != null ? responseNanos - queryNanos : -1;
  }

  /** True when the messages came over TCP. */
  public boolean overTcp() {
    return overTcp;
  }
}

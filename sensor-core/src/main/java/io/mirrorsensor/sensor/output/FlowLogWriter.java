package io.mirrorsensor.sensor.output;

import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.config.SensorConfig.VniInfo;
import io.mirrorsensor.sensor.flow.Flow;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/**
 * Writes VPC Flow Logs version-2 records, so the Athena tables users already have read them: a
 * header line, then one line per direction of each flow record that carried packets, as AWS does
 * (a flow log record is unidirectional: srcaddr to dstaddr).
 *
 * <pre>
 * version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
 * 2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
 * </pre>
 *
 * ICMP records carry ports 0, as AWS writes them. {@code interface-id} is the ENI named for the
 * flow's first VNI in the config, {@code -} when unknown.
 */
public final class FlowLogWriter implements Closeable {
  static final String HEADER =
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
          + " start end action log-status";

  private final BufferedWriter w;
  private final SensorConfig config;
  private long lines;

  /** Takes ownership of {@code out}: it is closed by {@link #close()}. */
  public FlowLogWriter(OutputStream out, SensorConfig config) throws IOException {
    this.w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
    this.config = config;
    w.write(HEADER);
    w.write('\n');
  }

  public long lines() {
    return lines;
  }

  /** Writes the flow's records: client to server, then server to client, each if non-empty. */
  public void flow(Flow f) throws IOException {
    FlowKey k = f.key();
    String eni = "-";
    if (f.vniCount() > 0) {
      VniInfo info = config.vniInfo(f.vni(0));
      if (info != null && info.eni() != null) {
        eni = info.eni();
      }
    }
    boolean icmp = k.proto() == 1 || k.proto() == 58;
    String client = f.keySrcIsClient() ? k.srcIp() : k.dstIp();
    String server = f.keySrcIsClient() ? k.dstIp() : k.srcIp();
    int cport = icmp ? 0 : f.keySrcIsClient() ? k.srcPort() : k.dstPort();
    int sport = icmp ? 0 : f.keySrcIsClient() ? k.dstPort() : k.srcPort();
    long start = Math.floorDiv(f.firstNanos(), 1_000_000_000L);
    long end = Math.floorDiv(f.lastNanos(), 1_000_000_000L);
    if (f.pktsToServer() > 0) {
      line(eni, client, server, cport, sport, k.proto(), f.pktsToServer(), f.bytesToServer(),
          start, end);
    }
    if (f.pktsToClient() > 0) {
      line(eni, server, client, sport, cport, k.proto(), f.pktsToClient(), f.bytesToClient(),
          start, end);
    }
  }

  private void line(String eni, String src, String dst, int sp, int dp, int proto, long pkts,
      long bytes, long start, long end) throws IOException {
    StringBuilder sb = new StringBuilder(128);
    sb.append("2 ").append(config.accountId()).append(' ').append(eni).append(' ')
        .append(src).append(' ').append(dst).append(' ').append(sp).append(' ').append(dp)
        .append(' ').append(proto).append(' ').append(pkts).append(' ').append(bytes)
        .append(' ').append(start).append(' ').append(end).append(" ACCEPT OK\n");
    w.write(sb.toString());
    lines++;
  }

  public void flush() throws IOException {
    w.flush();
  }

  @Override
  public void close() throws IOException {
    w.close();
  }
}

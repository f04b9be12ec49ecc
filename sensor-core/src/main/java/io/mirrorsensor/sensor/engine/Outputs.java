package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.Anomaly;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.flow.EndReason;
import io.mirrorsensor.sensor.flow.Flow;
import io.mirrorsensor.sensor.output.EveWriter;
import io.mirrorsensor.sensor.output.FlowLogWriter;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The output files of one run: EVE JSON and VPC Flow Logs in the output directory. A write error
 * (a full disk, say) is reported once with the file and cause, counted, and the run goes on.
 */
public final class Outputs implements EventSink, Closeable,
    io.mirrorsensor.sensor.flow.FlowPackets.Tap {
  private final Path eveFile;
  private final Path flowLogFile;
  private final EveWriter eve;
  private final FlowLogWriter flowLog;
  private final PrintStream log;
  /** The streams beneath the writers, for events a pipeline worker encoded already. */
  private final OutputStream eveOut;
  private final OutputStream flowOut;
  /** True once the writers' own buffers were flushed ahead of the first encoded chunk. */
  private boolean encodedMode;
  /** True when the writers were used since the last encoded chunk (their buffers go first). */
  private boolean writersDirty;
  private final Map<EndReason, Long> flowRecordsByReason = new EnumMap<>(EndReason.class);
  private long writeErrors;
  private boolean closed;
  /** Pcap extracts: written here (output side); null when {@code extract.enabled} is off. */
  private io.mirrorsensor.sensor.extract.ExtractWriter extracts;
  /** Direct use as a processor's sink (no pipeline): the extractor and its feed, applied at once. */
  private io.mirrorsensor.sensor.extract.Extractor directExtractor;
  private final io.mirrorsensor.sensor.extract.ExtractFeed directFeed =
      new io.mirrorsensor.sensor.extract.ExtractFeed();

  private Outputs(Path eveFile, Path flowLogFile, EveWriter eve, FlowLogWriter flowLog,
      PrintStream log, OutputStream eveOut, OutputStream flowOut) {
    this.eveOut = eveOut;
    this.flowOut = flowOut;
    this.eveFile = eveFile;
    this.flowLogFile = flowLogFile;
    this.eve = eve;
    this.flowLog = flowLog;
    this.log = log;
  }

  /**
   * Creates {@code dir} if needed and opens (truncating) the output files in it.
   *
   * @throws OutputException naming the directory or file and why it cannot be written
   */
  public static Outputs open(Path dir, SensorConfig config, PrintStream log) {
    try {
      Files.createDirectories(dir);
    } catch (FileSystemException e) {
      throw new OutputException("cannot create output directory " + dir + ": " + reason(e));
    } catch (IOException e) {
      throw new OutputException("cannot create output directory " + dir + ": " + e.getMessage());
    }
    if (!Files.isDirectory(dir)) {
      throw new OutputException("output path " + dir + " is not a directory");
    }
    if (!Files.isWritable(dir)) {
      throw new OutputException("output directory " + dir + " is not writable");
    }
    Path evePath = dir.resolve(config.eveFile());
    Path flowPath = dir.resolve(config.flowLogFile());
    OutputStream eveOut = null;
    try {
      eveOut = new BufferedOutputStream(Files.newOutputStream(evePath), 1 << 16);
      EveWriter eve = new EveWriter(eveOut, config);
      OutputStream flowOut = new BufferedOutputStream(Files.newOutputStream(flowPath), 1 << 16);
      FlowLogWriter flowLog = new FlowLogWriter(flowOut, config);
      Outputs o = new Outputs(evePath, flowPath, eve, flowLog, log, eveOut, flowOut);
      if (config.extract().enabled()) {
        o.extracts = new io.mirrorsensor.sensor.extract.ExtractWriter(dir, config.extract(), log,
            line -> o.writeEncoded(line, new byte[0]), System::nanoTime);
        o.directExtractor = new io.mirrorsensor.sensor.extract.Extractor(config.extract(),
            o.directFeed, false);
      }
      return o;
    } catch (IOException e) {
      if (eveOut != null) {
        try {
          eveOut.close();
        } catch (IOException ignored) {
          // the first error is the one worth reporting
        }
      }
      String what = e instanceof FileSystemException ? reason((FileSystemException) e)
          : e.getMessage();
      throw new OutputException("cannot open output file in " + dir + ": " + what);
    }
  }

  private static String reason(FileSystemException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied (" + e.getFile() + ")";
    }
    return e.getReason() != null ? e.getReason() + " (" + e.getFile() + ")" : e.toString();
  }

  @Override
  public void flowEnded(Flow flow, EndReason reason) {
    writersDirty = true;
    flowRecordsByReason.merge(reason, 1L, Long::sum);
    eve(w -> w.flow(flow, reason));
    try {
      flowLog.flow(flow);
    } catch (IOException e) {
      writeError(flowLogFile, e);
    }
  }

  /** Writes a built-in finding as an alert event; see {@link EveWriter#alert}. */
  @Override
  public void finding(Flow flow, io.mirrorsensor.decode.tcp.TcpFinding finding, long tsNanos) {
    if (directExtractor != null) {
      directExtractor.trigger(flow, io.mirrorsensor.decode.tcp.TcpFinding.GID, finding.sid(),
          tsNanos);
    }
    eve(w -> w.alert(flow, finding, tsNanos));
  }

  @Override
  public void appFinding(Flow flow, io.mirrorsensor.decode.app.AppFinding f, long tsNanos,
      long pcapCnt, String detail) {
    if (directExtractor != null) {
      directExtractor.trigger(flow, io.mirrorsensor.decode.app.AppFinding.GID, f.sid(), tsNanos);
    }
    eve(w -> w.appAlert(flow, f, tsNanos, pcapCnt, detail));
  }

  @Override
  public void appAnomaly(Flow flow, String layer, String event, long tsNanos, long pcapCnt) {
    eve(w -> w.appAnomaly(flow, layer, event, tsNanos, pcapCnt));
  }

  @Override
  public void ruleAlert(Flow flow, io.mirrorsensor.rules.Rule rule, boolean packetFromKeySrc,
      long tsNanos, long pcapCnt) {
    ruleAlert(flow, rule, packetFromKeySrc, tsNanos, pcapCnt, null);
  }

  @Override
  public void ruleAlert(Flow flow, io.mirrorsensor.rules.Rule rule, boolean packetFromKeySrc,
      long tsNanos, long pcapCnt, Object tx) {
    if (directExtractor != null) {
      directExtractor.trigger(flow, rule.gid(), rule.sid(), tsNanos);
    }
    eve(w -> w.ruleAlert(flow, rule, packetFromKeySrc, tsNanos, pcapCnt, tx));
  }

  @Override
  public void dns(Flow flow, io.mirrorsensor.decode.app.dns.DnsTransaction t) {
    eve(w -> w.dns(flow, t));
  }

  @Override
  public void tls(Flow flow, io.mirrorsensor.decode.app.tls.TlsTransaction t) {
    eve(w -> w.tls(flow, t));
  }

  @Override
  public void http(Flow flow, io.mirrorsensor.decode.app.http.HttpTransaction t) {
    eve(w -> w.http(flow, t));
  }

  /** One EVE write, for {@link #eve(EveWrite)}. */
  @FunctionalInterface
  private interface EveWrite {
    void to(EveWriter w) throws IOException;
  }

  /**
   * Every direct EVE write goes through here: it marks the writer's buffer as holding events that
   * must reach the file before any pipeline-encoded bytes (see {@link #writeEncoded}), and a
   * write error is reported once and counted, never thrown.
   */
  private void eve(EveWrite write) {
    writersDirty = true;
    try {
      write.to(eve);
    } catch (IOException e) {
      writeError(eveFile, e);
    }
  }

  /** Writes an anomaly event; see {@link EveWriter#anomaly}. */
  public void anomaly(Anomaly a, long tsNanos, long pcapCnt, FlowKey key, int vni) {
    eve(w -> w.anomaly(a, tsNanos, pcapCnt, key, vni));
  }

  /** Writes a stats event; see {@link EveWriter#stats}. */
  public void stats(long tsNanos, double uptimeSeconds, Map<String, ?> counters) {
    eve(w -> w.stats(tsNanos, uptimeSeconds, counters));
  }

  /**
   * Appends events a pipeline worker encoded already (whole EVE lines, whole flow-log lines).
   * Called by the output thread only; the arrays stay the caller's.
   */
  public void writeEncoded(byte[] eveBytes, byte[] flowLogBytes) {
    if (!encodedMode || writersDirty) {
      // The writers' buffers (the flow log header, events written directly) go first.
      flushWriters();
      encodedMode = true;
      writersDirty = false;
    }
    if (eveBytes.length > 0) {
      try {
        eveOut.write(eveBytes);
      } catch (IOException e) {
        writeError(eveFile, e);
      }
    }
    if (flowLogBytes.length > 0) {
      try {
        flowOut.write(flowLogBytes);
      } catch (IOException e) {
        writeError(flowLogFile, e);
      }
    }
  }

  /**
   * Applies extract operations a pipeline worker packed ({@code ExtractFeed}): pcap files under
   * {@code extracts/}, {@code extract} events. Called by the output thread only.
   */
  public void writeExtracts(byte[] ops) {
    if (extracts != null) {
      extracts.apply(ops);
    }
  }

  /** Output-side extract counters, empty when extracts are off. */
  public Map<String, Long> extractWriterStats() {
    return extracts == null ? Map.of() : extracts.stats();
  }

  // FlowPackets.Tap, when a PacketProcessor writes here directly (no pipeline): the feed is
  // applied as soon as an operation is added; writersDirty orders the encoded lines after the
  // writers' own buffers.

  @Override
  public void attach(io.mirrorsensor.sensor.flow.FlowPackets buffers) {
    if (directExtractor != null) {
      directExtractor.attach(buffers);
    }
  }

  @Override
  public void packet(Flow f, byte[] buf, int off, int capLen, int origLen, int linkType,
      long tsNanos) {
    if (directExtractor != null) {
      directExtractor.packet(f, buf, off, capLen, origLen, linkType, tsNanos);
      applyDirect();
    }
  }

  @Override
  public void flowEnded(Flow f) {
    if (directExtractor != null) {
      directExtractor.flowEnded(f);
      applyDirect();
    }
  }

  @Override
  public Map<String, Object> extractStats() {
    return directExtractor == null ? new java.util.LinkedHashMap<>() : directExtractor.stats();
  }

  private void applyDirect() {
    if (directFeed.size() > 0) {
      writersDirty = true;
      writeExtracts(directFeed.take());
    }
  }

  /** Pushes everything written so far to the files (live mode, so that readers see events). */
  public void flush() {
    if (extracts != null) {
      extracts.flush();
    }
    flushWriters();
    try {
      eveOut.flush();
    } catch (IOException e) {
      writeError(eveFile, e);
    }
    try {
      flowOut.flush();
    } catch (IOException e) {
      writeError(flowLogFile, e);
    }
  }

  private void flushWriters() {
    try {
      eve.flush();
    } catch (IOException e) {
      writeError(eveFile, e);
    }
    try {
      flowLog.flush();
    } catch (IOException e) {
      writeError(flowLogFile, e);
    }
  }

  private void writeError(Path file, IOException e) {
    if (writeErrors++ == 0) {
      log.println("mirrorsensor: cannot write " + file + ": " + e.getMessage()
          + " (further write errors are counted, not shown)");
    }
  }

  public long writeErrors() {
    return writeErrors;
  }

  public Map<String, Long> eventsByType() {
    return eve.eventsByType();
  }

  public Map<EndReason, Long> flowRecordsByReason() {
    return flowRecordsByReason;
  }

  public long flowLogLines() {
    return flowLog.lines();
  }

  public Path eveFile() {
    return eveFile;
  }

  public Path flowLogFile() {
    return flowLogFile;
  }

  /** Flushes and closes both files; safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (extracts != null) {
      extracts.close();
    }
    try {
      eve.close();
    } catch (IOException e) {
      writeError(eveFile, e);
    }
    try {
      flowLog.close();
    } catch (IOException e) {
      writeError(flowLogFile, e);
    }
  }

  /** The output directory or a file in it cannot be written. */
  public static final class OutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutputException(String message) {
      super(message);
    }
  }
}

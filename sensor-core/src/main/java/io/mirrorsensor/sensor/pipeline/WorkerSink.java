package io.mirrorsensor.sensor.pipeline;

import io.mirrorsensor.decode.Anomaly;
import io.mirrorsensor.decode.FlowKey;
import io.mirrorsensor.decode.tcp.TcpFinding;
import io.mirrorsensor.sensor.config.SensorConfig;
import io.mirrorsensor.sensor.engine.EventSink;
import io.mirrorsensor.sensor.flow.EndReason;
import io.mirrorsensor.sensor.extract.ExtractFeed;
import io.mirrorsensor.sensor.extract.Extractor;
import io.mirrorsensor.sensor.flow.Flow;
import io.mirrorsensor.sensor.flow.FlowPackets;
import io.mirrorsensor.sensor.output.EveWriter;
import io.mirrorsensor.sensor.output.FlowLogWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * A worker's events, encoded on the worker's thread (EVE lines and flow-log lines into memory)
 * and handed to the {@link OutputThread} in chunks. Encoding here, not on the output thread,
 * means a flow is written while the worker still owns it (an {@code active} record is followed by
 * the flow's reset), and the JSON work is spread over the workers.
 *
 * <p>Replay hands chunks over with back-pressure. Live never waits: when the output queue is
 * full the chunk stays here ({@code output.behind} counts that), and beyond
 * {@code output.max_pending_bytes} further events are dropped and counted
 * ({@code output.dropped_events}). Owned by one worker thread.
 */
final class WorkerSink implements EventSink, FlowPackets.Tap {
  private final ByteArrayOutputStream eveBuf = new ByteArrayOutputStream(1 << 16);
  private final ByteArrayOutputStream flowBuf = new ByteArrayOutputStream(1 << 14);
  private final EveWriter eve;
  private final FlowLogWriter flowLog;
  private final OutputThread out;
  private final boolean live;
  private final long maxPending;
  final Map<EndReason, Long> recordsByReason = new EnumMap<>(EndReason.class);
  long behind;
  long droppedEvents;
  /**
   * System.nanoTime() when the packet being processed was received (live), 0 when none (replay,
   * timeouts, shutdown); set by the worker around each packet.
   */
  long receivedNanos;
  /** Receive of the packet to the encoding of an event it caused (live packets only). */
  final io.mirrorsensor.sensor.output.LatencyHistogram eventLatency =
      new io.mirrorsensor.sensor.output.LatencyHistogram();
  /** Extract operations not yet handed over; the extractor is null when extracts are off. */
  private final ExtractFeed extractFeed = new ExtractFeed();
  private final Extractor extractor;

  WorkerSink(SensorConfig config, OutputThread out, boolean live) {
    this.out = out;
    this.live = live;
    this.maxPending = config.live().outputMaxPendingBytes();
    this.extractor = config.extract().enabled() ? new Extractor(config.extract(), extractFeed, live)
        : null;
    try {
      this.eve = new EveWriter(eveBuf, config);
      this.flowLog = new FlowLogWriter(flowBuf, config);
      flowLog.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // memory streams do not fail
    }
    flowBuf.reset(); // the output file has its own header line
  }

  private boolean full() {
    return live && eveBuf.size() + flowBuf.size() > maxPending;
  }

  @Override
  public void flowEnded(Flow flow, EndReason reason) {
    if (full()) {
      droppedEvents++;
      return;
    }
    recordsByReason.merge(reason, 1L, Long::sum);
    try {
      eve.flow(flow, reason);
      flowLog.flow(flow);
      encoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void finding(Flow flow, TcpFinding finding, long tsNanos) {
    if (full()) {
      droppedEvents++;
      return;
    }
    if (extractor != null) {
      extractor.trigger(flow, TcpFinding.GID, finding.sid(), tsNanos);
    }
    try {
      eve.alert(flow, finding, tsNanos);
      encoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void appFinding(Flow flow, io.mirrorsensor.decode.app.AppFinding f, long tsNanos,
      long pcapCnt, String detail) {
    if (full()) {
      droppedEvents++;
      return;
    }
    if (extractor != null) {
      extractor.trigger(flow, io.mirrorsensor.decode.app.AppFinding.GID, f.sid(), tsNanos);
    }
    try {
      eve.appAlert(flow, f, tsNanos, pcapCnt, detail);
      encoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void appAnomaly(Flow flow, String layer, String event, long tsNanos, long pcapCnt) {
    if (full()) {
      droppedEvents++;
      return;
    }
    try {
      eve.appAnomaly(flow, layer, event, tsNanos, pcapCnt);
      encoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void ruleAlert(Flow flow, io.mirrorsensor.rules.Rule rule, boolean packetFromKeySrc,
      long tsNanos, long pcapCnt) {
    ruleAlert(flow, rule, packetFromKeySrc, tsNanos, pcapCnt, null);
  }

  @Override
  public void ruleAlert(Flow flow, io.mirrorsensor.rules.Rule rule, boolean packetFromKeySrc,
      long tsNanos, long pcapCnt, Object tx) {
    if (full()) {
      droppedEvents++;
      return;
    }
    if (extractor != null) {
      extractor.trigger(flow, rule.gid(), rule.sid(), tsNanos);
    }
    try {
      eve.ruleAlert(flow, rule, packetFromKeySrc, tsNanos, pcapCnt, tx);
      encoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void dns(Flow flow, io.mirrorsensor.decode.app.dns.DnsTransaction t) {
    if (full()) {
      droppedEvents++;
      return;
    }
    try {
      eve.dns(flow, t);
      encoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void tls(Flow flow, io.mirrorsensor.decode.app.tls.TlsTransaction t) {
    if (full()) {
      droppedEvents++;
      return;
    }
    try {
      eve.tls(flow, t);
      encoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void http(Flow flow, io.mirrorsensor.decode.app.http.HttpTransaction t) {
    if (full()) {
      droppedEvents++;
      return;
    }
    try {
      eve.http(flow, t);
      encoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void anomaly(Anomaly a, long tsNanos, long pcapCnt, FlowKey key, int vni) {
    if (full()) {
      droppedEvents++;
      return;
    }
    try {
      eve.anomaly(a, tsNanos, pcapCnt, key, vni);
      encoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records the receive-to-event latency of the event just encoded, for a live packet's. */
  private void encoded() {
    if (receivedNanos != 0) {
      eventLatency.recordNanos(System.nanoTime() - receivedNanos);
    }
  }

  /** Bytes encoded and not yet handed over (an estimate: the JSON generator buffers a little). */
  int pending() {
    return eveBuf.size() + flowBuf.size() + extractFeed.size();
  }

  // ---- extracts (FlowPackets.Tap): the worker's Extractor, its feed goes out with the chunks ----

  @Override
  public void attach(FlowPackets buffers) {
    if (extractor != null) {
      extractor.attach(buffers);
    }
  }

  @Override
  public void packet(Flow f, byte[] buf, int off, int capLen, int origLen, int linkType,
      long tsNanos) {
    if (extractor != null) {
      extractor.packet(f, buf, off, capLen, origLen, linkType, tsNanos);
    }
  }

  @Override
  public void flowEnded(Flow f) {
    if (extractor != null) {
      extractor.flowEnded(f);
    }
  }

  @Override
  public Map<String, Object> extractStats() {
    return extractor != null ? extractor.stats() : FlowPackets.Tap.super.extractStats();
  }

  Map<String, Long> eventsByType() {
    return eve.eventsByType();
  }

  /**
   * Hands what is encoded to the output thread.
   *
   * @param block wait for room (replay, and the end of a live run)
   */
  void drain(boolean block) {
    try {
      eve.flush();
      flowLog.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (eveBuf.size() == 0 && flowBuf.size() == 0 && extractFeed.size() == 0) {
      return;
    }
    OutputThread.Chunk c = new OutputThread.Chunk(eveBuf.toByteArray(), flowBuf.toByteArray(),
        extractFeed.copy());
    if (block || !live) {
      try {
        out.put(c);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    } else if (!out.offer(c)) {
      behind++;
      return; // kept: the next drain tries again
    }
    eveBuf.reset();
    flowBuf.reset();
    extractFeed.reset();
  }
}

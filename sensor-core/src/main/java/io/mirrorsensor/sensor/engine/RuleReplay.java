package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.capture.CaptureDamage;
import io.mirrorsensor.sensor.capture.CaptureReader;
import io.mirrorsensor.sensor.capture.CaptureRecord;
import io.mirrorsensor.sensor.config.SensorConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Replays one capture through a single {@link PacketProcessor} with rules, on the calling thread:
 * the packet path of {@code replay --rules} (decoder, flow table, TCP reassembly for stream
 * rules, HTTP/DNS/TLS parsers, {@link RuleStage}) without the pipeline's threads or output files.
 * For {@code mirrorsensor rules test} and tests that count alerts.
 */
public final class RuleReplay {
  private RuleReplay() {}

  /**
   * Replays {@code pcap} with the default configuration and {@code set}; events go to {@code
   * sink}, alerts and explanations of {@code explainSids} also to {@code trace} (when not null).
   * Flows still open at the end are ended (their last transactions are inspected).
   *
   * @return the damage that ended the capture early, or null
   * @throws IOException when the file cannot be opened or read
   */
  public static CaptureDamage run(RuleSet set, Path pcap, EventSink sink, RuleTrace trace,
      long[] explainSids) throws IOException {
    return run(SensorConfig.defaults().withRules(set), pcap, sink, trace, explainSids);
  }

  /** As {@link #run(RuleSet, Path, EventSink, RuleTrace, long[])} with {@code config}'s rules. */
  public static CaptureDamage run(SensorConfig config, Path pcap, EventSink sink, RuleTrace trace,
      long[] explainSids) throws IOException {
    PacketProcessor pp = new PacketProcessor(config, sink);
    if (trace != null) {
      pp.trace(trace, explainSids);
    }
    try (CaptureReader reader = CaptureReader.open(pcap)) {
      CaptureRecord rec = new CaptureRecord();
      while (reader.next(rec)) {
        pp.process(rec.buf, rec.offset, rec.capLen, rec.origLen, rec.linkType, rec.tsNanos,
            rec.number);
      }
      pp.finish();
      return reader.damage();
    }
  }
}

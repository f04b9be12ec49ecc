package io.mirrorsensor.sensor.engine;

import io.mirrorsensor.decode.DecodedPacket;
import io.mirrorsensor.rules.AlertSink;
import io.mirrorsensor.rules.Detector;
import io.mirrorsensor.rules.FlowContext;
import io.mirrorsensor.rules.Rule;
import io.mirrorsensor.rules.RuleSet;
import io.mirrorsensor.sensor.flow.Flow;

/**
 * One worker's rule check: every packet the flow table accounted (mirror duplicates never reach
 * it, so a mirrored packet cannot alert twice) goes through the worker's {@link Detector}, with
 * its flow as the {@link FlowContext}. Allocates nothing per packet: the context and the alert
 * sink are this object, re-pointed at each packet's flow.
 *
 * <p>Call order: {@link #inspect} after the flow table has accounted the packet (the flow's
 * direction and state are then the packet's).
 */
final class RuleStage implements FlowContext, AlertSink {
  private final Detector detector;
  private final int flowbitWords;
  private final EventSink out;
  private Flow flow;
  private long pcapCnt;
  private long alerts;

  RuleStage(RuleSet rules, EventSink out) {
    this.detector = rules.newDetector();
    this.flowbitWords = rules.flowbitWords();
    this.out = out;
  }

  void inspect(Flow f, DecodedPacket p, long pcapCnt) {
    this.flow = f;
    this.pcapCnt = pcapCnt;
    detector.inspect(p, this, this);
    this.flow = null;
  }

  long alerts() {
    return alerts;
  }

  long packets() {
    return detector.packets();
  }

  long candidatesEvaluated() {
    return detector.candidatesEvaluated();
  }

  @Override
  public boolean established() {
    return flow.established();
  }

  @Override
  public boolean toServer() {
    return flow.lastFromClient();
  }

  @Override
  public long[] flowbits() {
    return flow.flowbits(Math.max(1, flowbitWords));
  }

  @Override
  public void alert(Rule rule, DecodedPacket packet) {
    alerts++;
    flow.markRuleAlert();
    out.ruleAlert(flow, rule, flow.key().isFromSrc(packet), packet.tsNanos, pcapCnt);
  }
}

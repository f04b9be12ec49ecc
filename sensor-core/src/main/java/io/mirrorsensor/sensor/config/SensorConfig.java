package io.mirrorsensor.sensor.config;

import io.mirrorsensor.decode.DecoderConfig;
import io.mirrorsensor.decode.tcp.TcpConfig;
import io.mirrorsensor.sensor.flow.StreamConsumerFactory;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything the sensor can be told, with defaults that work with no config file at all. Built by
 * {@link ConfigLoader}; immutable.
 *
 * @param vxlanPorts UDP destination ports decoded as VXLAN
 * @param validateChecksums validate IPv4/TCP/UDP/ICMP checksums (off: AWS leaves them unset on
 *     truncated mirror copies, and checksum offload breaks them on capture hosts)
 * @param vnis VNI -> mirror session naming and network membership
 * @param flowIdleTimeoutNanos idle timeout for UDP, ICMP, other IP and unestablished TCP flows
 * @param tcpEstablishedTimeoutNanos idle timeout for established TCP flows
 * @param tcpClosedTimeoutNanos idle timeout once a TCP flow saw FIN from both sides or a RST
 * @param activeTimeoutNanos a flow older than this is written out and counted afresh (like VPC Flow
 *     Logs' aggregation interval), so long connections show up before they end
 * @param maxFlows bound on flows held at once; beyond it the least recently seen flow is ended
 *     with reason {@code forced} and counted
 * @param mirrorDuplicateWindowNanos a packet identical to one seen this recently in the same
 *     network is a mirror duplicate (both ends of a conversation mirrored)
 * @param anomalyEventsPerIdPerMinute EVE anomaly events written per anomaly id per minute of packet
 *     time; counters keep the full count
 * @param accountId AWS account id written in flow log lines ("-" when unknown)
 * @param eveFile EVE JSON file name inside the output directory
 * @param flowLogFile VPC Flow Logs file name inside the output directory
 * @param tcp TCP tracking, findings and reassembly ({@code tcp.*} keys)
 * @param live pipeline and live-listener settings (issue 4)
 * @param streamConsumers not from the file: code plugs the consumers of reassembled TCP streams
 *     (app-layer parsers) in with {@link #withStreamConsumers}; called once per flow-table shard
 *     (worker), so each gets its own factory. Default: {@link StreamConsumerFactory#NONE}, no
 *     reassembly.
 * @param appParsers parse HTTP, DNS (and later TLS) in flows and write their events ({@code
 *     app.parsers}, default true); off, TCP payload is not reassembled at all
 * @param appAlerts thresholds of the built-in app-layer findings ({@code http.alert.*},
 *     {@code dns.alert.*}, {@code tls.alert.*}, docs/FINDINGS.md sids 6-15)
 * @param rules not from the file: the loaded rule set ({@code --rules}), or null for none
 * @param extract pcap extracts of flows with findings ({@code extract.*})
 */
public record SensorConfig(
    int[] vxlanPorts,
    boolean validateChecksums,
    Map<Integer, VniInfo> vnis,
    long flowIdleTimeoutNanos,
    long tcpEstablishedTimeoutNanos,
    long tcpClosedTimeoutNanos,
    long activeTimeoutNanos,
    int maxFlows,
    long mirrorDuplicateWindowNanos,
    int anomalyEventsPerIdPerMinute,
    String accountId,
    String eveFile,
    String flowLogFile,
    TcpConfig tcp,
    LiveConfig live,
    Supplier<StreamConsumerFactory> streamConsumers,
    boolean appParsers,
    AppAlertConfig appAlerts,
    io.mirrorsensor.rules.RuleSet rules,
    ExtractConfig extract) {

  /** Naming of one VNI (one mirror session) and the network (address space) it belongs to. */
  public record VniInfo(int vni, String session, String eni, int network, String networkName) {}

  public static SensorConfig defaults() {
    return ConfigLoader.fromProperties(new java.util.Properties(), "defaults");
  }

  /** The network id of packets seen under {@code vni} (-1 = not tunnelled): 0 unless configured. */
  public int networkOf(int vni) {
    if (vni < 0 || vnis.isEmpty()) {
      return 0;
    }
    VniInfo info = vnis.get(vni);
    return info == null ? 0 : info.network();
  }

  public VniInfo vniInfo(int vni) {
    return vnis.get(vni);
  }

  /** This config with {@code streams} as the stream consumers (one factory per worker). */
  public SensorConfig withStreamConsumers(Supplier<StreamConsumerFactory> streams) {
    return new SensorConfig(vxlanPorts, validateChecksums, vnis, flowIdleTimeoutNanos,
        tcpEstablishedTimeoutNanos, tcpClosedTimeoutNanos, activeTimeoutNanos, maxFlows,
        mirrorDuplicateWindowNanos, anomalyEventsPerIdPerMinute, accountId, eveFile, flowLogFile,
        tcp, live, java.util.Objects.requireNonNull(streams), appParsers, appAlerts, rules,
        extract);
  }

  /** This config with {@code set} as the rules every worker checks (null: none). */
  public SensorConfig withRules(io.mirrorsensor.rules.RuleSet set) {
    return new SensorConfig(vxlanPorts, validateChecksums, vnis, flowIdleTimeoutNanos,
        tcpEstablishedTimeoutNanos, tcpClosedTimeoutNanos, activeTimeoutNanos, maxFlows,
        mirrorDuplicateWindowNanos, anomalyEventsPerIdPerMinute, accountId, eveFile, flowLogFile,
        tcp, live, streamConsumers, appParsers, appAlerts, set, extract);
  }

  /** This config with {@code e} as the extract settings. */
  public SensorConfig withExtract(ExtractConfig e) {
    return new SensorConfig(vxlanPorts, validateChecksums, vnis, flowIdleTimeoutNanos,
        tcpEstablishedTimeoutNanos, tcpClosedTimeoutNanos, activeTimeoutNanos, maxFlows,
        mirrorDuplicateWindowNanos, anomalyEventsPerIdPerMinute, accountId, eveFile, flowLogFile,
        tcp, live, streamConsumers, appParsers, appAlerts, rules,
        java.util.Objects.requireNonNull(e));
  }

  public DecoderConfig decoderConfig() {
    DecoderConfig d = DecoderConfig.defaults();
    return new DecoderConfig(vxlanPorts.clone(), validateChecksums, d.maxTunnelDepth())
        .withGenevePorts(live.genevePorts().stream().mapToInt(Integer::intValue).toArray());
  }
}

package io.mirrorsensor.sensor.config;

import java.util.List;

/**
 * The pipeline and live-listener settings (issue 4), one block of {@link SensorConfig}. Keys are
 * documented in docs/CONFIG.md, section "Pipeline and live listener".
 *
 * @param workers pipeline workers (one ring and one flow-table shard each)
 * @param ringSize slots per worker ring in live mode (a power of two)
 * @param maxFrameBytes largest inner frame a live slot holds (jumbo: 9216); larger datagrams are
 *     dropped and counted as {@code oversized}
 * @param waitStrategy how an idle worker waits: {@code parking} (the default), {@code sleeping},
 *     {@code blocking}, {@code yielding} or {@code busy_spin}
 * @param outputQueueChunks chunks of encoded events queued for the output thread
 * @param outputMaxPendingBytes per worker, encoded events held while the output thread is behind;
 *     beyond it events are dropped and counted ({@code output.dropped_events})
 * @param eventLoops live receive loops (SO_REUSEPORT sockets on one port with epoll)
 * @param receiveBufferBytes SO_RCVBUF asked for each socket
 * @param vxlanPort UDP port the listener receives VXLAN on
 * @param statsIntervalNanos period of EVE {@code stats} events in live mode (0 = only at the end)
 * @param allowedSources source CIDRs accepted by the listener (empty = all)
 * @param allowedVnis VNIs accepted by the listener (empty = all)
 * @param receiveBatch datagrams read per system call with epoll ({@code recvmmsg}); 1 = one
 *     {@code recvmsg} per datagram
 * @param genevePort UDP port {@code listen} receives GENEVE from a Gateway Load Balancer on, -1
 *     when off ({@code live.geneve_port = off})
 * @param genevePorts UDP destination ports decoded as GENEVE ({@code geneve.ports}), in live and
 *     replay; empty: GENEVE is not decoded
 * @param udpGro ask the kernel for UDP GRO on the listener's sockets ({@code live.udp_gro}, epoll
 *     only): a run of equal-sized datagrams of one outer flow arrives as one buffer and is split
 *     back into its datagrams before the ring
 */
public record LiveConfig(
    int workers,
    int ringSize,
    int maxFrameBytes,
    String waitStrategy,
    int outputQueueChunks,
    long outputMaxPendingBytes,
    int eventLoops,
    int receiveBufferBytes,
    int vxlanPort,
    long statsIntervalNanos,
    List<String> allowedSources,
    List<Integer> allowedVnis,
    int receiveBatch,
    int genevePort,
    List<Integer> genevePorts,
    boolean udpGro) {

  public LiveConfig {
    genevePorts = List.copyOf(genevePorts);
    allowedSources = List.copyOf(allowedSources);
    allowedVnis = List.copyOf(allowedVnis);
  }
}

package io.mirrorsensor.sensor.config;

/**
 * Pcap extracts of flows with findings ({@code extract.*} keys, docs/CONFIG.md "Extracts").
 *
 * @param enabled keep recent packets per flow and write an extract for every flow with a finding
 * @param bufferPackets packets kept per flow before its first finding (the pre-trigger window)
 * @param bufferBytes captured bytes kept per flow before its first finding
 * @param memcap bytes of packet storage per worker for all its flows' buffers; reaching it is
 *     counted ({@code extract.memcap_hits})
 * @param maxPackets packets written per extract (pre-trigger packets included)
 * @param maxBytes captured bytes written per extract
 * @param maxSeconds packet time after the first finding an extract keeps growing (ns)
 * @param outerFrames write frames as received (VXLAN/GENEVE encapsulation kept) instead of the
 *     decoded inner Ethernet frame
 * @param diskBudget bytes all files in {@code extracts/} may take; beyond it the oldest are deleted
 * @param maxPendingBytes frame bytes a worker may hold for the output thread (live); beyond it
 *     packets of extracts are dropped and counted
 */
public record ExtractConfig(
    boolean enabled,
    int bufferPackets,
    long bufferBytes,
    long memcap,
    long maxPackets,
    long maxBytes,
    long maxSeconds,
    boolean outerFrames,
    long diskBudget,
    long maxPendingBytes) {

  /** Directory of the extracts inside the output directory. */
  public static final String DIR = "extracts";
}

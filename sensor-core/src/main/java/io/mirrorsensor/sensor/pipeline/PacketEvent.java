package io.mirrorsensor.sensor.pipeline;

/**
 * One preallocated ring slot. A source fills it (the frame copied once into {@link #data}) and
 * publishes it; the slot's worker reads it; nothing else touches it. Fields are written by the
 * publishing thread before {@code RingBuffer.publish} and read by the worker after its sequence
 * barrier, which is the fence between them.
 */
public final class PacketEvent {
  /** A frame to process. */
  public static final int PACKET = 0;
  /** Move the worker's packet time to {@link #tsNanos} (idle expiry, end of input). */
  static final int ADVANCE = 1;
  /** Take a counter snapshot (for a stats event). */
  static final int SNAPSHOT = 2;
  /** End every flow (shutdown) and hand all encoded events to the output thread. */
  static final int FINISH = 3;

  int kind;
  /** The frame: link layer from index 0. Replay grows it when a frame does not fit. */
  public byte[] data;
  public int capLen;
  public int origLen;
  /** pcap LINKTYPE_ of {@link #data}. */
  public int linkType;
  /** Packet time: the capture's timestamp in replay, the receive time (epoch ns) live. */
  public long tsNanos;
  /** 1-based record number in the input (replay); 0 live. */
  public long pcapCnt;
  /** {@code System.nanoTime()} at receipt (live, for latency); 0 in replay. */
  public long receivedNanos;

  PacketEvent(int capacity) {
    this.data = new byte[capacity];
  }
}

package io.mirrorsensor.sensor.capture;

/** Placeholder: replaced by the capture branch. */
public final class CaptureRecord {
  public byte[] buf;
  public int offset;
  public int capLen;
  public int origLen;
  public long tsNanos;
  public int linkType;
  public int interfaceId;
  public long fileOffset;
  public long number;
}

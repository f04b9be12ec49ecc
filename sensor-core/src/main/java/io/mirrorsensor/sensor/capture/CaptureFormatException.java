package io.mirrorsensor.sensor.capture;

import java.io.IOException;

/** The file is not a capture format this package reads (thrown by {@link CaptureReader#open}). */
public final class CaptureFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public CaptureFormatException(String message) {
    super(message);
  }
}

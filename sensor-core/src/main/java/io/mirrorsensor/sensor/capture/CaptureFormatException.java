package io.mirrorsensor.sensor.capture;

import java.io.IOException;

/** Placeholder: replaced by the capture branch. */
public class CaptureFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public CaptureFormatException(String m) {
    super(m);
  }
}

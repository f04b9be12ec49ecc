package io.mirrorsensor.sensor.capture;

import java.io.IOException;
import java.nio.file.Path;

/** Placeholder: replaced by the capture branch. */
public interface CaptureReader extends AutoCloseable {
  static CaptureReader open(Path file) throws IOException {
    throw new CaptureFormatException("placeholder");
  }

  boolean next(CaptureRecord rec) throws IOException;

  CaptureDamage damage();

  long position();

  long size();

  String format();

  @Override
  void close() throws IOException;
}

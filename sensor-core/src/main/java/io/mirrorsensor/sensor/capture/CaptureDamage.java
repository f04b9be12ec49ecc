package io.mirrorsensor.sensor.capture;

import java.nio.file.Path;

/** Placeholder: replaced by the capture branch. */
public record CaptureDamage(Path file, long offset, long recordNumber, String reason) {}

package io.mirrorsensor.sensor.config;

/** A configuration the sensor cannot run with; the message names the file, key and value. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}

package io.mirrorsensor.sensor.capture;

import java.nio.file.Path;

/**
 * Where and why reading a capture file stopped early.
 *
 * @param file the capture file
 * @param offset byte offset of the record header (pcap) or block (pcapng) that could not be read
 * @param recordNumber the 1-based number the first unreadable record would have had, i.e. one
 *     more than the number of records returned
 * @param reason what is wrong, e.g. {@code "truncated record data: 40 of 60 bytes"}
 */
public record CaptureDamage(Path file, long offset, long recordNumber, String reason) {
  @Override
  public String toString() {
    return file + ": damaged at byte " + offset + " (record " + recordNumber + "): " + reason;
  }
}

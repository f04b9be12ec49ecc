package io.mirrorsensor.sensor.output;

/**
 * Suricata's EVE timestamp format, {@code 2024-01-15T10:00:00.650100+0000}: ISO-8601 with
 * microseconds and a numeric offset. Packet time is written in UTC.
 */
final class EveTime {
  private EveTime() {}

  /** Formats nanoseconds since the epoch (microseconds kept, truncated toward the past). */
  static String format(long epochNanos) {
    long micros = Math.floorDiv(epochNanos, 1000L);
    long secs = Math.floorDiv(micros, 1_000_000L);
    int usec = (int) Math.floorMod(micros, 1_000_000L);
    long days = Math.floorDiv(secs, 86_400L);
    int sod = (int) Math.floorMod(secs, 86_400L);
    // Civil-from-days (Howard Hinnant's algorithm), proleptic Gregorian, no allocation of java.time.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) {
      y++;
    }
    StringBuilder sb = new StringBuilder(31);
    pad(sb, y, 4).append('-');
    pad(sb, m, 2).append('-');
    pad(sb, d, 2).append('T');
    pad(sb, sod / 3600, 2).append(':');
    pad(sb, (sod / 60) % 60, 2).append(':');
    pad(sb, sod % 60, 2).append('.');
    pad(sb, usec, 6).append("+0000");
    return sb.toString();
  }

  private static StringBuilder pad(StringBuilder sb, long v, int width) {
    String s = Long.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}

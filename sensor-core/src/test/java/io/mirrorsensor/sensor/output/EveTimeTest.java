package io.mirrorsensor.sensor.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EveTimeTest {
  @Test
  void formatsLikeSuricata() {
    // 2024-01-15T10:00:00.650100Z, the example timestamp in shared/EVE.md.
    long nanos = Instant.parse("2024-01-15T10:00:00.650100Z").getEpochSecond() * 1_000_000_000L
        + 650_100_000L;
    assertEquals("2024-01-15T10:00:00.650100+0000", EveTime.format(nanos));
  }

  @Test
  void truncatesNanosecondsToMicroseconds() {
    assertEquals("1970-01-01T00:00:00.000001+0000", EveTime.format(1_999));
  }

  @Test
  void agreesWithJavaTimeAcrossCenturiesAndLeapDays() {
    DateTimeFormatter f =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxx").withZone(ZoneOffset.UTC);
    SplittableRandom r = new SplittableRandom(7);
    long[] fixed = {Instant.parse("2000-02-29T23:59:59.999999Z").toEpochMilli() * 1_000_000L,
        Instant.parse("2100-03-01T00:00:00Z").toEpochMilli() * 1_000_000L, 0L};
    for (long n : fixed) {
      assertEquals(f.format(Instant.ofEpochSecond(0, n)), EveTime.format(n));
    }
    for (int i = 0; i < 10_000; i++) {
      long micros = r.nextLong(0, 4_102_444_800_000_000L); // up to 2100
      long n = micros * 1000;
      assertEquals(f.format(Instant.ofEpochSecond(0, n)), EveTime.format(n), "nanos " + n);
    }
  }
}

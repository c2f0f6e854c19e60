package org.govshare.supervision;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A calendar year in the platform's time zone: [1 January 00:00, next 1 January 00:00) local, and
 * the moment the year is counted up to ({@code asOf}: the year's end, or now while it runs).
 */
public record YearWindow(int year, ZoneId zone, Instant start, Instant end, Instant asOf) {

  public static YearWindow of(int year, ZoneId zone, Instant now) {
    Instant start = LocalDate.of(year, 1, 1).atStartOfDay(zone).toInstant();
    Instant end = LocalDate.of(year + 1, 1, 1).atStartOfDay(zone).toInstant();
    return new YearWindow(year, zone, start, end, now.isBefore(end) ? now : end);
  }

  public LocalDateTime localStart() {
    return LocalDate.of(year, 1, 1).atStartOfDay();
  }

  public LocalDateTime localEnd() {
    return LocalDate.of(year + 1, 1, 1).atStartOfDay();
  }

  public boolean complete() {
    return asOf.equals(end);
  }

  OffsetDateTime startUtc() {
    return start.atOffset(ZoneOffset.UTC);
  }

  OffsetDateTime endUtc() {
    return end.atOffset(ZoneOffset.UTC);
  }

  OffsetDateTime asOfUtc() {
    return asOf.atOffset(ZoneOffset.UTC);
  }
}

package org.govshare.platform;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Timestamps leave the platform as ISO-8601 in its configured time zone (default Asia/Shanghai). */
public final class Times {
  private static volatile ZoneId zone = ZoneId.of("Asia/Shanghai");

  private Times() {}

  public static void useZone(ZoneId z) {
    zone = z;
  }

  public static ZoneId zone() {
    return zone;
  }

  public static String format(OffsetDateTime t) {
    return t == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZoneSameInstant(zone));
  }

  public static String format(Instant t) {
    return t == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone));
  }
}

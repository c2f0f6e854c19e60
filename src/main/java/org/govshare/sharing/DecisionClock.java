package org.govshare.sharing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The provider's decision clock: an application submitted on day D is due by the end of the Nth
 * working day after D, in the platform's time zone. The day of submission never counts, whatever
 * the hour, so an application filed at 23:59 gets the same deadline as one filed at 08:00.
 */
public final class DecisionClock {
  /** The last instant of a day; deadlines display as 23:59:59 rather than the next midnight. */
  private static final LocalTime END_OF_DAY = LocalTime.of(23, 59, 59);

  private final ZoneId zone;
  private final int workingDays;

  public DecisionClock(ZoneId zone, int workingDays) {
    this.zone = zone;
    this.workingDays = workingDays;
  }

  public ZonedDateTime due(WorkingDayCalendar calendar, Instant submittedAt) {
    LocalDate submitted = submittedAt.atZone(zone).toLocalDate();
    return calendar.addWorkingDays(submitted, workingDays).atTime(END_OF_DAY).atZone(zone);
  }

  /** Working days after the day of submission up to and including the day of decision: 0 when decided the same day. */
  public int workingDaysTaken(WorkingDayCalendar calendar, Instant submittedAt, Instant decidedAt) {
    return calendar.workingDaysBetween(submittedAt.atZone(zone).toLocalDate(), decidedAt.atZone(zone).toLocalDate());
  }

  public LocalDate today(Instant now) {
    return now.atZone(zone).toLocalDate();
  }

  public ZoneId zone() {
    return zone;
  }

  public int workingDays() {
    return workingDays;
  }
}

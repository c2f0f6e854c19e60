package org.govshare.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class DecisionClockTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private final WorkingDayCalendar shipped = CalendarFiles.shipped();
  private final DecisionClock clock = new DecisionClock(SHANGHAI, 5);

  @Test
  void due_isTheEndOfTheFifthWorkingDayAfterSubmission() {
    // Wed 2025-03-12: Thu, Fri, Mon, Tue, Wed
    assertThat(clock.due(shipped, Instant.parse("2025-03-12T02:00:00Z")))
        .isEqualTo(ZonedDateTime.parse("2025-03-19T23:59:59+08:00[Asia/Shanghai]"));
  }

  @Test
  void due_skipsTheNationalDayBlockAndCountsMakeUpDays() {
    // Fri 2025-09-26: Sun 28 (make-up) 1, Mon 29 2, Tue 30 3, 1-8 Oct off, Thu 9 4, Fri 10 5
    assertThat(clock.due(shipped, Instant.parse("2025-09-26T01:00:00Z")).toLocalDate()).hasToString("2025-10-10");
    // Sat 2025-10-11 is a make-up working day: submitted on Fri 10, it counts (Sat 11, Mon 13 .. Thu 16)
    assertThat(clock.due(shipped, Instant.parse("2025-10-10T01:00:00Z")).toLocalDate()).hasToString("2025-10-16");
  }

  @Test
  void due_takesTheDayOfSubmissionInThePlatformZone() {
    // 20:00 UTC on Thursday 25 Sep is already Friday 26 Sep in Shanghai
    assertThat(clock.due(shipped, Instant.parse("2025-09-25T20:00:00Z")).toLocalDate()).hasToString("2025-10-10");
    assertThat(new DecisionClock(ZoneId.of("UTC"), 5).due(shipped, Instant.parse("2025-09-25T20:00:00Z")).toLocalDate())
        .hasToString("2025-10-09");
  }

  @Test
  void due_inAYearWithoutArrangementCountsPlainWeekdays() {
    // without the National Day arrangement: Mon 29, Tue 30, Wed 1, Thu 2, Fri 3
    assertThat(clock.due(WorkingDayCalendar.empty(), Instant.parse("2025-09-26T01:00:00Z")).toLocalDate()).hasToString("2025-10-03");
  }

  @Test
  void workingDaysTaken_countsDaysAfterSubmissionUpToTheDecision() {
    Instant submitted = Instant.parse("2025-09-26T01:00:00Z");
    assertThat(clock.workingDaysTaken(shipped, submitted, Instant.parse("2025-09-26T09:00:00Z"))).isZero();
    assertThat(clock.workingDaysTaken(shipped, submitted, Instant.parse("2025-09-28T03:00:00Z"))).isEqualTo(1);
    assertThat(clock.workingDaysTaken(shipped, submitted, Instant.parse("2025-10-09T03:00:00Z"))).isEqualTo(4);
    assertThat(clock.workingDaysTaken(shipped, submitted, Instant.parse("2025-10-13T03:00:00Z"))).isEqualTo(7);
  }
}

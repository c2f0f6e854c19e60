package org.govshare.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkingDayCalendarTest {

  private static WorkingDayCalendar shipped;

  @BeforeAll
  static void loadShippedFiles() {
    shipped = CalendarFiles.shipped();
  }

  private static LocalDate date(String iso) {
    return LocalDate.parse(iso);
  }

  @Test
  void isWorkingDay_weekdaysWorkAndWeekendsRest() {
    assertThat(shipped.isWorkingDay(date("2025-03-14"))).as("Friday").isTrue();
    assertThat(shipped.isWorkingDay(date("2025-03-15"))).as("Saturday").isFalse();
    assertThat(shipped.isWorkingDay(date("2025-03-16"))).as("Sunday").isFalse();
    assertThat(shipped.isWorkingDay(date("2025-03-17"))).as("Monday").isTrue();
  }

  @Test
  void isWorkingDay_holidayOnWeekdayIsOff() {
    assertThat(shipped.isWorkingDay(date("2025-01-01"))).isFalse();
    assertThat(shipped.isWorkingDay(date("2025-10-08"))).isFalse();
    assertThat(shipped.isWorkingDay(date("2026-02-23"))).isFalse();
  }

  @Test
  void isWorkingDay_makeUpWeekendIsWorked() {
    assertThat(shipped.isWorkingDay(date("2025-01-26"))).as("Sunday before Spring Festival").isTrue();
    assertThat(shipped.isWorkingDay(date("2025-02-08"))).as("Saturday after Spring Festival").isTrue();
    assertThat(shipped.isWorkingDay(date("2025-09-28"))).isTrue();
    assertThat(shipped.isWorkingDay(date("2025-10-11"))).isTrue();
    assertThat(shipped.isWorkingDay(date("2025-10-12"))).as("ordinary Sunday").isFalse();
  }

  @Test
  void addWorkingDays_skipsNationalDay2025() {
    // Fri 26 Sep; Sun 28 Sep worked (1), 29 (2), 30 (3), 1–8 Oct off, 9 Oct (4), 10 Oct (5).
    assertThat(shipped.addWorkingDays(date("2025-09-26"), 5)).isEqualTo(date("2025-10-10"));
  }

  @Test
  void addWorkingDays_skipsSpringFestival2025() {
    // Fri 24 Jan; Sun 26 Jan worked (1), 27 Jan (2), 28 Jan–4 Feb off, 5, 6, 7 Feb (3–5).
    assertThat(shipped.addWorkingDays(date("2025-01-24"), 5)).isEqualTo(date("2025-02-07"));
    // Mon 27 Jan; 5 Feb (1), 6 (2), 7 (3), Sat 8 Feb worked (4), Mon 10 Feb (5).
    assertThat(shipped.addWorkingDays(date("2025-01-27"), 5)).isEqualTo(date("2025-02-10"));
  }

  @Test
  void addWorkingDays_startingInsideHolidayCountsFromTheFirstDayBack() {
    assertThat(shipped.addWorkingDays(date("2025-10-01"), 1)).isEqualTo(date("2025-10-09"));
    assertThat(shipped.addWorkingDays(date("2025-10-01"), 3)).isEqualTo(date("2025-10-11"));
  }

  @Test
  void addWorkingDays_crossesIntoTheNextYear() {
    // Mon 29 Dec 2025: 30 (1), 31 (2), 1–3 Jan 2026 off, Sun 4 Jan worked (3), 5 (4), 6 (5).
    assertThat(shipped.addWorkingDays(date("2025-12-29"), 5)).isEqualTo(date("2026-01-06"));
  }

  @Test
  void addWorkingDays_yearWithoutArrangementCountsPlainWeekdays() {
    WorkingDayCalendar calendar = WorkingDayCalendar.empty();
    assertThat(calendar.addWorkingDays(date("2025-09-26"), 5)).isEqualTo(date("2025-10-03"));
    assertThat(shipped.hasYear(2030)).isFalse();
    assertThat(shipped.addWorkingDays(date("2030-10-01"), 5)).isEqualTo(date("2030-10-08"));
  }

  @Test
  void addWorkingDays_zeroReturnsTheStartEvenOnAHoliday() {
    assertThat(shipped.addWorkingDays(date("2025-10-03"), 0)).isEqualTo(date("2025-10-03"));
  }

  @Test
  void addWorkingDays_rejectsNegative() {
    assertThatThrownBy(() -> shipped.addWorkingDays(date("2025-10-03"), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void addWorkingDays_rejectsMoreThanTheCap() {
    assertThat(shipped.addWorkingDays(date("2025-01-01"), WorkingDayCalendar.MAX_WORKING_DAYS))
        .isAfter(date("2039-01-01"));
    assertThatThrownBy(() -> shipped.addWorkingDays(date("2025-01-01"), WorkingDayCalendar.MAX_WORKING_DAYS + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(WorkingDayCalendar.MAX_WORKING_DAYS));
  }

  @Test
  void workingDaysBetween_countsHalfOpenRange() {
    assertThat(shipped.workingDaysBetween(date("2025-09-26"), date("2025-10-10"))).isEqualTo(5);
    assertThat(shipped.workingDaysBetween(date("2025-09-26"), date("2025-10-09"))).isEqualTo(4);
    assertThat(shipped.workingDaysBetween(date("2025-10-10"), date("2025-10-10"))).isZero();
    assertThat(shipped.workingDaysBetween(date("2025-10-10"), date("2025-09-26"))).isZero();
    assertThat(WorkingDayCalendar.empty().workingDaysBetween(date("2025-03-14"), date("2025-03-21"))).isEqualTo(5);
  }

  @Test
  void workingDaysBetween_agreesWithAddWorkingDays() {
    LocalDate from = date("2023-12-20");
    for (int n = 0; n <= 800; n += 7) {
      LocalDate to = shipped.addWorkingDays(from, n);
      assertThat(shipped.workingDaysBetween(from, to)).as("n=%d to %s", n, to).isEqualTo(n);
    }
  }

  @Test
  void workingDaysBetween_agreesWithDayByDayCount() {
    LocalDate start = date("2023-12-25");
    for (int span = 0; span < 1200; span += 13) {
      for (int offset = 0; offset < 7; offset++) {
        LocalDate from = start.plusDays(offset);
        LocalDate to = from.plusDays(span);
        int expected = 0;
        for (LocalDate d = from.plusDays(1); !d.isAfter(to); d = d.plusDays(1)) {
          if (shipped.isWorkingDay(d)) {
            expected++;
          }
        }
        assertThat(shipped.workingDaysBetween(from, to)).as("(%s, %s]", from, to).isEqualTo(expected);
      }
    }
  }

  @Test
  void missingYears_namesYearsWithoutArrangement() {
    assertThat(shipped.missingYears(date("2023-12-28"), date("2027-01-05"))).containsExactly(2023, 2027);
    assertThat(shipped.missingYears(date("2025-09-26"), date("2025-10-10"))).isEmpty();
  }

  @Test
  void with_replacesOneYearAndLeavesTheOriginalAlone() {
    YearArrangement plain = YearArrangement.parse(2025, List.of(), List.of(), null);
    WorkingDayCalendar replaced = shipped.with(plain);
    assertThat(replaced.isWorkingDay(date("2025-10-02"))).isTrue();
    assertThat(shipped.isWorkingDay(date("2025-10-02"))).isFalse();
    assertThat(replaced.year(2025)).contains(plain);
    assertThat(replaced.years()).isEqualTo(shipped.years());
  }

  @Test
  void yearArrangement_rejectsWorkdayOnAWeekday() {
    assertThatThrownBy(() -> YearArrangement.parse(2025, List.of(), List.of("2025-10-09"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2025-10-09")
        .hasMessageContaining("Thursday");
  }

  @Test
  void yearArrangement_rejectsDateOutsideTheYear() {
    assertThatThrownBy(() -> YearArrangement.parse(2025, List.of("2024-12-31"), List.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2024-12-31")
        .hasMessageContaining("not in 2025");
  }

  @Test
  void yearArrangement_rejectsHolidayThatIsAlsoAWorkday() {
    assertThatThrownBy(() -> YearArrangement.parse(2025, List.of("2025-10-11"), List.of("2025-10-11"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both");
  }

  @Test
  void yearArrangement_rejectsYearOutOfRange() {
    assertThatThrownBy(() -> YearArrangement.parse(1899, List.of(), List.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1899");
  }

  @Test
  void yearArrangement_rejectsUnparseableDateNamingIt() {
    assertThatThrownBy(() -> YearArrangement.parse(2025, List.of("2025-1-1"), List.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'2025-1-1'");
  }

  @Test
  void yearArrangement_acceptsWeekendHolidayAndCopiesDefensively() {
    SortedSet<LocalDate> holidays = new TreeSet<>(List.of(date("2025-10-04")));
    YearArrangement arrangement = new YearArrangement(2025, holidays, new TreeSet<>(), null);
    holidays.add(date("2025-10-09"));
    assertThat(arrangement.holidays()).containsExactly(date("2025-10-04"));
    assertThatThrownBy(() -> arrangement.holidays().add(date("2025-10-10")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void calendarFiles_loadsShippedYearsNamedAfterTheirFiles() throws IOException {
    assertThat(shipped.years()).contains(2024, 2025, 2026);
    try (var files = Files.list(Path.of("src/main/resources/calendar"))) {
      List<Path> jsonFiles = files.filter(f -> f.toString().endsWith(".json")).toList();
      assertThat(jsonFiles).hasSize(shipped.years().size());
      for (Path file : jsonFiles) {
        int year = Integer.parseInt(file.getFileName().toString().replace(".json", ""));
        YearArrangement arrangement = shipped.year(year).orElseThrow();
        assertThat(arrangement.year()).isEqualTo(year);
        assertThat(arrangement.source()).contains("国务院办公厅关于" + year + "年部分节假日安排的通知");
      }
    }
  }

  @Test
  void calendarFiles_shippedYearsMatchTheNotices() {
    assertThat(shipped.year(2024).orElseThrow().holidays()).hasSize(28);
    assertThat(shipped.year(2024).orElseThrow().workdays()).hasSize(8);
    assertThat(shipped.year(2025).orElseThrow().holidays()).hasSize(28);
    assertThat(shipped.year(2025).orElseThrow().workdays()).hasSize(5);
    assertThat(shipped.year(2026).orElseThrow().holidays()).hasSize(33);
    assertThat(shipped.year(2026).orElseThrow().workdays()).hasSize(6);
  }

  @Test
  void calendarFiles_missingDirectoryGivesEmptyCalendar(@TempDir Path tmp) {
    assertThat(CalendarFiles.load(tmp.resolve("absent"))).isEqualTo(WorkingDayCalendar.empty());
  }

  @Test
  void calendarFiles_malformedFileNamesFileAndProblem(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("2025.json");
    Files.writeString(file, "{\"year\": 2025, \"holidays\": [\"2025-10-01\"], \"workdays\": [\"2025-10-09\"]}");
    assertThatThrownBy(() -> CalendarFiles.load(tmp))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2025.json")
        .hasMessageContaining("2025-10-09");

    Files.writeString(file, "{\"year\": 2025, \"holidays\": [");
    assertThatThrownBy(() -> CalendarFiles.load(tmp))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2025.json");
  }

  @Test
  void calendarFiles_rejectsFileNamedForAnotherYear(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("2026.json"), "{\"year\": 2025, \"holidays\": [], \"workdays\": []}");
    assertThatThrownBy(() -> CalendarFiles.load(tmp))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2026.json")
        .hasMessageContaining("2025");
  }

  @Test
  void calendar_rejectsArrangementFiledUnderAnotherYear() {
    YearArrangement arrangement = YearArrangement.parse(2025, List.of(), List.of(), null);
    assertThatThrownBy(() -> new WorkingDayCalendar(Map.of(2026, arrangement)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void calendarFiles_configuredDirectoryAddsAndReplacesShippedYears(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("2026.json"), "{\"year\": 2026, \"holidays\": [\"2026-03-02\"], \"workdays\": []}");
    Files.writeString(tmp.resolve("2031.json"), "{\"year\": 2031, \"holidays\": [\"2031-01-01\"], \"workdays\": []}");
    WorkingDayCalendar merged = CalendarFiles.load(java.util.Optional.of(tmp));
    assertThat(merged.years()).contains(2024, 2025, 2026, 2031);
    assertThat(merged.year(2026).orElseThrow().holidays()).containsExactly(date("2026-03-02"));
    assertThat(merged.year(2025)).isEqualTo(shipped.year(2025));
  }

  @Test
  void calendarFiles_configuredDirectoryThatDoesNotExistStopsTheStart(@TempDir Path tmp) {
    assertThatThrownBy(() -> CalendarFiles.load(java.util.Optional.of(tmp.resolve("absent"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("absent");
  }

  @Test
  void health_isDownWhileTheCurrentYearHasNoArrangement() {
    java.time.Clock in2031 = java.time.Clock.fixed(java.time.Instant.parse("2031-06-01T00:00:00Z"), java.time.ZoneOffset.UTC);
    var down = new CalendarService(null, null, shipped, in2031, 1000, org.govshare.platform.cluster.Invalidation.none(null)).health().result();
    assertThat(down.getString("status")).isEqualTo("DOWN");
    assertThat(down.getString("reason")).contains("2031");

    java.time.Clock in2026 = java.time.Clock.fixed(java.time.Instant.parse("2026-06-01T00:00:00Z"), java.time.ZoneOffset.UTC);
    assertThat(new CalendarService(null, null, shipped, in2026, 1000, org.govshare.platform.cluster.Invalidation.none(null)).health().result().getString("status")).isEqualTo("UP");
  }
}

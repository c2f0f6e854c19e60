package org.govshare.sharing;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which days the departments work: Monday to Friday, minus the statutory holidays, plus the
 * make-up working days of each year that has an arrangement. A year without one counts plain
 * weekdays, so callers should warn about {@link #missingYears} rather than fail.
 */
public final class WorkingDayCalendar {

  // Ten years of working days; far beyond any deadline the notice sets, small enough to walk.
  public static final int MAX_WORKING_DAYS = 3660;

  private static final WorkingDayCalendar EMPTY = new WorkingDayCalendar(Map.of());

  private final SortedMap<Integer, YearArrangement> years;

  public WorkingDayCalendar(Map<Integer, YearArrangement> years) {
    TreeMap<Integer, YearArrangement> copy = new TreeMap<>();
    years.forEach((year, arrangement) -> {
      Objects.requireNonNull(year, "year");
      Objects.requireNonNull(arrangement, "arrangement for " + year);
      if (arrangement.year() != year) {
        throw new IllegalArgumentException(
            "arrangement for " + arrangement.year() + " filed under year " + year);
      }
      copy.put(year, arrangement);
    });
    this.years = Collections.unmodifiableSortedMap(copy);
  }

  public static WorkingDayCalendar empty() {
    return EMPTY;
  }

  public WorkingDayCalendar with(YearArrangement arrangement) {
    TreeMap<Integer, YearArrangement> copy = new TreeMap<>(years);
    copy.put(arrangement.year(), arrangement);
    return new WorkingDayCalendar(copy);
  }

  public Optional<YearArrangement> year(int year) {
    return Optional.ofNullable(years.get(year));
  }

  public boolean hasYear(int year) {
    return years.containsKey(year);
  }

  public SortedSet<Integer> years() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(years.keySet()));
  }

  public boolean isWorkingDay(LocalDate d) {
    YearArrangement arrangement = years.get(d.getYear());
    if (arrangement != null) {
      if (arrangement.workdays().contains(d)) {
        return true;
      }
      if (arrangement.holidays().contains(d)) {
        return false;
      }
    }
    return !YearArrangement.isWeekend(d);
  }

  public LocalDate addWorkingDays(LocalDate from, int n) {
    Objects.requireNonNull(from, "from");
    if (n < 0) {
      throw new IllegalArgumentException("working days must not be negative, got " + n);
    }
    if (n > MAX_WORKING_DAYS) {
      throw new IllegalArgumentException(
          "working days must be at most " + MAX_WORKING_DAYS + ", got " + n);
    }
    LocalDate d = from;
    int counted = 0;
    while (counted < n) {
      d = d.plusDays(1);
      if (isWorkingDay(d)) {
        counted++;
      }
    }
    return d;
  }

  public int workingDaysBetween(LocalDate fromExclusive, LocalDate toInclusive) {
    if (!toInclusive.isAfter(fromExclusive)) {
      return 0;
    }
    // Counted from plain weekdays and then corrected per arranged year, so a long range costs
    // nothing more than a short one.
    long count = weekdaysBetween(fromExclusive, toInclusive);
    for (YearArrangement arrangement :
        years.subMap(fromExclusive.getYear(), toInclusive.getYear() + 1).values()) {
      for (LocalDate h : arrangement.holidays()) {
        if (within(h, fromExclusive, toInclusive) && !YearArrangement.isWeekend(h)) {
          count--;
        }
      }
      for (LocalDate w : arrangement.workdays()) {
        if (within(w, fromExclusive, toInclusive)) {
          count++;
        }
      }
    }
    return Math.toIntExact(count);
  }

  public Set<Integer> missingYears(LocalDate from, LocalDate to) {
    int first = Math.min(from.getYear(), to.getYear());
    int last = Math.max(from.getYear(), to.getYear());
    TreeSet<Integer> missing = new TreeSet<>();
    for (int y = first; y <= last; y++) {
      if (!years.containsKey(y)) {
        missing.add(y);
      }
    }
    return Collections.unmodifiableSortedSet(missing);
  }

  private static boolean within(LocalDate d, LocalDate fromExclusive, LocalDate toInclusive) {
    return d.isAfter(fromExclusive) && !d.isAfter(toInclusive);
  }

  private static long weekdaysBetween(LocalDate fromExclusive, LocalDate toInclusive) {
    long days = ChronoUnit.DAYS.between(fromExclusive, toInclusive);
    long count = days / 7 * 5;
    DayOfWeek day = fromExclusive.getDayOfWeek();
    for (long i = 0; i < days % 7; i++) {
      day = day.plus(1);
      if (day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY) {
        count++;
      }
    }
    return count;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkingDayCalendar other && years.equals(other.years);
  }

  @Override
  public int hashCode() {
    return years.hashCode();
  }

  @Override
  public String toString() {
    return "WorkingDayCalendar" + years.keySet();
  }
}

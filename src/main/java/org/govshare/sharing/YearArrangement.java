package org.govshare.sharing;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One year's statutory holiday arrangement as published by the State Council General Office:
 * the days off ({@code holidays}, weekend days inside a holiday block included) and the make-up
 * working days (调休上班, always a Saturday or Sunday). {@code source} cites the notice, or is null
 * when the bureau set the year without one.
 */
public record YearArrangement(
    int year, SortedSet<LocalDate> holidays, SortedSet<LocalDate> workdays, String source) {

  public static final int MIN_YEAR = 1900;
  public static final int MAX_YEAR = 2200;

  public YearArrangement {
    if (year < MIN_YEAR || year > MAX_YEAR) {
      throw new IllegalArgumentException(
          "year " + year + " is outside " + MIN_YEAR + ".." + MAX_YEAR);
    }
    holidays = frozenCopy(year, "holiday", holidays);
    workdays = frozenCopy(year, "workday", workdays);
    for (LocalDate d : workdays) {
      if (holidays.contains(d)) {
        throw new IllegalArgumentException(d + " is listed both as a holiday and as a workday");
      }
      if (!isWeekend(d)) {
        throw new IllegalArgumentException(
            "workday " + d + " is a " + d.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)
                + "; a make-up working day must fall on a Saturday or Sunday");
      }
    }
  }

  public static YearArrangement parse(
      int year, List<String> holidays, List<String> workdays, String source) {
    return new YearArrangement(
        year, parseDates("holidays", holidays), parseDates("workdays", workdays), source);
  }

  private static SortedSet<LocalDate> parseDates(String field, List<String> values) {
    SortedSet<LocalDate> dates = new TreeSet<>();
    if (values == null) {
      return dates;
    }
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (value == null) {
        throw new IllegalArgumentException(field + "[" + i + "] is null, expected a date such as 2025-10-01");
      }
      try {
        dates.add(LocalDate.parse(value.trim()));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            field + "[" + i + "] '" + value + "' is not an ISO date such as 2025-10-01");
      }
    }
    return dates;
  }

  private static SortedSet<LocalDate> frozenCopy(int year, String kind, Collection<LocalDate> dates) {
    TreeSet<LocalDate> copy = new TreeSet<>();
    if (dates != null) {
      for (LocalDate d : dates) {
        if (d == null) {
          throw new IllegalArgumentException("a " + kind + " date is null");
        }
        if (d.getYear() != year) {
          throw new IllegalArgumentException(kind + " " + d + " is not in " + year);
        }
        copy.add(d);
      }
    }
    return Collections.unmodifiableSortedSet(copy);
  }

  static boolean isWeekend(LocalDate d) {
    DayOfWeek day = d.getDayOfWeek();
    return day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
  }
}

package org.govshare.sharing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The holiday arrangements, one {@code YYYY.json} file per year:
 * {@code {"year": 2025, "source": "...", "holidays": ["2025-01-01", ...], "workdays": [...]}}.
 * Shipped inside the jar under {@code calendar/} (so the working directory does not matter); a
 * configured directory may add years or replace shipped ones. Read once at start-up, off the event loop.
 */
public final class CalendarFiles {

  private static final Set<String> FIELDS = Set.of("year", "source", "holidays", "workdays");
  private static final Pattern YEAR_NAME = Pattern.compile("\\d{4}\\.json");

  private CalendarFiles() {
  }

  static final String SHIPPED = "calendar/";

  /** The shipped years, overridden year by year by the files of {@code extra} if given (it must exist). */
  public static WorkingDayCalendar load(Optional<Path> extra) {
    Map<Integer, YearArrangement> years = byYear(shipped());
    if (extra.isPresent()) {
      if (!Files.isDirectory(extra.get())) {
        throw new IllegalStateException("calendar directory " + extra.get() + " (calendar.dir) does not exist or is not a directory");
      }
      years.putAll(byYear(load(extra.get())));
    }
    return new WorkingDayCalendar(years);
  }

  private static Map<Integer, YearArrangement> byYear(WorkingDayCalendar calendar) {
    Map<Integer, YearArrangement> years = new TreeMap<>();
    calendar.years().forEach(y -> years.put(y, calendar.year(y).orElseThrow()));
    return years;
  }

  /** The years shipped in the jar; their number is small, so each possible year is asked for by name. */
  public static WorkingDayCalendar shipped() {
    Map<Integer, YearArrangement> years = new TreeMap<>();
    ClassLoader loader = CalendarFiles.class.getClassLoader();
    for (int year = YearArrangement.MIN_YEAR; year <= YearArrangement.MAX_YEAR; year++) {
      String name = SHIPPED + year + ".json";
      try (InputStream in = loader.getResourceAsStream(name)) {
        if (in != null) {
          years.put(year, read(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
      } catch (IOException e) {
        throw new IllegalStateException(name + ": cannot read: " + e.getMessage(), e);
      }
    }
    return new WorkingDayCalendar(years);
  }

  /** The {@code *.json} files of one directory; an absent directory holds no year. */
  public static WorkingDayCalendar load(Path dir) {
    if (!Files.exists(dir)) {
      return WorkingDayCalendar.empty();
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("calendar directory " + dir + " is not a directory");
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw new IllegalStateException("cannot list calendar directory " + dir + ": " + e.getMessage(), e);
    }
    files.sort(null);
    Map<Integer, YearArrangement> years = new TreeMap<>();
    Map<Integer, Path> origin = new TreeMap<>();
    for (Path file : files) {
      YearArrangement arrangement = read(file);
      Path earlier = origin.putIfAbsent(arrangement.year(), file);
      if (earlier != null) {
        throw new IllegalStateException(
            file + ": year " + arrangement.year() + " is already defined by " + earlier);
      }
      years.put(arrangement.year(), arrangement);
    }
    return new WorkingDayCalendar(years);
  }

  static YearArrangement read(Path file) {
    try {
      return read(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  static YearArrangement read(String file, String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (RuntimeException e) {
      throw new IllegalStateException(file + ": not a JSON object: " + e.getMessage(), e);
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalStateException(file + ": unknown field '" + field + "', expected " + FIELDS);
      }
    }
    int year = year(file, json.getValue("year"));
    String fileName = Path.of(file).getFileName().toString();
    // A copied file whose year was not edited would otherwise silently shadow the wrong year.
    if (YEAR_NAME.matcher(fileName).matches() && !fileName.equals(year + ".json")) {
      throw new IllegalStateException(file + ": holds year " + year + " but is named " + fileName);
    }
    Object source = json.getValue("source");
    if (source != null && !(source instanceof String)) {
      throw new IllegalStateException(file + ": 'source' must be a string");
    }
    try {
      return YearArrangement.parse(
          year, dates(file, json, "holidays"), dates(file, json, "workdays"), (String) source);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + ": " + e.getMessage(), e);
    }
  }

  private static int year(String file, Object value) {
    if (value instanceof Integer || value instanceof Long) {
      long year = ((Number) value).longValue();
      if (year >= YearArrangement.MIN_YEAR && year <= YearArrangement.MAX_YEAR) {
        return (int) year;
      }
    }
    throw new IllegalStateException(
        file + ": 'year' must be a whole number between " + YearArrangement.MIN_YEAR + " and "
            + YearArrangement.MAX_YEAR + ", got " + value);
  }

  private static List<String> dates(String file, JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof Iterable<?> array)) {
      throw new IllegalStateException(file + ": '" + field + "' must be an array of dates, got " + value);
    }
    List<String> dates = new ArrayList<>();
    for (Object element : array) {
      if (!(element instanceof String date)) {
        throw new IllegalStateException(
            file + ": '" + field + "' must hold date strings such as \"2025-10-01\", got " + element);
      }
      dates.add(date);
    }
    return dates;
  }
}

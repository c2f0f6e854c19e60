package org.govshare.sharing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditOf;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.platform.Problem;
import org.govshare.platform.Periodic;
import org.govshare.platform.Times;
import org.govshare.platform.cluster.Invalidation;
import org.govshare.sharing.CalendarStore.StoredYear;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The working-day calendar every deadline is computed with: the shipped files, overridden by the
 * years the bureau set over the API (kept in the database so every instance and restart sees
 * them). Reads are a volatile field. A year set on another instance of a cluster is read here before
 * that instance answers ({@link Invalidation}); instances sharing the database without a cluster
 * read it at their next poll.
 */
public final class CalendarService {
  private static final Logger LOG = LoggerFactory.getLogger(CalendarService.class);

  private final Vertx vertx;
  private final CalendarStore store;
  private final WorkingDayCalendar shipped;
  private final Clock clock;
  private final long pollMs;
  private final Map<Integer, StoredYear> stored = new ConcurrentHashMap<>();
  private final Set<Integer> warned = ConcurrentHashMap.newKeySet();
  private volatile WorkingDayCalendar current;
  private volatile long lastChangeSeq = 0;
  private final Invalidation invalidation;
  private Periodic poller;

  public CalendarService(Vertx vertx, CalendarStore store, WorkingDayCalendar shipped, Clock clock, long pollMs, Invalidation invalidation) {
    this.vertx = vertx;
    this.invalidation = invalidation;
    invalidation.register("calendar", new Invalidation.Target() {
      @Override
      public Future<Void> drop(List<String> years) {
        return refresh();
      }

      @Override
      public void clear() {
        // nothing to drop: the calendar is one value, re-read from the database now
        refresh().onFailure(e -> LOG.warn("could not re-read the working-day calendar: {}", e.toString()));
      }
    });
    this.store = store;
    this.shipped = shipped;
    this.clock = clock;
    this.pollMs = pollMs;
    this.current = shipped;
  }

  public Future<Void> start() {
    return refresh().onSuccess(v -> {
      LOG.info("working-day calendar: shipped years {}, years set by the bureau {}", shipped.years(), new java.util.TreeSet<>(stored.keySet()));
      LocalDate today = LocalDate.now(clock.withZone(Times.zone()));
      watchedYears(today).forEach(y -> warnIfMissing(y));
      poller = Periodic.every(vertx, pollMs, "refreshing the working-day calendar", this::refresh);
    });
  }

  public void stop() {
    if (poller != null) {
      poller.cancel();
    }
  }

  public WorkingDayCalendar calendar() {
    return current;
  }

  // runs from the poll, an invalidation and a lease lapse at once: the merge keeps the newest of each year
  private Future<Void> refresh() {
    return store.changedAfter(lastChangeSeq).map(years -> {
      boolean changed = false;
      for (StoredYear y : years) {
        if (stored.merge(y.arrangement().year(), y, (old, neu) -> neu.changeSeq() > old.changeSeq() ? neu : old) == y) {
          changed = true;
        }
        lastChangeSeq = Math.max(lastChangeSeq, y.changeSeq());
      }
      if (changed) {
        rebuild();
      }
      return null;
    });
  }

  private synchronized void rebuild() {
    WorkingDayCalendar merged = shipped;
    for (StoredYear y : stored.values()) {
      merged = merged.with(y.arrangement());
    }
    current = merged;
  }

  public JsonObject year(int year) {
    checkYear(year);
    JsonObject out = new JsonObject().put("year", year);
    StoredYear fromDb = stored.get(year);
    YearArrangement a = current.year(year).orElse(null);
    if (a == null) {
      return out.put("holidays", new JsonArray()).put("workdays", new JsonArray()).put("source", null).put("origin", "NONE")
          .put("warning", missingWarning(year));
    }
    out.put("holidays", dates(a.holidays())).put("workdays", dates(a.workdays())).put("source", a.source())
        .put("origin", fromDb != null ? "BUREAU" : "SHIPPED");
    if (fromDb != null) {
      out.put("setBy", fromDb.setBy()).put("updatedAt", Times.format(fromDb.updatedAt()));
    }
    return out;
  }

  /** The bureau replaces a whole year. */
  public Future<JsonObject> set(Caller caller, int year, JsonObject body) {
    if (!caller.principal().isPlatformAdmin()) {
      throw Problem.forbidden("only the bureau (PLATFORM_ADMIN) sets the working-day calendar");
    }
    checkYear(year);
    YearArrangement arrangement;
    try {
      arrangement = YearArrangement.parse(year, strings(body.getJsonArray("holidays")), strings(body.getJsonArray("workdays")),
          blankToNull(body.getString("source")));
    } catch (IllegalArgumentException e) {
      throw Problem.rule(e.getMessage().startsWith("workday") ? "workdays" : "holidays", e.getMessage());
    }
    return store.put(arrangement, caller.clientId(), AuditOf.one(saved -> AuditEntry.of(caller, AuditAction.CALENDAR_SET, null,
            String.valueOf(year), Outcome.OK, new JsonObject()
                .put("holidays", arrangement.holidays().size()).put("workdays", arrangement.workdays().size())
                .put("source", arrangement.source()))))
        .compose(saved -> {
          stored.merge(year, saved, (old, neu) -> neu.changeSeq() >= old.changeSeq() ? neu : old);
          rebuild();
          warned.remove(year);
          return invalidation.changed("calendar", List.of(String.valueOf(year)));
        })
        .map(v -> year(year));
  }

  public JsonObject deadline(LocalDate from, int workingDays) {
    if (workingDays < 1 || workingDays > WorkingDayCalendar.MAX_WORKING_DAYS) {
      throw Problem.invalid("workingDays", "must be between 1 and " + WorkingDayCalendar.MAX_WORKING_DAYS);
    }
    checkYear(from.getYear());
    WorkingDayCalendar cal = current;
    LocalDate deadline;
    try {
      deadline = cal.addWorkingDays(from, workingDays);
    } catch (IllegalArgumentException e) {
      throw Problem.rule("workingDays", e.getMessage());
    }
    JsonObject out = new JsonObject().put("from", from.toString()).put("workingDays", workingDays).put("deadline", deadline.toString());
    Set<Integer> missing = cal.missingYears(from, deadline);
    if (!missing.isEmpty()) {
      JsonArray warnings = new JsonArray();
      missing.forEach(y -> {
        warnIfMissing(y);
        warnings.add(missingWarning(y));
      });
      out.put("warnings", warnings);
    }
    return out;
  }

  /** Logs once per year and instance that a deadline was counted over plain weekdays. */
  public void warnIfMissing(int year) {
    if (!current.hasYear(year) && warned.add(year)) {
      LOG.warn(missingWarning(year));
    }
  }

  /**
   * Readiness: DOWN while the current year has no arrangement (every deadline would be wrong by the
   * holidays it skips); next year missing in December is only a warning.
   */
  public Future<JsonObject> health() {
    LocalDate today = LocalDate.now(clock.withZone(Times.zone()));
    boolean thisYear = current.hasYear(today.getYear());
    JsonObject out = new JsonObject().put("status", thisYear ? "UP" : "DOWN").put("years", new JsonArray(new ArrayList<>(current.years())));
    if (!thisYear) {
      out.put("reason", missingWarning(today.getYear()));
    }
    JsonArray warnings = new JsonArray();
    watchedYears(today).stream().filter(y -> !current.hasYear(y)).forEach(y -> warnings.add(missingWarning(y)));
    if (!warnings.isEmpty()) {
      out.put("warnings", warnings);
    }
    return Future.succeededFuture(out);
  }

  /** This year, and from December on next year too: a 5-working-day clock started late in December ends in it. */
  private static List<Integer> watchedYears(LocalDate today) {
    return today.getMonthValue() == 12 ? List.of(today.getYear(), today.getYear() + 1) : List.of(today.getYear());
  }

  private static String missingWarning(int year) {
    return "no holiday arrangement for " + year + ": working days are counted as plain Monday-Friday; the bureau sets it with PUT /api/v1/calendar/"
        + year;
  }

  private static void checkYear(int year) {
    if (year < YearArrangement.MIN_YEAR || year > YearArrangement.MAX_YEAR) {
      throw Problem.invalid("year", "must be between " + YearArrangement.MIN_YEAR + " and " + YearArrangement.MAX_YEAR);
    }
  }

  private static JsonArray dates(java.util.SortedSet<LocalDate> dates) {
    JsonArray out = new JsonArray();
    dates.forEach(d -> out.add(d.toString()));
    return out;
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(v == null ? null : String.valueOf(v)));
    }
    return out;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}

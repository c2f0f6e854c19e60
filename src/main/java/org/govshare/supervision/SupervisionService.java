package org.govshare.supervision;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.govshare.audit.AuditOf;
import org.govshare.audit.AuditWriter;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.kernel.Principal;
import org.govshare.kernel.Role;
import org.govshare.platform.Problem;

/**
 * Supervision (C9, notice rule 10): statistics per department and year, annual reports due on
 * 5 January, the yearly evaluation and the bureau's charts. Who may see what: the bureau's platform
 * admins and auditors everything; a department's admin its own department.
 */
public final class SupervisionService {
  static final int FIRST_YEAR = 2000;
  static final int NARRATIVE_MAX = 20_000;
  // departments whose statistics are computed at once when all are evaluated
  private static final int PARALLEL_DEPARTMENTS = 4;

  private final Vertx vertx;
  private final StatisticsStore statistics;
  private final ReportStore reports;
  private final AuditWriter audit;
  private final EvaluationWeights weights;
  private final ZoneId zone;
  private final Clock clock;

  public SupervisionService(Vertx vertx, StatisticsStore statistics, ReportStore reports, AuditWriter audit, EvaluationWeights weights,
      ZoneId zone, Clock clock) {
    this.vertx = vertx;
    this.statistics = statistics;
    this.reports = reports;
    this.audit = audit;
    this.weights = weights;
    this.zone = zone;
    this.clock = clock;
  }

  public Future<JsonObject> statistics(Caller caller, String department, int year) {
    requireReader(caller, department);
    YearWindow window = window(year);
    return known(department)
        // records of changes committed just before are chained first, so the counts include them
        .compose(d -> audit.catchUp())
        .compose(v -> statistics.statistics(department, window, clock.instant()))
        .compose(s -> read(caller, AuditAction.STATISTICS_READ, department, new JsonObject().put("year", year), s.toJson()));
  }

  public Future<Report> submitReport(Caller caller, int year, String narrative) {
    Principal p = principal(caller);
    if (!p.has(Role.DEPT_ADMIN)) {
      throw Problem.forbidden("a department's annual report is submitted by its DEPT_ADMIN");
    }
    Instant now = clock.instant();
    int current = now.atZone(zone).getYear();
    if (year < FIRST_YEAR || year >= current) {
      throw Problem.rule("year", "a report covers a past year: " + FIRST_YEAR + " to " + (current - 1));
    }
    if (narrative == null || narrative.isBlank()) {
      throw Problem.invalid("narrative", "must not be blank");
    }
    String department = p.department();
    YearWindow window = YearWindow.of(year, zone, now);
    return audit.catchUp()
        .compose(v -> statistics.statistics(department, window, now))
        .compose(s -> {
          Report report = new Report(department, year, narrative, now, p.clientId(), Report.lateAt(year, zone, now), s.toJson());
          return reports.insert(report, AuditOf.one(r -> AuditEntry.of(caller, AuditAction.REPORT_SUBMIT, null, department, Outcome.OK,
              new JsonObject().put("year", year).put("late", r.late()))));
        })
        .map(saved -> saved.orElseThrow(() -> Problem.conflict(department + " has already reported on " + year
            + "; a report stands as submitted")));
  }

  public Future<JsonObject> listReports(Caller caller, int year) {
    Principal p = principal(caller);
    boolean bureau = p.hasAny(Role.PLATFORM_ADMIN, Role.AUDITOR);
    if (!bureau && !p.has(Role.DEPT_ADMIN)) {
      throw Problem.forbidden("reports are read by the bureau and by each department's admin");
    }
    YearWindow window = window(year);
    Optional<String> only = bureau ? Optional.empty() : Optional.of(p.department());
    Future<List<Report>> list = reports.list(year, only);
    Future<List<String>> due = statistics.accountable(window);
    return Future.all(list, due).compose(all -> {
      JsonArray items = new JsonArray();
      List<String> reported = new ArrayList<>();
      for (Report r : list.result()) {
        items.add(r.summary());
        reported.add(r.department());
      }
      JsonArray missing = new JsonArray();
      for (String d : due.result()) {
        if (!reported.contains(d) && (bureau || d.equals(p.department()))) {
          missing.add(d);
        }
      }
      JsonObject reply = new JsonObject().put("year", year)
          .put("due", org.govshare.platform.Times.format(Report.dueBy(year, zone).minusSeconds(1)))
          .put("items", items).put("missing", missing).put("nextCursor", null);
      return read(caller, AuditAction.REPORT_READ, only.orElse(null), new JsonObject().put("year", year).put("returned", items.size()),
          reply);
    });
  }

  public record ReportView(Report report, String departmentName) {}

  public Future<ReportView> report(Caller caller, String department, int year, String format) {
    requireReader(caller, department);
    window(year);
    return known(department).compose(d -> reports.find(department, year).compose(found -> {
      Report r = found.orElseThrow(() -> Problem.notFound(department + " has not reported on " + year));
      return read(caller, AuditAction.REPORT_READ, department, new JsonObject().put("year", year).put("format", format),
          new ReportView(r, d.name()));
    }));
  }

  public Future<JsonObject> evaluations(Caller caller, int year) {
    requireBureau(caller);
    YearWindow window = window(year);
    return evaluateAll(window).compose(ranked -> {
      JsonArray items = new JsonArray();
      for (Evaluation.Ranked r : ranked) {
        items.add(new JsonObject().put("department", r.scored().department()).put("score", r.scored().score()).put("rank", r.rank())
            .put("indicators", r.scored().indicatorScores()));
      }
      return read(caller, AuditAction.EVALUATION_READ, null, new JsonObject().put("year", year),
          new JsonObject().put("year", year).put("asOf", org.govshare.platform.Times.format(window.asOf())).put("items", items)
              .put("method", Evaluation.method(weights)));
    });
  }

  public Future<JsonObject> evaluation(Caller caller, int year, String department) {
    requireReader(caller, department);
    YearWindow window = window(year);
    return known(department).compose(d -> evaluateAll(window)).compose(ranked -> {
      Evaluation.Ranked mine = ranked.stream().filter(r -> r.scored().department().equals(department)).findFirst()
          .orElseThrow(() -> Problem.notFound("department " + department + " is not evaluated for " + year
              + " (the bureau itself is not, nor departments created after the year)"));
      Evaluation.Scored s = mine.scored();
      return read(caller, AuditAction.EVALUATION_READ, department, new JsonObject().put("year", year),
          new JsonObject().put("department", department).put("year", year).put("score", s.score()).put("rank", mine.rank())
              .put("of", ranked.size()).put("indicators", s.breakdown()).put("statistics", s.statistics().toJson())
              .put("method", Evaluation.method(weights)));
    });
  }

  public record Chart(Charts.Format format, Buffer image) {}

  public Future<Chart> chart(Caller caller, String name, int year, Charts.Format format) {
    requireBureau(caller);
    Charts.Name chart = Charts.Name.of(name);
    if (chart == null) {
      throw Problem.notFound("chart", name);
    }
    YearWindow window = window(year);
    Future<org.jfree.chart.JFreeChart> drawn = switch (chart) {
      case CALLS_PER_DAY -> audit.catchUp().compose(v -> statistics.callsPerDay(window)).map(days -> Charts.callsPerDay(year, days));
      case OVERDUE -> statistics.overdueByDepartment(window, clock.instant()).map(o -> Charts.overdue(year, o));
      case FRESHNESS -> audit.catchUp().compose(v -> statistics.accountable(window))
          .compose(depts -> inBatches(depts, d -> statistics.freshness(d, window)))
          .map(rates -> {
            Map<String, Double> byDept = new LinkedHashMap<>();
            rates.forEach(f -> {
              if (f.getValue().rate() != null) {
                byDept.put(f.getKey(), f.getValue().rate());
              }
            });
            return Charts.freshness(year, byDept);
          });
    };
    return drawn
        .compose(c -> vertx.executeBlocking(() -> Buffer.buffer(Charts.render(c, format)), false))
        .compose(image -> read(caller, AuditAction.CHART_READ, null,
            new JsonObject().put("chart", chart.path()).put("year", year).put("format", format.name()), new Chart(format, image)));
  }

  private Future<List<Evaluation.Ranked>> evaluateAll(YearWindow window) {
    Instant now = clock.instant();
    return audit.catchUp().compose(v -> statistics.accountable(window))
        .compose(depts -> inBatches(depts, d -> statistics.statistics(d, window, now)))
        .map(all -> Evaluation.rank(all.stream().map(e -> Evaluation.score(e.getValue(), weights)).toList()));
  }

  /** The function applied to every department, a few at a time so one evaluation does not take the whole pool. */
  private <T> Future<List<Map.Entry<String, T>>> inBatches(List<String> departments, Function<String, Future<T>> each) {
    List<Map.Entry<String, T>> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < departments.size(); i += PARALLEL_DEPARTMENTS) {
      List<String> batch = departments.subList(i, Math.min(departments.size(), i + PARALLEL_DEPARTMENTS));
      chain = chain.compose(v -> {
        List<Future<T>> futures = batch.stream().map(each).toList();
        return Future.all(futures).map(all -> {
          for (int j = 0; j < batch.size(); j++) {
            out.add(Map.entry(batch.get(j), futures.get(j).result()));
          }
          return null;
        });
      });
    }
    return chain.map(v -> out);
  }

  private <T> Future<T> read(Caller caller, AuditAction action, String subject, JsonObject detail, T result) {
    return audit.append(AuditEntry.of(caller, action, null, subject, Outcome.OK, detail)).map(seq -> result);
  }

  private Future<StatisticsStore.DepartmentInfo> known(String department) {
    return statistics.department(department)
        .map(d -> d.orElseThrow(() -> Problem.notFound("department", department)));
  }

  /** The years there are figures for: from 2000 to the current one. */
  private YearWindow window(int year) {
    Instant now = clock.instant();
    int current = now.atZone(zone).getYear();
    if (year < FIRST_YEAR || year > current) {
      throw Problem.invalid("year", "must be between " + FIRST_YEAR + " and " + current);
    }
    return YearWindow.of(year, zone, now);
  }

  private static Principal principal(Caller caller) {
    if (caller.principal() == null) {
      throw Problem.unauthenticated("a bearer token is required");
    }
    return caller.principal();
  }

  private static void requireReader(Caller caller, String department) {
    Principal p = principal(caller);
    if (p.hasAny(Role.PLATFORM_ADMIN, Role.AUDITOR) || (p.has(Role.DEPT_ADMIN) && p.department().equals(department))) {
      return;
    }
    throw Problem.forbidden("a department's figures are read by the bureau and by that department's admin");
  }

  private static void requireBureau(Caller caller) {
    if (!principal(caller).hasAny(Role.PLATFORM_ADMIN, Role.AUDITOR)) {
      throw Problem.forbidden("only the bureau (platform admins, auditors) reads the evaluation and the charts");
    }
  }
}

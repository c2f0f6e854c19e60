package org.govshare.supervision;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.govshare.platform.Times;
import org.govshare.platform.db.Rows;

/**
 * Supervision's read model: aggregates in SQL over the catalogue, the data plane, the sharing
 * tables and the audit log (ADR 0014: a read model reading other capabilities' tables, never
 * writing them). Every figure is one aggregate query; no rows are loaded to be counted in Java.
 */
public final class PgStatisticsStore implements StatisticsStore {
  static final String DATA_CALLS = "('DATA_READ', 'DATA_LOOKUP', 'DATA_VERIFY')";

  static final String DEPARTMENT = "SELECT code, name, kind, created_at FROM department WHERE code = $1";
  static final String ACCOUNTABLE = "SELECT code FROM department WHERE kind <> 'BUREAU' AND created_at < $1 ORDER BY code";

  // the version in force at the end of the window is the last one filed (published) before it
  static final String CATALOGUE = """
      WITH inforce AS (
        SELECT DISTINCT ON (f.code) f.code, f.version FROM catalog_filing f
        WHERE f.provider = $1 AND f.filed_at < $2
        ORDER BY f.code, f.version DESC)
      SELECT v.entry->>'shareType' AS share_type, count(*) AS resources,
             coalesce(sum(jsonb_array_length(v.entry->'items')), 0) AS items
      FROM inforce i
      JOIN catalog_version v ON v.code = i.code AND v.version = i.version
      JOIN catalog_resource r ON r.code = i.code
      WHERE NOT (r.status = 'RETIRED' AND r.updated_at < $2)
      GROUP BY 1""";
  static final String RECORDS_NOW = """
      SELECT count(*) AS n FROM data_record d WHERE d.resource IN (SELECT code FROM catalog_resource WHERE provider = $1)""";
  // a past year: the keys whose last change before the year's end was an upsert
  static final String RECORDS_AS_OF = """
      SELECT count(*) AS n FROM (
        SELECT DISTINCT ON (c.resource, c.record_key) c.op FROM data_change c
        WHERE c.resource IN (SELECT code FROM catalog_resource WHERE provider = $1) AND c.at < $2
        ORDER BY c.resource, c.record_key, c.seq DESC) last
      WHERE last.op = 'UPSERT'""";

  /*
   * Periods of each scheduled resource laid over the year in local time ($2..$3 local, zone $4):
   * days, 7-day weeks from 1 January, months, quarters, half years, the year. A period is due when
   * it lies after the resource's first publication, before its retirement, and has ended by $5; it
   * is on time when the audit log holds an update (an ingested batch or a deletion) inside it.
   */
  static final String FRESHNESS = """
      WITH res AS (
        SELECT r.code, r.update_period,
          CASE r.update_period WHEN 'REALTIME' THEN interval '1 day' WHEN 'DAILY' THEN interval '1 day'
            WHEN 'WEEKLY' THEN interval '7 days' WHEN 'MONTHLY' THEN interval '1 month'
            WHEN 'QUARTERLY' THEN interval '3 months' WHEN 'HALF_YEARLY' THEN interval '6 months'
            WHEN 'YEARLY' THEN interval '1 year' END AS step,
          (SELECT min(f.filed_at) FROM catalog_filing f WHERE f.code = r.code) AS published_at,
          CASE WHEN r.status = 'RETIRED' THEN r.updated_at END AS retired_at
        FROM catalog_resource r
        WHERE r.provider = $1 AND r.update_period <> 'IRREGULAR'),
      periods AS (
        SELECT res.code, res.update_period, s AT TIME ZONE $4 AS p_start, (s + res.step) AT TIME ZONE $4 AS p_end
        FROM res CROSS JOIN LATERAL generate_series($2::timestamp, $3::timestamp - res.step, res.step) AS s
        WHERE res.published_at IS NOT NULL AND res.published_at <= s AT TIME ZONE $4
          AND (res.retired_at IS NULL OR res.retired_at >= (s + res.step) AT TIME ZONE $4)
          AND (s + res.step) AT TIME ZONE $4 <= $5)
      SELECT p.code, p.update_period, count(*) AS due,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.resource = p.code
          AND a.action IN ('DATA_INGEST', 'DATA_DELETE') AND a.outcome = 'OK' AND a.at >= p.p_start AND a.at < p.p_end)) AS on_time
      FROM periods p GROUP BY p.code, p.update_period ORDER BY p.code""";

  // other departments' calls on this department's resources (its own reads are not provision)
  static final String PROVISION_CALLS = """
      SELECT count(*) AS made, count(*) FILTER (WHERE a.outcome = 'OK') AS served,
        count(*) FILTER (WHERE a.outcome = 'DENIED') AS refused, count(*) FILTER (WHERE a.outcome = 'FAILED') AS failed
      FROM catalog_resource r JOIN audit_log a ON a.resource = r.code
      WHERE r.provider = $1 AND a.action IN """ + DATA_CALLS + """
       AND a.at >= $2 AND a.at < $3
        AND a.department IS NOT NULL AND a.department <> $1""";
  // this department's calls on other departments' resources
  static final String USE_CALLS = """
      SELECT count(*) AS made, count(*) FILTER (WHERE a.outcome = 'OK') AS served,
        count(*) FILTER (WHERE a.outcome = 'DENIED') AS refused, count(*) FILTER (WHERE a.outcome = 'FAILED') AS failed
      FROM audit_log a
      WHERE a.department = $1 AND a.action IN """ + DATA_CALLS + """
       AND a.at >= $2 AND a.at < $3
        AND NOT EXISTS (SELECT 1 FROM catalog_resource r WHERE r.code = a.resource AND r.provider = $1)""";

  // applications received in the year and what became of them; overdue as the API says it ($4: now)
  static final String APPLICATIONS = """
      SELECT count(*) AS received,
        count(*) FILTER (WHERE status = 'APPROVED') AS approved, count(*) FILTER (WHERE status = 'REJECTED') AS rejected,
        count(*) FILTER (WHERE status = 'WITHDRAWN') AS withdrawn, count(*) FILTER (WHERE status = 'PENDING') AS pending,
        count(*) FILTER (WHERE coalesce(closed_at, $4) > decision_due) AS overdue,
        round(avg(decision_working_days), 2) AS mean_days, max(decision_working_days) AS max_days
      FROM application WHERE provider = $1 AND submitted_at >= $2 AND submitted_at < $3""";
  static final String APPLICATIONS_SUBMITTED = """
      SELECT count(*) AS n FROM application WHERE consumer = $1 AND submitted_at >= $2 AND submitted_at < $3""";

  // objections are another capability's: counted from what it writes to the audit log
  static final String OBJECTIONS = """
      WITH raw AS (
        SELECT action, detail::jsonb AS d FROM audit_log
        WHERE action IN ('OBJECTION_FILE', 'OBJECTION_ANSWER', 'OBJECTION_OVERDUE') AND outcome = 'OK' AND at >= $2 AND at < $3),
      x AS (
        SELECT action, d->>'consumer' AS consumer, d->>'provider' AS provider, d->>'outcome' AS outcome,
          CASE WHEN jsonb_typeof(d->'answerWorkingDays') = 'number' THEN (d->>'answerWorkingDays')::numeric END AS days
        FROM raw)
      SELECT
        count(*) FILTER (WHERE action = 'OBJECTION_FILE' AND consumer = $1) AS filed,
        count(*) FILTER (WHERE action = 'OBJECTION_FILE' AND provider = $1) AS received,
        count(*) FILTER (WHERE action = 'OBJECTION_ANSWER' AND provider = $1) AS answered,
        count(*) FILTER (WHERE action = 'OBJECTION_ANSWER' AND provider = $1 AND outcome = 'CORRECTED') AS corrected,
        count(*) FILTER (WHERE action = 'OBJECTION_ANSWER' AND provider = $1 AND outcome = 'CONFIRMED') AS confirmed,
        count(*) FILTER (WHERE action = 'OBJECTION_OVERDUE' AND provider = $1) AS overdue,
        round(avg(days) FILTER (WHERE action = 'OBJECTION_ANSWER' AND provider = $1), 2) AS mean_days,
        ceil(max(days) FILTER (WHERE action = 'OBJECTION_ANSWER' AND provider = $1)) AS max_days
      FROM x""";

  static final String CALLS_PER_DAY = """
      SELECT (a.at AT TIME ZONE $3)::date AS day, count(*) FILTER (WHERE a.outcome = 'OK') AS served,
        count(*) FILTER (WHERE a.outcome <> 'OK') AS refused
      FROM audit_log a WHERE a.action IN """ + DATA_CALLS + """
       AND a.at >= $1 AND a.at < $2
      GROUP BY 1 ORDER BY 1""";
  static final String OVERDUE_APPLICATIONS = """
      SELECT provider, count(*) AS n FROM application
      WHERE submitted_at >= $1 AND submitted_at < $2 AND coalesce(closed_at, $3) > decision_due GROUP BY provider""";
  static final String OVERDUE_OBJECTIONS = """
      SELECT detail::jsonb->>'provider' AS provider, count(*) AS n FROM audit_log
      WHERE action = 'OBJECTION_OVERDUE' AND outcome = 'OK' AND at >= $1 AND at < $2 GROUP BY 1""";

  private final Pool pool;

  public PgStatisticsStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Optional<DepartmentInfo>> department(String code) {
    return pool.preparedQuery(DEPARTMENT).execute(Tuple.of(code))
        .map(rows -> Rows.first(rows, r -> new DepartmentInfo(r.getString("code"), r.getString("name"), r.getString("kind"),
            r.getOffsetDateTime("created_at").toInstant())));
  }

  @Override
  public Future<List<String>> accountable(YearWindow year) {
    return pool.preparedQuery(ACCOUNTABLE).execute(Tuple.of(year.endUtc())).map(rows -> Rows.all(rows, r -> r.getString("code")));
  }

  @Override
  public Future<Statistics> statistics(String department, YearWindow year, Instant now) {
    Tuple window = Tuple.of(department, year.startUtc(), year.endUtc());
    Future<Statistics.Catalogue> catalogue = catalogue(department, year);
    Future<Statistics.Freshness> freshness = freshness(department, year);
    Future<Statistics.Calls> provided = pool.preparedQuery(PROVISION_CALLS).execute(window).map(PgStatisticsStore::calls);
    Future<Statistics.Calls> used = pool.preparedQuery(USE_CALLS).execute(window).map(PgStatisticsStore::calls);
    Future<Long> submitted = pool.preparedQuery(APPLICATIONS_SUBMITTED).execute(window).map(PgStatisticsStore::count);
    Future<Statistics.Applications> applications = pool.preparedQuery(APPLICATIONS)
        .execute(Tuple.of(department, year.startUtc(), year.endUtc(), now.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Statistics.Applications(r.getLong("received"), r.getLong("approved"), r.getLong("rejected"),
              r.getLong("withdrawn"), r.getLong("pending"), r.getLong("overdue"), days(r));
        });
    Future<Statistics.Objections> objections = pool.preparedQuery(OBJECTIONS).execute(window).map(rows -> {
      Row r = rows.iterator().next();
      return new Statistics.Objections(r.getLong("filed"), r.getLong("received"), r.getLong("answered"), r.getLong("corrected"),
          r.getLong("confirmed"), r.getLong("overdue"), days(r));
    });
    return Future.all(List.of(catalogue, freshness, provided, used, submitted, applications, objections))
        .map(all -> new Statistics(department, year.year(), Times.format(year.asOf()), catalogue.result(),
            new Statistics.Provision(freshness.result(), provided.result()),
            new Statistics.Use(used.result(), submitted.result()), applications.result(), objections.result()));
  }

  private Future<Statistics.Catalogue> catalogue(String department, YearWindow year) {
    Future<RowSet<Row>> types = pool.preparedQuery(CATALOGUE).execute(Tuple.of(department, year.asOfUtc()));
    Future<Long> records = pool.preparedQuery(year.complete() ? RECORDS_AS_OF : RECORDS_NOW)
        .execute(year.complete() ? Tuple.of(department, year.endUtc()) : Tuple.of(department)).map(PgStatisticsStore::count);
    return Future.all(types, records).map(all -> {
      Map<String, Long> byType = new LinkedHashMap<>();
      for (String t : List.of("UNCONDITIONAL", "CONDITIONAL", "NOT_SHARED")) {
        byType.put(t, 0L);
      }
      long resources = 0;
      long items = 0;
      for (Row r : types.result()) {
        byType.put(r.getString("share_type"), r.getLong("resources"));
        resources += r.getLong("resources");
        items += r.getLong("items");
      }
      return new Statistics.Catalogue(byType, resources, items, records.result());
    });
  }

  @Override
  public Future<Statistics.Freshness> freshness(String department, YearWindow year) {
    return pool.preparedQuery(FRESHNESS)
        .execute(Tuple.of(department, year.localStart(), year.localEnd(), year.zone().getId(), year.asOfUtc()))
        .map(rows -> {
          List<Statistics.ResourceFreshness> list = new ArrayList<>();
          long due = 0;
          long onTime = 0;
          for (Row r : rows) {
            list.add(new Statistics.ResourceFreshness(r.getString("code"), r.getString("update_period"), r.getLong("due"),
                r.getLong("on_time")));
            due += r.getLong("due");
            onTime += r.getLong("on_time");
          }
          return new Statistics.Freshness(due, onTime, list);
        });
  }

  @Override
  public Future<List<DayCalls>> callsPerDay(YearWindow year) {
    return pool.preparedQuery(CALLS_PER_DAY).execute(Tuple.of(year.startUtc(), year.endUtc(), year.zone().getId()))
        .map(rows -> Rows.all(rows, r -> new DayCalls(r.getLocalDate("day"), r.getLong("served"), r.getLong("refused"))));
  }

  @Override
  public Future<Map<String, long[]>> overdueByDepartment(YearWindow year, Instant now) {
    Future<RowSet<Row>> applications = pool.preparedQuery(OVERDUE_APPLICATIONS)
        .execute(Tuple.of(year.startUtc(), year.endUtc(), now.atOffset(ZoneOffset.UTC)));
    Future<RowSet<Row>> objections = pool.preparedQuery(OVERDUE_OBJECTIONS).execute(Tuple.of(year.startUtc(), year.endUtc()));
    return Future.all(applications, objections).map(all -> {
      Map<String, long[]> out = new TreeMap<>();
      for (Row r : applications.result()) {
        out.computeIfAbsent(r.getString("provider"), k -> new long[2])[0] = r.getLong("n");
      }
      for (Row r : objections.result()) {
        if (r.getString("provider") != null) {
          out.computeIfAbsent(r.getString("provider"), k -> new long[2])[1] = r.getLong("n");
        }
      }
      return out;
    });
  }

  private static Statistics.Calls calls(RowSet<Row> rows) {
    Row r = rows.iterator().next();
    return new Statistics.Calls(r.getLong("made"), r.getLong("served"), r.getLong("refused"), r.getLong("failed"));
  }

  private static long count(RowSet<Row> rows) {
    return rows.iterator().next().getLong("n");
  }

  private static Statistics.WorkingDays days(Row r) {
    BigDecimal mean = r.get(BigDecimal.class, "mean_days");
    Object max = r.getValue("max_days");
    return new Statistics.WorkingDays(mean == null ? null : mean.doubleValue(),
        max == null ? null : ((Number) max).intValue());
  }
}

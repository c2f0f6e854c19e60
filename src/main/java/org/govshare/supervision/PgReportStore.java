package org.govshare.supervision;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.govshare.audit.AuditOf;
import org.govshare.platform.db.Rows;

public final class PgReportStore implements ReportStore {
  static final String COLUMNS = "department, year, narrative, submitted_at, submitted_by, late, statistics";
  // the primary key makes the second report on a year a no-op, however close the two arrive
  static final String INSERT = "INSERT INTO annual_report (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7)"
      + " ON CONFLICT (department, year) DO NOTHING RETURNING " + COLUMNS;
  static final String FIND = "SELECT " + COLUMNS + " FROM annual_report WHERE department = $1 AND year = $2";
  static final String LIST = "SELECT " + COLUMNS + " FROM annual_report WHERE year = $1 AND ($2::text IS NULL OR department = $2)"
      + " ORDER BY department";

  private final Pool pool;

  public PgReportStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Optional<Report>> insert(Report r, AuditOf<Report> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
        .execute(Tuple.of(r.department(), r.year(), r.narrative(), r.submittedAt().atOffset(ZoneOffset.UTC), r.submittedBy(),
            r.late(), r.statistics()))
        .compose(rows -> {
          Optional<Report> saved = Rows.first(rows, PgReportStore::report);
          return saved.isEmpty() ? Future.succeededFuture(saved) : audit.write(conn, saved.get()).map(saved);
        }));
  }

  @Override
  public Future<Optional<Report>> find(String department, int year) {
    return pool.preparedQuery(FIND).execute(Tuple.of(department, year)).map(rows -> Rows.first(rows, PgReportStore::report));
  }

  @Override
  public Future<List<Report>> list(int year, Optional<String> department) {
    return pool.preparedQuery(LIST).execute(Tuple.of(year, department.orElse(null)))
        .map(rows -> Rows.all(rows, PgReportStore::report));
  }

  private static Report report(Row r) {
    Object stats = r.getValue("statistics");
    return new Report(r.getString("department"), r.getInteger("year"), r.getString("narrative"),
        r.getOffsetDateTime("submitted_at").toInstant(), r.getString("submitted_by"), r.getBoolean("late"),
        stats instanceof JsonObject j ? j : new JsonObject(String.valueOf(stats)));
  }
}

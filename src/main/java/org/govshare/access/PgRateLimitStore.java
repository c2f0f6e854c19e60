package org.govshare.access;

import static org.govshare.platform.db.Rows.all;
import static org.govshare.platform.db.Rows.first;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.govshare.audit.AuditOf;

public final class PgRateLimitStore implements RateLimitStore {
  static final String CONFIGURED = """
      SELECT department, requests_per_second, burst, set_by, set_at FROM department_rate_limit WHERE department = $1""";
  // the row lock orders concurrent changes, so each audit record's "before" is the value it replaced
  static final String LOCK = CONFIGURED + " FOR UPDATE";
  static final String UPSERT = """
      INSERT INTO department_rate_limit (department, requests_per_second, burst, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (department) DO UPDATE SET requests_per_second = EXCLUDED.requests_per_second, burst = EXCLUDED.burst,
        set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at, change_seq = nextval('rate_limit_change_seq')
      RETURNING department, requests_per_second, burst, set_by, set_at""";
  // the overlap re-reads changes whose sequence number was taken before a later one but committed after it
  static final String CHANGES = """
      SELECT department, change_seq FROM department_rate_limit WHERE change_seq > $1 - 1000 ORDER BY change_seq""";

  private final Pool pool;

  public PgRateLimitStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Optional<Configured>> configured(String department) {
    return pool.preparedQuery(CONFIGURED).execute(Tuple.of(department)).map(rows -> first(rows, PgRateLimitStore::configured));
  }

  @Override
  public Future<Change> set(String department, int requestsPerSecond, int burst, String by, Instant at, AuditOf<Change> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(department))
        .compose(old -> conn.preparedQuery(UPSERT)
            .execute(Tuple.of(department, requestsPerSecond, burst, by, at.atOffset(ZoneOffset.UTC)))
            .map(rows -> new Change(first(old, PgRateLimitStore::configured), configured(rows.iterator().next()))))
        .compose(change -> audit.write(conn, change)));
  }

  @Override
  public Future<List<Changed>> changesAfter(long changeSeq) {
    return pool.preparedQuery(CHANGES).execute(Tuple.of(changeSeq)).map(rows -> all(rows, r -> new Changed(r.getString(0), r.getLong(1))));
  }

  private static Configured configured(Row r) {
    return new Configured(r.getString("department"), r.getInteger("requests_per_second"), r.getInteger("burst"), r.getString("set_by"),
        r.getOffsetDateTime("set_at"));
  }
}

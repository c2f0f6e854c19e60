package org.govshare.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.govshare.platform.db.Rows;

public final class PgAuditStore implements AuditStore {
  static final String COLUMNS = "seq, at, request_id, client_id, department, action, resource, subject, outcome, detail, prev_hash, hash";
  // subject: what was acted on — a department, or one of its clients (whose actions name the client id)
  static final String LIST = "SELECT " + COLUMNS + " " + """
      FROM audit_log
      WHERE ($1::text IS NULL OR department = $1)
        AND ($2::text IS NULL OR action = $2)
        AND ($3::text IS NULL OR resource = $3)
        AND ($4::timestamptz IS NULL OR at >= $4)
        AND ($5::timestamptz IS NULL OR at < $5)
        AND ($6::text IS NULL OR outcome = $6)
        AND ($7::bigint IS NULL OR seq < $7)
        AND ($9::text IS NULL OR subject = $9
             OR subject IN (SELECT client_id FROM api_client WHERE department = $9))
      ORDER BY seq DESC LIMIT $8""";
  static final String CHUNK = "SELECT " + COLUMNS + " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2";
  static final String HEAD = "SELECT last_seq, last_hash FROM audit_head WHERE id = 1";
  // the first statement of the transaction, so every later read sees the log as it was at that moment
  static final String SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

  private final Pool pool;

  public PgAuditStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<AuditRecord>> list(Filter f, Optional<Long> beforeSeq, int limit) {
    Tuple args = Tuple.tuple(java.util.Arrays.asList(f.department().orElse(null), f.action().orElse(null),
        f.resource().orElse(null), f.from().orElse(null), f.to().orElse(null), f.outcome().orElse(null), beforeSeq.orElse(null),
        limit, f.subject().orElse(null)));
    return pool.preparedQuery(LIST).execute(args).map(PgAuditStore::records);
  }

  @Override
  public <T> Future<T> inSnapshot(Function<Snapshot, Future<T>> reads) {
    return pool.withTransaction(conn -> conn.query(SNAPSHOT).execute().compose(v -> reads.apply(snapshot(conn))));
  }

  private static Snapshot snapshot(SqlConnection conn) {
    return new Snapshot() {
      @Override
      public Future<Optional<Head>> head() {
        return conn.preparedQuery(HEAD).execute().map(rows -> Rows.first(rows, r -> new Head(r.getLong(0), r.getString(1))));
      }

      @Override
      public Future<List<AuditRecord>> chunk(long afterSeq, int limit) {
        return conn.preparedQuery(CHUNK).execute(Tuple.of(afterSeq, limit)).map(PgAuditStore::records);
      }
    };
  }

  private static List<AuditRecord> records(RowSet<Row> rows) {
    return Rows.all(rows, AuditRecord::from);
  }
}

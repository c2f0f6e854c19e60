package org.govshare.sharing;

import io.vertx.core.Future;
import org.govshare.audit.AuditOf;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;
import org.govshare.platform.db.Rows;

public final class PgNotificationStore implements NotificationStore {
  static final String COLUMNS = "id, department, kind, subject, message, at, read_at, read_by";
  static final String INSERT = "INSERT INTO notification (department, kind, subject, message) VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS;
  static final String INBOX = "SELECT " + COLUMNS + """
       FROM notification
      WHERE department = $1 AND (NOT $2 OR read_at IS NULL) AND ($3::text IS NULL OR kind = $3) AND ($4::bigint IS NULL OR id < $4)
      ORDER BY id DESC LIMIT $5""";
  static final String UNREAD = "SELECT count(*) FROM notification WHERE department = $1 AND read_at IS NULL";
  static final String MARK_READ = """
      UPDATE notification SET read_at = COALESCE(read_at, now()), read_by = COALESCE(read_by, $3)
      WHERE department = $1 AND id = $2 RETURNING\s""" + COLUMNS;
  static final String MARK_ALL_READ = "UPDATE notification SET read_at = now(), read_by = $2 WHERE department = $1 AND read_at IS NULL";

  private final Pool pool;

  public PgNotificationStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Notification> insert(String department, String kind, String subject, String message) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(department, kind, subject, message)).map(rows -> row(rows.iterator().next()));
  }

  @Override
  public Future<List<Notification>> inbox(String department, boolean unreadOnly, Optional<String> kind, Optional<Long> beforeId, int limit) {
    return pool.preparedQuery(INBOX).execute(Tuple.of(department, unreadOnly, kind.orElse(null), beforeId.orElse(null), limit))
        .map(PgNotificationStore::list);
  }

  @Override
  public Future<Long> unreadCount(String department) {
    return pool.preparedQuery(UNREAD).execute(Tuple.of(department)).map(rows -> rows.iterator().next().getLong(0));
  }

  @Override
  public Future<Optional<Notification>> markRead(String department, long id, String clientId, AuditOf<Notification> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(MARK_READ).execute(Tuple.of(department, id, clientId))
        .compose(rows -> AuditOf.ifPresent(audit).write(conn, rows.size() == 0 ? Optional.empty() : Optional.of(row(rows.iterator().next())))));
  }

  @Override
  public Future<Long> markAllRead(String department, String clientId, AuditOf<Long> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(MARK_ALL_READ).execute(Tuple.of(department, clientId))
        .compose(rows -> audit.write(conn, (long) rows.rowCount())));
  }

  private static List<Notification> list(RowSet<Row> rows) {
    return Rows.all(rows, PgNotificationStore::row);
  }

  private static Notification row(Row r) {
    return new Notification(r.getLong("id"), r.getString("department"), r.getString("kind"), r.getString("subject"),
        r.getString("message"), r.getOffsetDateTime("at"), r.getOffsetDateTime("read_at"), r.getString("read_by"));
  }
}

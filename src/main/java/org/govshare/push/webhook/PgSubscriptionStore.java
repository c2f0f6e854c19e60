package org.govshare.push.webhook;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.govshare.audit.AuditOf;

/** {@link SubscriptionStore} on PostgreSQL. Leases use the database's clock, so instances need not agree on theirs. */
public final class PgSubscriptionStore implements SubscriptionStore {
  static final String COLUMNS = """
      ord, id, department, client_id, resource, callback_url, secret_salt, status, last_delivered_seq, failures, first_failure_at,
      last_error, next_attempt_at, last_delivered_at, created_at, ended_at, end_reason, owner, lease_until""";
  static final String INSERT_KEY = "INSERT INTO webhook_key (id, secret) VALUES ('webhook-1', $1) ON CONFLICT (id) DO NOTHING";
  static final String KEY = "SELECT secret FROM webhook_key WHERE id = 'webhook-1'";
  // one creation per department at a time, so two concurrent requests cannot both pass the limit
  static final String LOCK_DEPARTMENT = "SELECT pg_advisory_xact_lock(hashtext('webhook-subscriptions:' || $1))";
  static final String COUNT_LIVE = "SELECT count(*) FROM webhook_subscription WHERE department = $1 AND status IN ('ACTIVE', 'PAUSED')";
  // deliveries start after the resource's last committed change: a subscription gets what happens from now on
  static final String INSERT = """
      INSERT INTO webhook_subscription (id, department, client_id, resource, callback_url, secret_salt, status, last_delivered_seq,
        next_attempt_at, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, 'ACTIVE',
        COALESCE((SELECT last_seq FROM data_change_counter WHERE resource = $4), 0), now(), now())
      RETURNING\s""" + COLUMNS;
  static final String FIND = "SELECT " + COLUMNS + " FROM webhook_subscription WHERE id = $1 AND status <> 'DELETED'";
  static final String LIST = "SELECT " + COLUMNS + """
       FROM webhook_subscription
      WHERE ($1::text IS NULL OR department = $1) AND status <> 'DELETED' AND ($2::bigint IS NULL OR ord < $2)
      ORDER BY ord DESC LIMIT $3""";
  static final String DELETE = """
      UPDATE webhook_subscription SET status = 'DELETED', ended_at = now(), end_reason = 'deleted by its department', owner = NULL,
        lease_until = 'epoch'
      WHERE id = $1 AND status <> 'DELETED' RETURNING\s""" + COLUMNS;
  static final String RESUME = """
      UPDATE webhook_subscription SET status = 'ACTIVE', failures = 0, first_failure_at = NULL, next_attempt_at = now(),
        lease_until = 'epoch'
      WHERE id = $1 AND status IN ('ACTIVE', 'PAUSED') RETURNING\s""" + COLUMNS;
  // SKIP LOCKED: instances sweeping at the same moment split the lapsed leases instead of queueing on them. An
  // owner renews its own leases once they are half gone (500 µs per ms of lease), not at every sweep
  static final String CLAIM = """
      WITH claimable AS (
        SELECT id FROM webhook_subscription
         WHERE status = 'ACTIVE' AND (lease_until < now() OR (owner = $1 AND lease_until < now() + $2::bigint * interval '500 microseconds'))
         ORDER BY lease_until LIMIT $3
         FOR UPDATE SKIP LOCKED)
      UPDATE webhook_subscription s SET owner = $1, lease_until = now() + $2::bigint * interval '1 millisecond'
        FROM claimable c WHERE s.id = c.id
      RETURNING s.*""";
  static final String RENEW = """
      UPDATE webhook_subscription SET lease_until = now() + $3::bigint * interval '1 millisecond'
      WHERE id = $1 AND owner = $2 AND lease_until > now() AND status = 'ACTIVE' RETURNING\s""" + COLUMNS;
  static final String ACKNOWLEDGE = """
      UPDATE webhook_subscription SET last_delivered_seq = $4, failures = 0, first_failure_at = NULL, last_error = NULL,
        next_attempt_at = now(), last_delivered_at = CASE WHEN $5 THEN now() ELSE last_delivered_at END
      WHERE id = $1 AND owner = $2 AND last_delivered_seq = $3 RETURNING\s""" + COLUMNS;
  static final String FAILED = """
      UPDATE webhook_subscription SET failures = $4, first_failure_at = $5, last_error = $6, next_attempt_at = $7,
        status = CASE WHEN $8 AND status = 'ACTIVE' THEN 'PAUSED' ELSE status END
      WHERE id = $1 AND owner = $2 AND last_delivered_seq = $3 RETURNING\s""" + COLUMNS;
  static final String END = """
      UPDATE webhook_subscription SET status = CASE WHEN status = 'DELETED' THEN status ELSE 'ENDED' END, ended_at = now(),
        end_reason = $4, last_delivered_seq = $5, failures = 0, first_failure_at = NULL, last_error = NULL, last_delivered_at = now(), owner = NULL,
        lease_until = 'epoch'
      WHERE id = $1 AND owner = $2 AND last_delivered_seq = $3 RETURNING\s""" + COLUMNS;
  static final String RELEASE = "UPDATE webhook_subscription SET owner = NULL, lease_until = 'epoch' WHERE owner = $1";

  private final Pool pool;

  public PgSubscriptionStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<byte[]> platformKey(byte[] candidate) {
    return pool.preparedQuery(INSERT_KEY).execute(Tuple.of(Buffer.buffer(candidate)))
        .compose(r -> pool.preparedQuery(KEY).execute(Tuple.tuple()))
        .map(rows -> rows.iterator().next().getBuffer(0).getBytes());
  }

  @Override
  public Future<Optional<Subscription>> create(NewSubscription s, int maxLive, AuditOf<Subscription> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_DEPARTMENT).execute(Tuple.of(s.department()))
        .compose(v -> conn.preparedQuery(COUNT_LIVE).execute(Tuple.of(s.department())))
        .compose(count -> {
          if (count.iterator().next().getLong(0) >= maxLive) {
            return Future.succeededFuture(Optional.<Subscription>empty());
          }
          return conn.preparedQuery(INSERT).execute(Tuple.of(s.id(), s.department(), s.clientId(), s.resource(), s.callbackUrl(),
                  Buffer.buffer(s.salt())))
              .compose(rows -> audit.write(conn, subscription(rows.iterator().next())).map(Optional::of));
        }));
  }

  @Override
  public Future<Optional<Subscription>> find(String id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(PgSubscriptionStore::first);
  }

  @Override
  public Future<List<Row>> list(String department, Long beforeOrd, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(department, beforeOrd, limit)).map(rows -> {
      List<Row> out = new ArrayList<>(rows.rowCount());
      for (io.vertx.sqlclient.Row r : rows) {
        out.add(new Row(r.getLong("ord"), subscription(r)));
      }
      return out;
    });
  }

  @Override
  public Future<Optional<Subscription>> delete(String id, AuditOf<Subscription> audit) {
    return changeOne(DELETE, Tuple.of(id), audit);
  }

  @Override
  public Future<Optional<Subscription>> resume(String id, AuditOf<Subscription> audit) {
    return changeOne(RESUME, Tuple.of(id), audit);
  }

  @Override
  public Future<List<Subscription>> claim(String node, long leaseMs, int limit) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(node, leaseMs, limit)).map(rows -> {
      List<Subscription> out = new ArrayList<>(rows.rowCount());
      rows.forEach(r -> out.add(subscription(r)));
      return out;
    });
  }

  @Override
  public Future<Optional<Subscription>> renew(String id, String node, long leaseMs) {
    return pool.preparedQuery(RENEW).execute(Tuple.of(id, node, leaseMs)).map(PgSubscriptionStore::first);
  }

  @Override
  public Future<Boolean> acknowledge(String id, String node, long fromSeq, long toSeq, AuditOf<Subscription> audit) {
    boolean delivered = audit != null;
    return changeOne(ACKNOWLEDGE, Tuple.of(id, node, fromSeq, toSeq, delivered), audit).map(Optional::isPresent);
  }

  @Override
  public Future<Boolean> failed(String id, String node, long fromSeq, Failure f, AuditOf<Subscription> audit) {
    return changeOne(FAILED, Tuple.of(id, node, fromSeq, f.failures(), f.firstFailureAt(), f.error())
        .addValue(f.nextAttemptAt()).addValue(f.pause()), audit).map(Optional::isPresent);
  }

  @Override
  public Future<Boolean> end(String id, String node, long fromSeq, long toSeq, String reason, AuditOf<Subscription> audit) {
    return changeOne(END, Tuple.of(id, node, fromSeq, reason, toSeq), audit).map(Optional::isPresent);
  }

  @Override
  public Future<Void> release(String node) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(node)).mapEmpty();
  }

  private Future<Optional<Subscription>> changeOne(String sql, Tuple args, AuditOf<Subscription> audit) {
    if (audit == null) {
      return pool.preparedQuery(sql).execute(args).map(PgSubscriptionStore::first);
    }
    return pool.withTransaction(conn -> conn.preparedQuery(sql).execute(args).compose(rows -> {
      Optional<Subscription> changed = first(rows);
      return AuditOf.ifPresent(audit).write(conn, changed);
    }));
  }

  private static Optional<Subscription> first(RowSet<io.vertx.sqlclient.Row> rows) {
    return rows.rowCount() == 0 ? Optional.empty() : Optional.of(subscription(rows.iterator().next()));
  }

  static Subscription subscription(io.vertx.sqlclient.Row r) {
    return new Subscription(r.getString("id"), r.getString("department"), r.getString("client_id"), r.getString("resource"),
        r.getString("callback_url"), r.getBuffer("secret_salt").getBytes(), Subscription.Status.valueOf(r.getString("status")),
        r.getLong("last_delivered_seq"), r.getInteger("failures"), r.getOffsetDateTime("first_failure_at"), r.getString("last_error"),
        r.getOffsetDateTime("next_attempt_at"), r.getOffsetDateTime("last_delivered_at"), r.getOffsetDateTime("created_at"),
        r.getOffsetDateTime("ended_at"), r.getString("end_reason"), r.getString("owner"), r.getOffsetDateTime("lease_until"));
  }
}

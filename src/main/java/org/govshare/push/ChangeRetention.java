package org.govshare.push;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.govshare.platform.Periodic;

/**
 * Deletes change-log rows older than the retention, a batch at a time, and raises each resource's
 * watermark in the same statement: a cursor below it is answered 410 instead of replaying with a gap.
 * Safe on every instance at once (the rows a run deletes are its own).
 */
public final class ChangeRetention {
  static final int BATCH = 10_000;
  static final String PURGE = """
      WITH gone AS (
        DELETE FROM data_change WHERE ctid = ANY(ARRAY(SELECT ctid FROM data_change WHERE at < $1 AND ($3::text IS NULL OR resource = $3) LIMIT $2 FOR UPDATE SKIP LOCKED))
        RETURNING resource, seq
      ), marked AS (
        INSERT INTO push_watermark AS w (resource, purged_through, purged_at)
        SELECT resource, max(seq), now() FROM gone GROUP BY resource
        ON CONFLICT (resource) DO UPDATE SET purged_through = greatest(w.purged_through, EXCLUDED.purged_through),
          purged_at = EXCLUDED.purged_at
      )
      SELECT count(*) FROM gone""";

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final int retentionDays;
  private final long periodMs;
  private Periodic job;

  public ChangeRetention(Vertx vertx, Pool pool, Clock clock, int retentionDays, long periodMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
    this.retentionDays = retentionDays;
    this.periodMs = periodMs;
  }

  public void start() {
    job = Periodic.every(vertx, periodMs, "purging push changes older than the retention", () -> purge(retentionDays));
  }

  public void stop() {
    if (job != null) {
      job.cancel();
    }
  }

  /** Purges changes older than {@code days}; the future tells how many rows went. */
  public Future<Long> purge(int days) {
    return purgeBefore(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(Duration.ofDays(days)), null, 0);
  }

  /** Purges changes committed before {@code cutoff}, of one resource or (null) of all. */
  public Future<Long> purgeBefore(OffsetDateTime cutoff, String resource, long sofar) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(cutoff, BATCH, resource)).compose(rows -> {
      long n = rows.iterator().next().getLong(0);
      return n < BATCH ? Future.succeededFuture(sofar + n) : purgeBefore(cutoff, resource, sofar + n);
    });
  }
}

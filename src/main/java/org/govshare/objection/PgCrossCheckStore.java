package org.govshare.objection;

import static org.govshare.platform.db.Rows.all;
import static org.govshare.platform.db.Rows.first;
import static org.govshare.platform.db.Rows.isUniqueViolation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.govshare.audit.AuditOf;
import org.govshare.platform.Problem;

public final class PgCrossCheckStore implements CrossCheckStore {
  static final String COLUMNS = """
      seq, id, element, source, source_item, source_provider, status, started_by, started_at, heartbeat_at, finished_at, failure""";
  static final String INSERT = """
      INSERT INTO crosscheck (id, element, source, source_item, source_provider, started_by, started_at, heartbeat_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $7)""";
  static final String INSERT_COPY = """
      INSERT INTO crosscheck_copy (crosscheck, resource, item, provider, position, status, skipped)
      SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[])""";
  static final String ONE = "SELECT " + COLUMNS + " FROM crosscheck WHERE id = $1";
  static final String COPIES = """
      SELECT resource, item, provider, position, status, skipped, scanned, compared, mismatches, samples, last_key
      FROM crosscheck_copy WHERE crosscheck = $1 ORDER BY position""";
  // One chunk of the copy in key order: its key range is fixed first, then both resources are read
  // over that range only (two index range scans PostgreSQL can merge or hash), rather than one index
  // probe into the source per copy record. One row of counts comes back, never the records.
  static final String COMPARE = """
      WITH bound AS (
        SELECT max(record_key) AS hi FROM (
          SELECT record_key FROM data_record WHERE resource = $3 AND record_key > $5 ORDER BY record_key LIMIT $6) k),
      chunk AS (
        SELECT c.record_key, c.data -> $4 AS copy_value, s.data -> $2 AS source_value, s.record_key IS NOT NULL AS paired
        FROM data_record c
        LEFT JOIN data_record s ON s.resource = $1 AND s.record_key = c.record_key
          AND s.record_key > $5 AND s.record_key <= (SELECT hi FROM bound)
        WHERE c.resource = $3 AND c.record_key > $5 AND c.record_key <= (SELECT hi FROM bound))
      SELECT count(*) AS scanned,
        count(*) FILTER (WHERE paired) AS compared,
        count(*) FILTER (WHERE paired AND source_value IS DISTINCT FROM copy_value) AS mismatches,
        max(record_key) AS last_key,
        to_jsonb((array_agg(jsonb_build_object('key', record_key, 'sourceValue', source_value, 'copyValue', copy_value)
          ORDER BY record_key) FILTER (WHERE paired AND source_value IS DISTINCT FROM copy_value))[1:$7]) AS samples
      FROM chunk""";
  static final String PROGRESS = """
      WITH copy AS (
        UPDATE crosscheck_copy SET scanned = scanned + $3, compared = compared + $4, mismatches = mismatches + $5, last_key = $6,
          samples = samples || $7::text::jsonb, status = $8
        WHERE crosscheck = $1 AND resource = $2)
      UPDATE crosscheck SET heartbeat_at = now() WHERE id = $1""";
  static final String COPY_STATUS = "UPDATE crosscheck_copy SET status = $3 WHERE crosscheck = $1 AND resource = $2";
  static final String FINISH = """
      UPDATE crosscheck SET status = $2, failure = $3, finished_at = $4 WHERE id = $1 AND status = 'RUNNING' RETURNING\s""" + COLUMNS;
  static final String FAIL_STALE = """
      UPDATE crosscheck SET status = 'FAILED', failure = 'the instance running it stopped before it finished', finished_at = $2
      WHERE status = 'RUNNING' AND heartbeat_at < $1 RETURNING\s""" + COLUMNS;
  // the copy's current mismatches without an open objection on the item, in key order, filed in one statement
  static final String FILE = """
      WITH m AS (
        SELECT c.record_key, s.data -> $2 AS source_value
        FROM data_record c JOIN data_record s ON s.resource = $1 AND s.record_key = c.record_key
        WHERE c.resource = $3 AND s.data ? $2 AND (s.data -> $2) IS DISTINCT FROM (c.data -> $4)
          AND NOT EXISTS (SELECT 1 FROM objection o WHERE o.resource = $3 AND o.record_key = c.record_key AND o.item = $4
                          AND o.status = 'OPEN')
        ORDER BY c.record_key LIMIT $5),
      filed AS (
        INSERT INTO objection (id, resource, record_key, item, consumer, provider, proposed_value, evidence, crosscheck, filed_by,
          filed_at, answer_due)
        SELECT 'obj-' || substr(md5(random()::text || clock_timestamp()::text || record_key), 1, 12), $3, record_key, $4, $6, $7,
          source_value, $8, $9, $10, $11, $12
        FROM m RETURNING *),
      events AS (
        INSERT INTO objection_event (objection, at, event, client_id, department, detail)
        SELECT id, $11, 'FILED', $10, $6, jsonb_build_object('proposedValue', proposed_value, 'crosscheck', crosscheck) FROM filed)
      SELECT\s""" + PgObjectionStore.COLUMNS + " FROM filed ORDER BY record_key";

  private final Pool pool;

  public PgCrossCheckStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<CrossCheck> insert(CrossCheck c, AuditOf<CrossCheck> audit) {
    int n = c.copies().size();
    String[] resources = new String[n], items = new String[n], providers = new String[n], statuses = new String[n],
        skipped = new String[n];
    Integer[] positions = new Integer[n];
    for (int i = 0; i < n; i++) {
      CrossCheck.Copy copy = c.copies().get(i);
      resources[i] = copy.resource();
      items[i] = copy.item();
      providers[i] = copy.provider();
      positions[i] = copy.position();
      statuses[i] = copy.status();
      skipped[i] = copy.skipped();
    }
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
            .execute(Tuple.from(Arrays.asList(c.id(), c.element(), c.source(), c.sourceItem(), c.sourceProvider(), c.startedBy(),
                c.startedAt())))
            .compose(v -> conn.preparedQuery(INSERT_COPY).execute(Tuple.from(Arrays.asList(c.id(), resources, items, providers, positions,
                statuses, skipped))))
            .compose(v -> audit.write(conn, c)))
        .recover(e -> Future.failedFuture(isUniqueViolation(e)
            ? Problem.conflict("data element " + c.element() + " is being cross-checked already; wait for that run to finish") : e));
  }

  @Override
  public Future<Optional<CrossCheck>> crosscheck(String id) {
    return pool.preparedQuery(ONE).execute(Tuple.of(id)).compose(rows -> {
      Optional<CrossCheck> found = first(rows, PgCrossCheckStore::crosscheck);
      if (found.isEmpty()) {
        return Future.succeededFuture(found);
      }
      return pool.preparedQuery(COPIES).execute(Tuple.of(id)).map(copies -> Optional.of(found.get().withCopies(all(copies, r ->
          new CrossCheck.Copy(r.getString("resource"), r.getString("item"), r.getString("provider"), r.getInteger("position"),
              r.getString("status"), r.getString("skipped"), r.getLong("scanned"), r.getLong("compared"), r.getLong("mismatches"),
              r.getJsonArray("samples"), r.getString("last_key"))))));
    });
  }

  @Override
  public Future<Chunk> compare(String source, String sourceItem, String copy, String copyItem, String afterKey, int rows, int samples) {
    return pool.preparedQuery(COMPARE).execute(Tuple.from(Arrays.asList(source, sourceItem, copy, copyItem, afterKey, rows, samples)))
        .map(result -> {
          Row r = result.iterator().next();
          JsonArray found = r.getJsonArray("samples");
          return new Chunk(r.getLong("scanned"), r.getLong("compared"), r.getLong("mismatches"), r.getString("last_key"),
              found == null ? new JsonArray() : found);
        });
  }

  @Override
  public Future<Void> progress(String id, String copy, Chunk chunk, JsonArray samples, boolean done) {
    return pool.preparedQuery(PROGRESS).execute(Tuple.from(Arrays.asList(id, copy, chunk.scanned(), chunk.compared(), chunk.mismatches(),
        chunk.lastKey(), samples.encode(), done ? "DONE" : "RUNNING"))).mapEmpty();
  }

  @Override
  public Future<Void> copyStatus(String id, String copy, String status) {
    return pool.preparedQuery(COPY_STATUS).execute(Tuple.of(id, copy, status)).mapEmpty();
  }

  @Override
  public Future<Optional<CrossCheck>> finish(String id, CrossCheck.Status status, String failure, Instant at, AuditOf<CrossCheck> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(FINISH).execute(Tuple.of(id, status.name(), failure, PgObjectionStore.at(at)))
        .compose(rows -> AuditOf.ifPresent(audit).write(conn, first(rows, PgCrossCheckStore::crosscheck))));
  }

  @Override
  public Future<List<CrossCheck>> failStale(Instant staleBefore, Instant at, AuditOf<List<CrossCheck>> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(FAIL_STALE)
        .execute(Tuple.of(PgObjectionStore.at(staleBefore), PgObjectionStore.at(at)))
        .compose(rows -> audit.write(conn, all(rows, PgCrossCheckStore::crosscheck))));
  }

  @Override
  public Future<List<Objection>> fileFromMismatches(String source, String sourceItem, Filing f, AuditOf<List<Objection>> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(FILE).execute(Tuple.from(Arrays.asList(source, sourceItem, f.copy(), f.item(),
            f.limit(), f.consumer(), f.provider(), f.evidence(), f.crosscheck(), f.filedBy(), f.filedAt(), f.answerDue())))
        .compose(rows -> audit.write(conn, all(rows, PgObjectionStore::objection))))
        .recover(e -> Future.failedFuture(isUniqueViolation(e)
            ? Problem.conflict("an objection on one of these records was filed meanwhile; try again") : e));
  }

  private static CrossCheck crosscheck(Row r) {
    return new CrossCheck(r.getLong("seq"), r.getString("id"), r.getString("element"), r.getString("source"), r.getString("source_item"),
        r.getString("source_provider"), CrossCheck.Status.valueOf(r.getString("status")), r.getString("started_by"),
        r.getOffsetDateTime("started_at"), r.getOffsetDateTime("heartbeat_at"), r.getOffsetDateTime("finished_at"),
        r.getString("failure"), new ArrayList<>());
  }
}

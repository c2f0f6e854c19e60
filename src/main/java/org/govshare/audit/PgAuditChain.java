package org.govshare.audit;

import org.govshare.kernel.AuditEntry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Links records into the hash chain under the {@code audit_head} row lock, which orders the writers
 * of every instance: records handed over directly (reads, refusals) and rows taken from the outbox.
 */
final class PgAuditChain implements AuditWriter.Chain {
  // A row slipped into the table behind the writer's back must not block the log: number after it,
  // but chain from the true tip, so verification still points at the intruder.
  static final String LOCK_HEAD = """
      SELECT greatest(last_seq, coalesce((SELECT max(seq) FROM audit_log), 0)) AS last_seq, last_hash
      FROM audit_head WHERE id = 1 FOR UPDATE""";
  static final String INSERT_BATCH = """
      INSERT INTO audit_log (seq, at, request_id, client_id, department, action, resource, subject, outcome, detail, prev_hash, hash)
      SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                           $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])""";
  static final String MOVE_HEAD = "UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1";
  // looked at without the lock first, so an idle sweep costs one index probe and no lock
  static final String OUTBOX_WAITING = "SELECT 1 FROM audit_outbox LIMIT 1";
  static final String TAKE_OUTBOX = """
      DELETE FROM audit_outbox WHERE id IN (SELECT id FROM audit_outbox ORDER BY id LIMIT $1)
      RETURNING id, at, request_id, client_id, department, action, resource, subject, outcome, detail""";

  private final Pool pool;
  private final AuditCheckpoint checkpoint;

  PgAuditChain(Pool pool, AuditCheckpoint checkpoint) {
    this.pool = pool;
    this.checkpoint = checkpoint;
  }

  @Override
  public Future<long[]> append(List<AuditEntry> entries) {
    List<Record> records = new ArrayList<>(entries.size());
    for (AuditEntry raw : entries) {
      AuditEntry e = raw.sanitized();
      records.add(new Record(e.at().atOffset(ZoneOffset.UTC), e.requestId(), e.clientId(), e.department(), e.action().name(),
          e.resource(), e.subject(), e.outcome().name(), e.encodedDetail()));
    }
    return pool.withTransaction(conn -> link(conn, records)).map(this::committed);
  }

  @Override
  public Future<Integer> moveOutbox(int limit) {
    return pool.query(OUTBOX_WAITING).execute().compose(waiting -> waiting.size() == 0
        ? Future.succeededFuture(0)
        : pool.withTransaction(conn -> conn.query(LOCK_HEAD).execute().compose(head -> conn.preparedQuery(TAKE_OUTBOX)
                .execute(Tuple.of(limit))
                .compose(rows -> {
                  List<Row> taken = new ArrayList<>();
                  rows.forEach(taken::add);
                  taken.sort(Comparator.comparingLong(r -> r.getLong("id")));
                  List<Record> records = new ArrayList<>(taken.size());
                  for (Row r : taken) {
                    records.add(new Record(r.getOffsetDateTime("at"), r.getString("request_id"), r.getString("client_id"),
                        r.getString("department"), r.getString("action"), r.getString("resource"), r.getString("subject"),
                        r.getString("outcome"), r.getString("detail")));
                  }
                  return records.isEmpty()
                      ? Future.succeededFuture(new Chained(new long[0], null))
                      : chain(conn, head.iterator().next(), records);
                })))
            .map(seqs -> committed(seqs).length));
  }

  private record Record(OffsetDateTime at, String requestId, String clientId, String department, String action, String resource,
      String subject, String outcome, String detail) {}

  private record Chained(long[] seqs, String lastHash) {}

  /** After the commit: the new tip goes to the checkpoint outside the database. */
  private long[] committed(Chained c) {
    if (c.seqs().length > 0) {
      checkpoint.advance(c.seqs()[c.seqs().length - 1], c.lastHash());
    }
    return c.seqs();
  }

  private Future<Chained> link(SqlConnection conn, List<Record> records) {
    return conn.query(LOCK_HEAD).execute().compose(head -> chain(conn, head.iterator().next(), records));
  }

  private Future<Chained> chain(SqlConnection conn, Row head, List<Record> records) {
    long seq = head.getLong("last_seq");
    String prev = head.getString("last_hash");
    int n = records.size();
    long[] result = new long[n];
    Long[] seqs = new Long[n];
    OffsetDateTime[] ats = new OffsetDateTime[n];
    String[] requestIds = new String[n], clients = new String[n], departments = new String[n], actions = new String[n],
        resources = new String[n], subjects = new String[n], outcomes = new String[n], details = new String[n],
        prevs = new String[n], hashes = new String[n];
    for (int i = 0; i < n; i++) {
      Record e = records.get(i);
      seq++;
      String hash = AuditChain.hash(seq, e.at().toInstant(), e.requestId(), e.clientId(), e.department(), e.action(), e.resource(),
          e.subject(), e.outcome(), e.detail(), prev);
      result[i] = seq;
      seqs[i] = seq;
      ats[i] = e.at();
      requestIds[i] = e.requestId();
      clients[i] = e.clientId();
      departments[i] = e.department();
      actions[i] = e.action();
      resources[i] = e.resource();
      subjects[i] = e.subject();
      outcomes[i] = e.outcome();
      details[i] = e.detail();
      prevs[i] = prev;
      hashes[i] = hash;
      prev = hash;
    }
    long lastSeq = seq;
    String last = prev;
    return conn.preparedQuery(INSERT_BATCH)
        .execute(Tuple.tuple(List.of(seqs, ats, requestIds, clients, departments, actions, resources, subjects, outcomes, details,
            prevs, hashes)))
        .compose(r -> conn.preparedQuery(MOVE_HEAD).execute(Tuple.of(lastSeq, last)))
        .map(r -> new Chained(result, last));
  }
}

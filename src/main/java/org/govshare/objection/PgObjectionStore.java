package org.govshare.objection;

import static org.govshare.platform.db.Rows.all;
import static org.govshare.platform.db.Rows.first;
import static org.govshare.platform.db.Rows.isUniqueViolation;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.govshare.access.RecordStore.Fixed;
import org.govshare.audit.AuditOf;
import org.govshare.platform.Problem;

public final class PgObjectionStore implements ObjectionStore {
  static final String COLUMNS = """
      seq, id, resource, record_key, item, consumer, provider, proposed_value::text AS proposed_value, evidence, crosscheck, status,
      filed_by, filed_at, answer_due, overdue_notified_at, answered_at, answered_by, answer_note,
      corrected_value::text AS corrected_value, record_version, record_seq, answer_working_days""";
  static final String INSERT = """
      INSERT INTO objection (id, resource, record_key, item, consumer, provider, proposed_value, evidence, crosscheck, filed_by,
        filed_at, answer_due)
      VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $10, $11, $12) RETURNING\s""" + COLUMNS;
  static final String OPEN_ID = "SELECT id FROM objection WHERE resource = $1 AND record_key = $2 AND item = $3 AND status = 'OPEN'";
  static final String ONE = "SELECT " + COLUMNS + " FROM objection WHERE id = $1";
  // $6: the caller's now, so "overdue" means the same in the filter and in the reply
  static final String LIST = "SELECT " + COLUMNS + """
       FROM objection
      WHERE ($1::text IS NULL OR ($2::text = 'consumer' AND consumer = $1) OR ($2::text = 'provider' AND provider = $1)
             OR ($2::text IS NULL AND (consumer = $1 OR provider = $1)))
        AND ($3::text IS NULL OR status = $3)
        AND ($4::boolean IS NULL OR (COALESCE(answered_at, $6) > answer_due) = $4)
        AND ($5::text IS NULL OR resource = $5)
        AND ($7::bigint IS NULL OR seq < $7)
      ORDER BY seq DESC LIMIT $8""";
  static final String ANSWER = """
      UPDATE objection SET status = $2, answer_note = $3, corrected_value = $4::text::jsonb, answered_by = $5, answered_at = $6,
        answer_working_days = $7, record_version = $8, record_seq = $9
      WHERE id = $1 AND status = 'OPEN' RETURNING\s""" + COLUMNS;
  // FOR UPDATE SKIP LOCKED plus the repeated IS NULL: two instances running the job never claim the same row
  static final String CLAIM_OVERDUE = """
      WITH due AS (
        SELECT id FROM objection WHERE status = 'OPEN' AND overdue_notified_at IS NULL AND answer_due < $1
        ORDER BY answer_due LIMIT $2 FOR UPDATE SKIP LOCKED),
      claimed AS (
        UPDATE objection o SET overdue_notified_at = $1 FROM due
        WHERE o.id = due.id AND o.overdue_notified_at IS NULL AND o.status = 'OPEN' RETURNING o.*),
      history AS (
        INSERT INTO objection_event (objection, at, event, client_id, department, detail)
        SELECT id, $1, 'OVERDUE', 'system', NULL, jsonb_build_object('answerDue', answer_due) FROM claimed)
      SELECT\s""" + COLUMNS + " FROM claimed";
  static final String INSERT_EVENT = """
      INSERT INTO objection_event (objection, at, event, client_id, department, detail) VALUES ($1, $2, $3, $4, $5, $6)""";
  static final String HISTORY = """
      SELECT objection, at, event, client_id, department, detail FROM objection_event WHERE objection = $1 ORDER BY seq""";
  static final String HAS_OPEN = "SELECT EXISTS (SELECT 1 FROM objection WHERE resource = $1 AND status = 'OPEN')";
  static final String OPEN_ITEMS = """
      SELECT record_key, item FROM objection WHERE resource = $1 AND record_key = ANY($2::text[]) AND status = 'OPEN'""";

  private final Pool pool;

  public PgObjectionStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Objection> insert(Objection o, ObjectionEvent filed, AuditOf<Objection> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
            .execute(Tuple.from(Arrays.asList(o.id(), o.resource(), o.key(), o.item(), o.consumer(), o.provider(),
                o.proposedValue() == null ? null : Json.encode(o.proposedValue()), o.evidence(), o.crosscheck(), o.filedBy(),
                o.filedAt(), o.answerDue())))
            .compose(rows -> insertEvent(conn, filed).compose(v -> audit.write(conn, objection(rows.iterator().next())))))
        .recover(e -> {
          if (!isUniqueViolation(e)) {
            return Future.failedFuture(e);
          }
          return pool.preparedQuery(OPEN_ID).execute(Tuple.of(o.resource(), o.key(), o.item())).compose(rows -> {
            String open = rows.size() == 0 ? null : rows.iterator().next().getString(0);
            return Future.failedFuture(Problem.conflict("item " + o.item() + " of record " + o.key() + " of " + o.resource()
                + " already has an open objection" + (open == null ? "" : " (" + open + ")") + "; it is being verified")
                .with("openObjection", open));
          });
        });
  }

  @Override
  public Future<Optional<Objection>> objection(String id) {
    return pool.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> first(rows, PgObjectionStore::objection));
  }

  @Override
  public Future<List<ObjectionEvent>> history(String id) {
    return pool.preparedQuery(HISTORY).execute(Tuple.of(id)).map(rows -> all(rows, r -> new ObjectionEvent(r.getString(0),
        r.getOffsetDateTime(1), r.getString(2), r.getString(3), r.getString(4), r.getJsonObject(5))));
  }

  @Override
  public Future<List<Objection>> objections(Filter f, Optional<Long> beforeSeq, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.from(Arrays.asList(f.department().orElse(null), f.side().orElse(null),
            f.status().map(Enum::name).orElse(null), f.overdue().orElse(null), f.resource().orElse(null), at(f.now()),
            beforeSeq.orElse(null), limit)))
        .map(rows -> all(rows, PgObjectionStore::objection));
  }

  @Override
  public Future<Optional<Objection>> answer(String id, Objection.Answer a, Optional<Function<SqlConnection, Future<Optional<Fixed>>>> fix,
      ObjectionEvent event, AuditOf<Objection> audit) {
    return pool.withTransaction(conn -> {
      Future<Optional<Fixed>> fixed = fix.isPresent() ? fix.get().apply(conn).map(f -> {
        if (f.isEmpty()) {
          throw Problem.conflict("the record of objection " + id + " no longer exists; it cannot be corrected (answer CONFIRMED"
              + " with a note, or upload the record again first)");
        }
        return f;
      }) : Future.succeededFuture(Optional.empty());
      return fixed.compose(f -> conn.preparedQuery(ANSWER).execute(Tuple.from(Arrays.asList(id, a.outcome().name(), a.note(),
              a.correctedValue() == null ? null : Json.encode(a.correctedValue()), a.answeredBy(), a.answeredAt(), a.workingDays(),
              f.map(Fixed::version).orElse(null), f.map(Fixed::seq).orElse(null)))))
          .compose(rows -> {
            if (rows.size() == 0) {
              // already answered: undo the fix with the transaction
              return Future.failedFuture(new NotOpen());
            }
            Objection answered = objection(rows.iterator().next());
            return insertEvent(conn, event).compose(v -> audit.write(conn, answered)).map(Optional::of);
          });
    }).recover(e -> e instanceof NotOpen ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
  }

  @Override
  public Future<List<Objection>> claimOverdue(Instant now, int limit, AuditOf<List<Objection>> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_OVERDUE).execute(Tuple.of(at(now), limit))
        .compose(rows -> audit.write(conn, all(rows, PgObjectionStore::objection))));
  }

  @Override
  public Future<Boolean> hasOpen(String resource) {
    return pool.preparedQuery(HAS_OPEN).execute(Tuple.of(resource)).map(rows -> rows.iterator().next().getBoolean(0));
  }

  @Override
  public Future<Map<String, Set<String>>> openItems(String resource, Collection<String> keys) {
    return pool.preparedQuery(OPEN_ITEMS).execute(Tuple.tuple(List.of(resource, keys.toArray(String[]::new)))).map(rows -> {
      Map<String, Set<String>> out = new HashMap<>();
      rows.forEach(r -> out.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(r.getString(1)));
      return out;
    });
  }

  static Future<Void> insertEvent(SqlClient conn, ObjectionEvent e) {
    return conn.preparedQuery(INSERT_EVENT).execute(Tuple.of(e.objection(), e.at(), e.event(), e.clientId(), e.department(),
        e.detail())).mapEmpty();
  }

  static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Object json(String text) {
    return text == null ? null : Json.decodeValue(text);
  }

  static Objection objection(Row r) {
    Objection.Status status = Objection.Status.valueOf(r.getString("status"));
    Objection.Answer answer = status == Objection.Status.OPEN ? null : new Objection.Answer(status, r.getString("answer_note"),
        json(r.getString("corrected_value")), r.getString("answered_by"), r.getOffsetDateTime("answered_at"),
        r.getInteger("record_version"), r.getLong("record_seq"), r.getInteger("answer_working_days"));
    return new Objection(r.getLong("seq"), r.getString("id"), r.getString("resource"), r.getString("record_key"), r.getString("item"),
        r.getString("consumer"), r.getString("provider"), json(r.getString("proposed_value")), r.getString("evidence"),
        r.getString("crosscheck"), status, r.getString("filed_by"), r.getOffsetDateTime("filed_at"), r.getOffsetDateTime("answer_due"),
        r.getOffsetDateTime("overdue_notified_at"), answer);
  }

  private static final class NotOpen extends RuntimeException {
    NotOpen() {
      super(null, null, false, false);
    }
  }
}

package org.govshare.sharing;

import static org.govshare.platform.db.Rows.all;
import static org.govshare.platform.db.Rows.first;
import static org.govshare.platform.db.Rows.isUniqueViolation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditOf;
import org.govshare.audit.AuditOutbox;
import org.govshare.platform.Problem;

public final class PgSharingStore implements SharingStore {
  static final String APPLICATION_COLUMNS = """
      seq, id, resource, resource_version, consumer, provider, items, purpose, usage, valid_until, status, submitted_by,
      submitted_at, decision_due, overdue_notified_at, closed_at, decided_by, decision_reason, decision_items,
      decision_conditions, decision_valid_until, decision_working_days, decision_clear_items""";
  static final String INSERT_APPLICATION = """
      INSERT INTO application (id, resource, resource_version, consumer, provider, items, purpose, usage, valid_until, submitted_by,
        submitted_at, decision_due)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING\s""" + APPLICATION_COLUMNS;
  static final String PENDING_ID = "SELECT id FROM application WHERE consumer = $1 AND resource = $2 AND status = 'PENDING'";
  static final String APPLICATION = "SELECT " + APPLICATION_COLUMNS + " FROM application WHERE id = $1";
  // $6: the caller's now, so "overdue" means the same in the filter and in the reply
  static final String APPLICATIONS = "SELECT " + APPLICATION_COLUMNS + """
       FROM application
      WHERE ($1::text IS NULL OR ($2::text = 'consumer' AND consumer = $1) OR ($2::text = 'provider' AND provider = $1)
             OR ($2::text IS NULL AND (consumer = $1 OR provider = $1)))
        AND ($3::text IS NULL OR status = $3)
        AND ($4::boolean IS NULL OR (COALESCE(closed_at, $6) > decision_due) = $4)
        AND ($5::text IS NULL OR resource = $5)
        AND ($7::bigint IS NULL OR seq < $7)
      ORDER BY seq DESC LIMIT $8""";
  static final String DECIDE = """
      UPDATE application SET status = $2, closed_at = $3, decided_by = $4, decision_reason = $5, decision_items = $6,
        decision_conditions = $7, decision_valid_until = $8, decision_working_days = $9, decision_clear_items = $10
      WHERE id = $1 AND status = 'PENDING' RETURNING\s""" + APPLICATION_COLUMNS;
  static final String WITHDRAW = "UPDATE application SET status = 'WITHDRAWN', closed_at = $2 WHERE id = $1 AND status = 'PENDING' RETURNING "
      + APPLICATION_COLUMNS;
  // FOR UPDATE SKIP LOCKED plus the repeated IS NULL: two instances running the job never claim the same row
  static final String CLAIM_OVERDUE = """
      WITH due AS (
        SELECT id FROM application WHERE status = 'PENDING' AND overdue_notified_at IS NULL AND decision_due < $1
        ORDER BY decision_due LIMIT $2 FOR UPDATE SKIP LOCKED),
      claimed AS (
        UPDATE application a SET overdue_notified_at = $1 FROM due
        WHERE a.id = due.id AND a.overdue_notified_at IS NULL AND a.status = 'PENDING' RETURNING a.*),
      history AS (
        INSERT INTO application_event (application, at, event, client_id, department, detail)
        SELECT id, $1, 'OVERDUE', 'system', NULL, jsonb_build_object('decisionDue', decision_due) FROM claimed)
      SELECT\s""" + APPLICATION_COLUMNS + " FROM claimed";
  static final String PENDING_SUBMITTED_BETWEEN = "SELECT " + APPLICATION_COLUMNS
      + " FROM application WHERE status = 'PENDING' AND overdue_notified_at IS NULL AND submitted_at >= $1 AND submitted_at < $2";
  static final String MOVE_DEADLINE = """
      UPDATE application SET decision_due = $3
      WHERE id = $1 AND decision_due = $2 AND status = 'PENDING' AND overdue_notified_at IS NULL""";
  static final String INSERT_EVENT = """
      INSERT INTO application_event (application, at, event, client_id, department, detail) VALUES ($1, $2, $3, $4, $5, $6)""";
  static final String HISTORY = """
      SELECT application, at, event, client_id, department, detail FROM application_event WHERE application = $1 ORDER BY seq""";

  static final String GRANT_COLUMNS = """
      seq, id, application, dispute, resource, consumer, provider, items, clear_items, usage, purpose, conditions, valid_until, status,
      issued_at, ended_at, end_reason, ended_by""";
  static final String INSERT_GRANT = """
      INSERT INTO share_grant (id, application, dispute, resource, consumer, provider, items, usage, purpose, conditions, valid_until,
        issued_at, clear_items)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""";
  static final String GRANT = "SELECT " + GRANT_COLUMNS + " FROM share_grant WHERE id = $1";
  static final String GRANTS = "SELECT " + GRANT_COLUMNS + """
       FROM share_grant
      WHERE ($1::text IS NULL OR ($2::text = 'consumer' AND consumer = $1) OR ($2::text = 'provider' AND provider = $1)
             OR ($2::text IS NULL AND (consumer = $1 OR provider = $1)))
        AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR resource = $4) AND ($5::bigint IS NULL OR seq < $5)
      ORDER BY seq DESC LIMIT $6""";
  static final String ACTIVE_GRANTS = "SELECT " + GRANT_COLUMNS
      + " FROM share_grant WHERE consumer = $1 AND resource = $2 AND status = 'ACTIVE'";
  static final String END_GRANT = """
      UPDATE share_grant SET status = $2, end_reason = $3, ended_by = $4, ended_at = $5, change_seq = nextval('grant_change_seq')
      WHERE id = $1 AND status = 'ACTIVE' RETURNING\s""" + GRANT_COLUMNS;
  static final String END_GRANTS_OF_RESOURCE = """
      UPDATE share_grant SET status = 'ENDED', end_reason = $2, ended_by = $3, ended_at = $4, change_seq = nextval('grant_change_seq')
      WHERE resource = $1 AND status = 'ACTIVE' RETURNING\s""" + GRANT_COLUMNS;
  static final String END_GRANTS_OF_APPLICATION = """
      UPDATE share_grant SET status = 'ENDED', end_reason = $2, ended_by = $3, ended_at = $4, change_seq = nextval('grant_change_seq')
      WHERE application = $1 AND status = 'ACTIVE' RETURNING id""";
  static final String REMOVE_ITEMS = """
      WITH left_over AS (
        SELECT id, ARRAY(SELECT i FROM unnest(items) WITH ORDINALITY AS t(i, n) WHERE NOT (i = ANY($2)) ORDER BY n) AS items,
          ARRAY(SELECT i FROM unnest(clear_items) WITH ORDINALITY AS t(i, n) WHERE NOT (i = ANY($2)) ORDER BY n) AS clear_items
        FROM share_grant WHERE resource = $1 AND status = 'ACTIVE' AND items && $2)
      UPDATE share_grant g SET items = l.items, clear_items = l.clear_items,
        status = CASE WHEN cardinality(l.items) = 0 THEN 'ENDED' ELSE g.status END,
        end_reason = CASE WHEN cardinality(l.items) = 0 THEN $3 ELSE g.end_reason END,
        ended_by = CASE WHEN cardinality(l.items) = 0 THEN $4 ELSE g.ended_by END,
        ended_at = CASE WHEN cardinality(l.items) = 0 THEN $5 ELSE g.ended_at END,
        change_seq = nextval('grant_change_seq')
      FROM left_over l WHERE g.id = l.id
      RETURNING g.seq, g.id, g.application, g.dispute, g.resource, g.consumer, g.provider, g.items, g.clear_items, g.usage, g.purpose,
        g.conditions, g.valid_until, g.status, g.issued_at, g.ended_at, g.end_reason, g.ended_by""";
  static final String EXPIRE_GRANTS = """
      UPDATE share_grant SET status = 'EXPIRED', end_reason = 'valid until ' || valid_until, ended_by = 'system', ended_at = $2,
        change_seq = nextval('grant_change_seq')
      WHERE status = 'ACTIVE' AND valid_until < $1 RETURNING\s""" + GRANT_COLUMNS;
  // the overlap re-reads changes whose sequence number was taken before a later one but committed after it
  static final String GRANT_CHANGES = """
      SELECT consumer, resource, change_seq FROM share_grant WHERE change_seq > $1 - 1000 ORDER BY change_seq""";

  static final String DISPUTE_COLUMNS = """
      seq, id, application, resource, consumer, provider, statement, status, opened_by, opened_at, resolution_note, resolved_by,
      resolved_at, grant_id""";
  static final String INSERT_DISPUTE = """
      INSERT INTO dispute (id, application, resource, consumer, provider, statement, opened_by, opened_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING\s""" + DISPUTE_COLUMNS;
  static final String DISPUTE = "SELECT " + DISPUTE_COLUMNS + " FROM dispute WHERE id = $1";
  static final String DISPUTES = "SELECT " + DISPUTE_COLUMNS + """
       FROM dispute
      WHERE ($1::text IS NULL OR ($2::text = 'consumer' AND consumer = $1) OR ($2::text = 'provider' AND provider = $1)
             OR ($2::text IS NULL AND (consumer = $1 OR provider = $1)))
        AND ($3::text IS NULL OR status = $3) AND ($4::bigint IS NULL OR seq < $4)
      ORDER BY seq DESC LIMIT $5""";
  static final String RESOLVE = """
      UPDATE dispute SET status = $2, resolution_note = $3, resolved_by = $4, resolved_at = $5, grant_id = $6
      WHERE id = $1 AND status = 'OPEN' RETURNING\s""" + DISPUTE_COLUMNS;

  private final Pool pool;

  public PgSharingStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Application> insertApplication(Application a, ApplicationEvent submitted, AuditOf<Application> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_APPLICATION)
            .execute(Tuple.from(Arrays.asList(a.id(), a.resource(), a.resourceVersion(), a.consumer(), a.provider(),
                a.items().toArray(String[]::new), a.purpose(), a.usage().name(), a.validUntil(), a.submittedBy(), a.submittedAt(),
                a.decisionDue())))
            .compose(rows -> insertEvent(conn, submitted).compose(v -> audit.write(conn, application(rows.iterator().next())))))
        .recover(e -> {
          if (!isUniqueViolation(e)) {
            return Future.failedFuture(e);
          }
          return pool.preparedQuery(PENDING_ID).execute(Tuple.of(a.consumer(), a.resource())).compose(rows -> {
            String pending = rows.size() == 0 ? null : rows.iterator().next().getString(0);
            return Future.failedFuture(Problem.conflict("department " + a.consumer() + " already has a pending application for "
                + a.resource() + (pending == null ? "" : " (" + pending + ")") + "; wait for its decision or withdraw it")
                .with("pendingApplication", pending));
          });
        });
  }

  @Override
  public Future<Optional<Application>> application(String id) {
    return pool.preparedQuery(APPLICATION).execute(Tuple.of(id)).map(rows -> first(rows, PgSharingStore::application));
  }

  @Override
  public Future<List<ApplicationEvent>> history(String applicationId) {
    return pool.preparedQuery(HISTORY).execute(Tuple.of(applicationId)).map(rows -> all(rows, r -> new ApplicationEvent(
        r.getString(0), r.getOffsetDateTime(1), r.getString(2), r.getString(3), r.getString(4), r.getJsonObject(5))));
  }

  @Override
  public Future<List<Application>> applications(ApplicationFilter f, Optional<Long> beforeSeq, int limit) {
    return pool.preparedQuery(APPLICATIONS).execute(Tuple.from(Arrays.asList(f.department().orElse(null), f.side().orElse(null),
            f.status().map(Enum::name).orElse(null), f.overdue().orElse(null), f.resource().orElse(null), at(f.now()),
            beforeSeq.orElse(null), limit)))
        .map(rows -> all(rows, PgSharingStore::application));
  }

  @Override
  public Future<Optional<Application>> decide(String id, Decision d, Optional<Grant> grant, ApplicationEvent event,
      AuditOf<Application> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(DECIDE)
        .execute(Tuple.from(Arrays.asList(id, d.status().name(), at(d.decidedAt()), d.decidedBy(), d.reason(),
            d.items() == null ? null : d.items().toArray(String[]::new), d.conditions(), d.validUntil(), d.workingDays(),
            d.clearItems() == null ? null : d.clearItems().toArray(String[]::new))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<Application>empty());
          }
          Application decided = application(rows.iterator().next());
          Future<Void> issued = grant.isPresent() ? insertGrant(conn, grant.get()) : Future.succeededFuture();
          return issued.compose(v -> insertEvent(conn, event)).compose(v -> audit.write(conn, decided)).map(Optional::of);
        }));
  }

  @Override
  public Future<Optional<Application>> withdraw(String id, Instant at, ApplicationEvent event, AuditOf<Application> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(WITHDRAW).execute(Tuple.of(id, at(at))).compose(rows -> rows.size() == 0
        ? Future.succeededFuture(Optional.<Application>empty())
        : insertEvent(conn, event).compose(v -> audit.write(conn, application(rows.iterator().next()))).map(Optional::of)));
  }

  @Override
  public Future<List<Application>> claimOverdue(Instant now, int limit, AuditOf<List<Application>> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_OVERDUE).execute(Tuple.of(at(now), limit))
        .compose(rows -> audit.write(conn, all(rows, PgSharingStore::application))));
  }

  @Override
  public Future<List<Application>> pendingSubmittedBetween(Instant from, Instant to) {
    return pool.preparedQuery(PENDING_SUBMITTED_BETWEEN).execute(Tuple.of(at(from), at(to)))
        .map(rows -> all(rows, PgSharingStore::application));
  }

  @Override
  public Future<Boolean> moveDeadline(String id, OffsetDateTime from, OffsetDateTime to, ApplicationEvent event, AuditEntry audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(MOVE_DEADLINE).execute(Tuple.of(id, from, to))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
            : insertEvent(conn, event).compose(v -> AuditOutbox.insert(conn, audit)).map(v -> true)));
  }

  @Override
  public Future<Void> appendEvent(ApplicationEvent event) {
    return insertEvent(pool, event);
  }

  @Override
  public Future<Optional<Grant>> grant(String id) {
    return pool.preparedQuery(GRANT).execute(Tuple.of(id)).map(rows -> first(rows, PgSharingStore::grant));
  }

  @Override
  public Future<List<Grant>> grants(GrantFilter f, Optional<Long> beforeSeq, int limit) {
    return pool.preparedQuery(GRANTS).execute(Tuple.from(Arrays.asList(f.department().orElse(null), f.side().orElse(null),
            f.status().map(Enum::name).orElse(null), f.resource().orElse(null), beforeSeq.orElse(null), limit)))
        .map(rows -> all(rows, PgSharingStore::grant));
  }

  @Override
  public Future<List<Grant>> activeGrants(String consumer, String resource) {
    return pool.preparedQuery(ACTIVE_GRANTS).execute(Tuple.of(consumer, resource)).map(rows -> all(rows, PgSharingStore::grant));
  }

  @Override
  public Future<Optional<Grant>> endGrant(String id, Grant.Status status, String reason, String by, Instant at, AuditOf<Grant> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(END_GRANT).execute(Tuple.of(id, status.name(), reason, by, at(at)))
        .compose(rows -> AuditOf.ifPresent(audit).write(conn, first(rows, PgSharingStore::grant))));
  }

  @Override
  public Future<List<Grant>> endGrantsOfResource(String resource, String reason, String by, Instant at, AuditOf<List<Grant>> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(END_GRANTS_OF_RESOURCE).execute(Tuple.of(resource, reason, by, at(at)))
        .compose(rows -> audit.write(conn, all(rows, PgSharingStore::grant))));
  }

  @Override
  public Future<List<Grant>> removeItems(String resource, Set<String> keys, String reason, String by, Instant at,
      AuditOf<List<Grant>> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(REMOVE_ITEMS)
        .execute(Tuple.of(resource, keys.toArray(String[]::new), reason, by, at(at)))
        .compose(rows -> audit.write(conn, all(rows, PgSharingStore::grant))));
  }

  @Override
  public Future<List<Grant>> expireGrants(LocalDate today, Instant at, AuditOf<List<Grant>> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(EXPIRE_GRANTS).execute(Tuple.of(today, at(at)))
        .compose(rows -> audit.write(conn, all(rows, PgSharingStore::grant))));
  }

  @Override
  public Future<List<GrantChange>> grantChangesAfter(long changeSeq) {
    return pool.preparedQuery(GRANT_CHANGES).execute(Tuple.of(changeSeq))
        .map(rows -> all(rows, r -> new GrantChange(r.getString(0), r.getString(1), r.getLong(2))));
  }

  @Override
  public Future<Dispute> insertDispute(Dispute d, ApplicationEvent event, AuditOf<Dispute> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_DISPUTE)
            .execute(Tuple.from(Arrays.asList(d.id(), d.application(), d.resource(), d.consumer(), d.provider(), d.statement(),
                d.openedBy(), d.openedAt())))
            .compose(rows -> insertEvent(conn, event).compose(v -> audit.write(conn, dispute(rows.iterator().next())))))
        .recover(e -> Future.failedFuture(isUniqueViolation(e)
            ? Problem.conflict("application " + d.application() + " already has an open dispute; the bureau resolves it first")
            : e));
  }

  @Override
  public Future<Optional<Dispute>> dispute(String id) {
    return pool.preparedQuery(DISPUTE).execute(Tuple.of(id)).map(rows -> first(rows, PgSharingStore::dispute));
  }

  @Override
  public Future<List<Dispute>> disputes(DisputeFilter f, Optional<Long> beforeSeq, int limit) {
    return pool.preparedQuery(DISPUTES).execute(Tuple.from(Arrays.asList(f.department().orElse(null), f.side().orElse(null),
            f.status().map(Enum::name).orElse(null), beforeSeq.orElse(null), limit)))
        .map(rows -> all(rows, PgSharingStore::dispute));
  }

  @Override
  public Future<Optional<Resolution>> resolve(String id, Dispute.Status outcome, String note, String by, Instant at, Optional<Grant> grant,
      ApplicationEvent event, AuditOf<Resolution> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(RESOLVE)
        .execute(Tuple.of(id, outcome.name(), note, by, at(at), grant.map(Grant::id).orElse(null)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<Resolution>empty());
          }
          Dispute resolved = dispute(rows.iterator().next());
          Future<List<String>> superseded = grant.isEmpty() ? Future.succeededFuture(List.of()) : conn.preparedQuery(END_GRANTS_OF_APPLICATION)
              .execute(Tuple.of(resolved.application(), "superseded by the bureau's resolution of dispute " + id, by, at(at)))
              .compose(ended -> insertGrant(conn, grant.get()).map(v -> all(ended, r -> r.getString(0))));
          return superseded.compose(ended -> insertEvent(conn, event).compose(v -> audit.write(conn, new Resolution(resolved, ended))))
              .map(Optional::of);
        }));
  }

  private static Future<Void> insertGrant(SqlClient conn, Grant g) {
    return conn.preparedQuery(INSERT_GRANT).execute(Tuple.from(Arrays.asList(g.id(), g.application(), g.dispute(), g.resource(),
        g.consumer(), g.provider(), g.items().toArray(String[]::new), g.usage().name(), g.purpose(), g.conditions(), g.validUntil(),
        g.issuedAt(), g.clearItems().toArray(String[]::new)))).mapEmpty();
  }

  private static Future<Void> insertEvent(SqlClient conn, ApplicationEvent e) {
    return conn.preparedQuery(INSERT_EVENT).execute(Tuple.of(e.application(), e.at(), e.event(), e.clientId(), e.department(),
        e.detail())).mapEmpty();
  }


  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }



  private static List<String> strings(Row r, String column) {
    String[] values = r.getArrayOfStrings(column);
    return values == null ? null : List.of(values);
  }

  private static Application application(Row r) {
    return new Application(r.getLong("seq"), r.getString("id"), r.getString("resource"), r.getInteger("resource_version"),
        r.getString("consumer"), r.getString("provider"), strings(r, "items"), r.getString("purpose"), Usage.valueOf(r.getString("usage")),
        r.getLocalDate("valid_until"), Application.Status.valueOf(r.getString("status")), r.getString("submitted_by"),
        r.getOffsetDateTime("submitted_at"), r.getOffsetDateTime("decision_due"), r.getOffsetDateTime("overdue_notified_at"),
        r.getOffsetDateTime("closed_at"), r.getString("decided_by"), r.getString("decision_reason"), strings(r, "decision_items"),
        r.getString("decision_conditions"), r.getLocalDate("decision_valid_until"), r.getInteger("decision_working_days"),
        strings(r, "decision_clear_items"));
  }

  private static Grant grant(Row r) {
    return new Grant(r.getLong("seq"), r.getString("id"), r.getString("application"), r.getString("dispute"), r.getString("resource"),
        r.getString("consumer"), r.getString("provider"), strings(r, "items"), strings(r, "clear_items"), Usage.valueOf(r.getString("usage")),
        r.getString("purpose"), r.getString("conditions"), r.getLocalDate("valid_until"), Grant.Status.valueOf(r.getString("status")),
        r.getOffsetDateTime("issued_at"), r.getOffsetDateTime("ended_at"), r.getString("end_reason"), r.getString("ended_by"));
  }

  private static Dispute dispute(Row r) {
    return new Dispute(r.getLong("seq"), r.getString("id"), r.getString("application"), r.getString("resource"), r.getString("consumer"),
        r.getString("provider"), r.getString("statement"), Dispute.Status.valueOf(r.getString("status")), r.getString("opened_by"),
        r.getOffsetDateTime("opened_at"), r.getString("resolution_note"), r.getString("resolved_by"), r.getOffsetDateTime("resolved_at"),
        r.getString("grant_id"));
  }
}

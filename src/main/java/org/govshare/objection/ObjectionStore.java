package org.govshare.objection;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.govshare.access.RecordStore.Fixed;
import org.govshare.audit.AuditOf;

/** Objections, their history, and which items of which records are under verification. */
public interface ObjectionStore {
  /** {@code department} with {@code side} (consumer/provider/either), or every department when empty. */
  record Filter(Optional<String> department, Optional<String> side, Optional<Objection.Status> status, Optional<Boolean> overdue,
      Optional<String> resource, Instant now) {}

  /** Inserts an OPEN objection with its FILED event and audit record; 409 when the item already has an open one. */
  Future<Objection> insert(Objection draft, ObjectionEvent filed, AuditOf<Objection> audit);

  Future<Optional<Objection>> objection(String id);

  Future<List<ObjectionEvent>> history(String id);

  Future<List<Objection>> objections(Filter filter, Optional<Long> beforeSeq, int limit);

  /**
   * Answers an OPEN objection in one transaction: the record fix (when correcting; empty when the
   * record is gone, which fails the answer), the objection's new state, its event and audit records.
   * Empty when the objection was no longer OPEN.
   */
  Future<Optional<Objection>> answer(String id, Objection.Answer answer, Optional<Function<SqlConnection, Future<Optional<Fixed>>>> fix,
      ObjectionEvent event, AuditOf<Objection> audit);

  /** Flags up to {@code limit} open objections past their answerDue, each once across instances. */
  Future<List<Objection>> claimOverdue(Instant now, int limit, AuditOf<List<Objection>> audit);

  Future<Boolean> hasOpen(String resource);

  /** For each of {@code keys} with open objections on {@code resource}, the items they name. */
  Future<Map<String, Set<String>>> openItems(String resource, Collection<String> keys);
}

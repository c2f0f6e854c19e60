package org.govshare.audit;

import org.govshare.kernel.AuditEntry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes audit records into {@code audit_outbox} on the connection of a state change, inside its
 * transaction. Once that transaction commits, the instance's {@link AuditWriter} is told to chain
 * them; a periodic sweep picks up what a crash or another instance left behind.
 */
public final class AuditOutbox {
  static final String INSERT = """
      INSERT INTO audit_outbox (at, request_id, client_id, department, action, resource, subject, outcome, detail)
      SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                           $8::text[], $9::text[])""";
  // the writer of each Vert.x instance (tests run several platforms in one JVM), told after each commit
  private static final Map<Vertx, Runnable> CHAINERS = new ConcurrentHashMap<>();

  private AuditOutbox() {}

  static void register(Vertx vertx, Runnable chainer) {
    CHAINERS.put(vertx, chainer);
  }

  static void unregister(Vertx vertx, Runnable chainer) {
    CHAINERS.remove(vertx, chainer);
  }

  public static Future<Void> insert(SqlConnection conn, AuditEntry entry) {
    return insert(conn, List.of(entry));
  }

  public static Future<Void> insert(SqlConnection conn, List<AuditEntry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = entries.size();
    OffsetDateTime[] ats = new OffsetDateTime[n];
    String[] requestIds = new String[n], clients = new String[n], departments = new String[n], actions = new String[n],
        resources = new String[n], subjects = new String[n], outcomes = new String[n], details = new String[n];
    for (int i = 0; i < n; i++) {
      AuditEntry e = entries.get(i).sanitized();
      ats[i] = e.at().atOffset(ZoneOffset.UTC);
      requestIds[i] = e.requestId();
      clients[i] = e.clientId();
      departments[i] = e.department();
      actions[i] = e.action().name();
      resources[i] = e.resource();
      subjects[i] = e.subject();
      outcomes[i] = e.outcome().name();
      details[i] = e.encodedDetail();
    }
    Transaction tx = conn.transaction();
    Context context = Vertx.currentContext();
    Runnable chainer = context == null ? null : CHAINERS.get(context.owner());
    if (tx != null && chainer != null) {
      tx.completion().onSuccess(v -> chainer.run());
    }
    return conn.preparedQuery(INSERT)
        .execute(Tuple.tuple(List.of(ats, requestIds, clients, departments, actions, resources, subjects, outcomes, details)))
        .mapEmpty();
  }
}

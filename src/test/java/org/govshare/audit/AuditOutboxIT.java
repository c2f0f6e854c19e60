package org.govshare.audit;

import org.govshare.kernel.Outcome;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;
import org.govshare.identity.PgIdentityStore;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** The outbox against the real database: a record lives and dies with the transaction of its change. */
class AuditOutboxIT {
  private final TestServer server = TestServer.shared();
  private final Pool pool = server.platform().pool();

  @Test
  void insert_rolledBackWithItsChange_leavesNoRecord() throws Exception {
    String requestId = "rollback-" + System.nanoTime();
    Future<Void> failed = pool.withTransaction(conn -> AuditOutbox.insert(conn, AuditEntry.of(Caller.system(requestId),
            AuditAction.CATALOG_UPDATE, null, "never", Outcome.OK, new JsonObject()))
        .compose(v -> Future.failedFuture(new IllegalStateException("the change failed after its record was written"))));
    assertThatThrownBy(() -> await(failed)).hasMessageContaining("the change failed");
    await(server.platform().auditWriter().catchUp());

    assertThat(count("SELECT count(*) FROM audit_outbox WHERE request_id = $1", requestId)).isZero();
    assertThat(count("SELECT count(*) FROM audit_log WHERE request_id = $1", requestId)).isZero();
  }

  @Test
  void storeChange_whoseRecordCannotBeWritten_isRolledBack() throws Exception {
    String code = "OBX" + Long.toString(System.nanoTime() % 1_000_000, 36).toUpperCase();
    Future<?> failed = new PgIdentityStore(pool).insertDepartment(code, "x", "DEPARTMENT", null, saved -> {
      throw new IllegalStateException("no record for " + saved.code());
    });
    assertThatThrownBy(() -> await(failed)).hasMessageContaining("no record for " + code);

    assertThat(count("SELECT count(*) FROM department WHERE code = $1", code)).isZero();
  }

  @Test
  void storeChange_committed_isChainedWithItsRecord() throws Exception {
    String code = "OBY" + Long.toString(System.nanoTime() % 1_000_000, 36).toUpperCase();
    await(new PgIdentityStore(pool).insertDepartment(code, "y", "DEPARTMENT", null, AuditOf.one(d -> AuditEntry.of(
        Caller.system("outbox-it"), AuditAction.DEPARTMENT_CREATE, null, d.code(), Outcome.OK, d.toJson()))));
    await(server.platform().auditWriter().catchUp());

    assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'DEPARTMENT_CREATE' AND subject = $1", code)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM audit_outbox WHERE subject = $1", code)).isZero();
  }

  private long count(String sql, String arg) throws Exception {
    return await(pool.preparedQuery(sql).execute(Tuple.of(arg))).iterator().next().getLong(0);
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }
}

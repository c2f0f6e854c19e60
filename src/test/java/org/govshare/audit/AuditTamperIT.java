package org.govshare.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Edits the audit table behind the platform's back, as an intruder with database access would. */
class AuditTamperIT {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of());
    for (int i = 0; i < 5; i++) {
      server.department("TAMPER");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void verify_namesTheFirstBrokenRecord() throws Exception {
    String admin = server.adminToken();
    assertThat(verify(admin).getBoolean("ok")).isTrue();

    sql("UPDATE audit_log SET detail = '{\"forged\":true}' WHERE seq = 4");
    JsonObject edited = verify(admin);
    assertThat(edited.getBoolean("ok")).isFalse();
    assertThat(edited.getLong("firstBrokenSeq")).isEqualTo(4);
    assertThat(edited.getString("reason")).isEqualTo("CONTENT_CHANGED");

    sql("DELETE FROM audit_log WHERE seq = 3");
    JsonObject deleted = verify(admin);
    assertThat(deleted.getBoolean("ok")).isFalse();
    assertThat(deleted.getLong("firstBrokenSeq")).isEqualTo(3);
    assertThat(deleted.getString("reason")).isEqualTo("MISSING");
  }

  @Test
  void verify_detectsInsertedAndTruncatedRecords() throws Exception {
    TestServer fresh = TestServer.start(Map.of());
    try {
      String admin = fresh.adminToken();
      fresh.department("INS");
      assertThat(verify(fresh, admin).getBoolean("ok")).isTrue();
      // under the writer's own lock, so a record the platform is writing right now cannot take the same seq
      long intruder = fresh.platform().pool()
          .withTransaction(conn -> conn.query("SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE").execute()
              .compose(v -> conn.query("INSERT INTO audit_log (seq, at, action, outcome, detail, prev_hash, hash) "
                  + "SELECT max(seq) + 1, now(), 'CLIENT_CREATE', 'OK', '{}', 'x', 'y' FROM audit_log RETURNING seq").execute()))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
      JsonObject inserted = verify(fresh, admin);
      assertThat(inserted.getBoolean("ok")).isFalse();
      assertThat(inserted.getLong("firstBrokenSeq")).isEqualTo(intruder);

      // the log keeps working after the intrusion: records go on after the foreign one
      fresh.department("INS2");
      assertThat(verify(fresh, admin).getLong("firstBrokenSeq")).isEqualTo(intruder);

      execute(fresh, "DELETE FROM audit_log WHERE seq >= $1", Tuple.of(2L));
      JsonObject truncated = verify(fresh, admin);
      assertThat(truncated.getBoolean("ok")).isFalse();
      assertThat(truncated.getLong("firstBrokenSeq")).isEqualTo(2);
    } finally {
      fresh.close();
    }
  }

  private static JsonObject verify(String token) {
    return verify(server, token);
  }

  private static JsonObject verify(TestServer s, String token) {
    return s.http().get("/api/v1/audit/verify").as(token).expect(200).json();
  }

  private static void sql(String statement) throws Exception {
    execute(server, statement, Tuple.tuple());
  }

  private static void execute(TestServer s, String statement, Tuple args) throws Exception {
    s.platform().pool().preparedQuery(statement).execute(args).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}

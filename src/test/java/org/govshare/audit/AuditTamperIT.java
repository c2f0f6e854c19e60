package org.govshare.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void verify_detectsTruncationEvenWithTheHeadReset() throws Exception {
    TestServer fresh = TestServer.start(Map.of());
    try {
      String admin = fresh.adminToken();
      for (int i = 0; i < 4; i++) {
        fresh.department("TRUNC");
      }
      long last = verify(fresh, admin).getLong("lastSeq");
      // the verification's own record (last + 1) is committed first: an append still waiting for the head
      // lock during the intrusion would take its seq from the rows it saw before and leave a gap (MISSING)
      awaitCheckpoint(fresh, last + 1);
      long keep = last - 3;
      // an intruder with database access removes the newest records and makes the head match what is left
      fresh.platform().pool().withTransaction(conn -> conn.query("SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE").execute()
              .compose(v -> conn.preparedQuery("DELETE FROM audit_log WHERE seq > $1").execute(Tuple.of(keep)))
              .compose(v -> conn.preparedQuery("UPDATE audit_head SET last_seq = seq, last_hash = hash FROM audit_log "
                  + "WHERE id = 1 AND audit_log.seq = $1").execute(Tuple.of(keep))))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      JsonObject truncated = verify(fresh, admin);
      assertThat(truncated.getBoolean("ok")).isFalse();
      assertThat(truncated.getString("reason")).isEqualTo("TRUNCATED");
      assertThat(truncated.getLong("firstBrokenSeq")).isEqualTo(keep + 1);
      assertThat(truncated.getString("detail")).contains("records " + (keep + 1) + "..");
    } finally {
      fresh.close();
    }
  }

  @Test
  void verify_detectsAChainRewrittenWithRecomputedHashes() throws Exception {
    TestServer fresh = TestServer.start(Map.of());
    try {
      String admin = fresh.adminToken();
      for (int i = 0; i < 4; i++) {
        fresh.department("REWR");
      }
      long last = verify(fresh, admin).getLong("lastSeq");
      awaitCheckpoint(fresh, last);
      long target = 3;
      fresh.platform().pool().withTransaction(conn -> conn.query("SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE").execute()
              .compose(v -> conn.preparedQuery("SELECT " + PgAuditStore.COLUMNS + " FROM audit_log WHERE seq >= $1 ORDER BY seq")
                  .execute(Tuple.of(target - 1)))
              .compose(rows -> {
                List<AuditRecord> records = new ArrayList<>();
                rows.forEach(r -> records.add(AuditRecord.from(r)));
                String prev = records.get(0).hash();
                List<Tuple> updates = new ArrayList<>();
                for (AuditRecord r : records.subList(1, records.size())) {
                  String detail = r.seq() == target ? "{\"forged\":true}" : r.detail();
                  String hash = AuditChain.hash(r.seq(), r.at(), r.requestId(), r.clientId(), r.department(), r.action(), r.resource(),
                      r.subject(), r.outcome(), detail, prev);
                  updates.add(Tuple.of(r.seq(), detail, prev, hash));
                  prev = hash;
                }
                String newHead = prev;
                return conn.preparedQuery("UPDATE audit_log SET detail = $2, prev_hash = $3, hash = $4 WHERE seq = $1")
                    .executeBatch(updates)
                    .compose(v -> conn.preparedQuery("UPDATE audit_head SET last_hash = $1 WHERE id = 1").execute(Tuple.of(newHead)));
              }))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      JsonObject rewritten = verify(fresh, admin);
      assertThat(rewritten.getBoolean("ok")).as(rewritten.encode()).isFalse();
      assertThat(rewritten.getString("reason")).isEqualTo("CHECKPOINT_MISMATCH");
      // the verification's own record (last + 1) was checkpointed too
      assertThat(rewritten.getLong("firstBrokenSeq")).isBetween(target, last + 1);
    } finally {
      fresh.close();
    }
  }

  /** Checkpoints are written just after each commit, off the request path. */
  private static void awaitCheckpoint(TestServer s, long seq) throws Exception {
    Path file = s.dataDir().resolve("audit-checkpoint");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Long.parseLong(Files.readString(file).trim().split(" ")[0]) >= seq) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no checkpoint of record " + seq + " in " + file);
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

package org.govshare.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.govshare.testing.Http.Reply;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** A state change and its audit record commit together, whatever else is going on. */
class AuditAtomicityIT {
  private final TestServer server = TestServer.shared();

  @Test
  void burstOfChanges_besideNulFlood_everyChangeHasExactlyOneRecord() throws Exception {
    String admin = server.adminToken();
    String prefix = "ATOM" + Long.toString(System.nanoTime() % 1_000_000, 36).toUpperCase();
    ExecutorService pool = Executors.newFixedThreadPool(24);
    try {
      List<Future<Reply>> creates = new ArrayList<>();
      List<Future<Reply>> flood = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String code = prefix + "-" + i;
        creates.add(pool.submit(() -> server.http().post("/api/v1/departments",
            new JsonObject().put("code", code).put("name", "部门 " + code).put("kind", "DEPARTMENT")).as(admin).send()));
        for (int j = 0; j < 2; j++) {
          String bad = "x\u0000" + i + "-" + j;
          flood.add(pool.submit(() -> server.http().post("/api/v1/auth/token", new JsonObject().put("grant_type", "client_credentials")
              .put("client_id", bad).put("client_secret", "s\u0000" + bad)).send()));
        }
      }
      for (Future<Reply> f : creates) {
        Reply r = f.get(120, TimeUnit.SECONDS);
        assertThat(r.status()).as("%s answered %s", r.what(), r.body()).isEqualTo(201);
      }
      for (Future<Reply> f : flood) {
        Reply r = f.get(120, TimeUnit.SECONDS);
        // a refusal whose audit record the database refused used to fail its whole batch with 503
        assertThat(r.status()).as("%s answered %s", r.what(), r.body()).isBetween(400, 499);
        assertThat(r.header("Content-Type")).as("%s content type", r.what()).startsWith("application/problem+json");
        assertThat(r.json().getInteger("status")).as("%s answered %s", r.what(), r.body()).isEqualTo(r.status());
      }
    } finally {
      pool.shutdownNow();
    }

    // listing brings every committed outbox row into the chain first
    server.http().get("/api/v1/audit?limit=1").as(admin).expect(200);
    Map<String, Long> records = new HashMap<>();
    for (Row r : sql("SELECT subject, count(*) FROM audit_log WHERE action = 'DEPARTMENT_CREATE' AND subject LIKE $1 GROUP BY subject",
        Tuple.of(prefix + "-%"))) {
      records.put(r.getString(0), r.getLong(1));
    }
    List<String> departments = new ArrayList<>();
    sql("SELECT code FROM department WHERE code LIKE $1", Tuple.of(prefix + "-%")).forEach(r -> departments.add(r.getString(0)));

    assertThat(departments).hasSize(200);
    assertThat(records.keySet()).as("no record without its change").containsExactlyInAnyOrderElementsOf(departments);
    assertThat(records.values()).as("exactly one record per change").allMatch(n -> n == 1);
    assertThat(sql("SELECT count(*) FROM audit_outbox", Tuple.tuple()).iterator().next().getLong(0)).isZero();
  }

  @Test
  void verify_duringWriteBurst_isAlwaysOk() throws Exception {
    String admin = server.adminToken();
    String prefix = "VB" + Long.toString(System.nanoTime() % 1_000_000, 36).toUpperCase();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Future<?>> writers = new ArrayList<>();
    try {
      for (int w = 0; w < 6; w++) {
        int worker = w;
        writers.add(pool.submit(() -> {
          for (int i = 0; writing.get() && i < 400; i++) {
            server.http().post("/api/v1/departments", new JsonObject().put("code", prefix + "-" + worker + "-" + i)
                .put("name", "部门").put("kind", "DEPARTMENT")).as(admin).expect(201);
            server.http().get("/api/v1/departments/" + prefix + "-" + worker + "-" + i).as(admin).expect(200);
          }
        }));
      }
      List<JsonObject> results = new ArrayList<>();
      for (int i = 0; i < 15; i++) {
        results.add(server.http().get("/api/v1/audit/verify").as(admin).expect(200).json());
      }
      assertThat(results).allSatisfy(r -> assertThat(r.getBoolean("ok")).as(r.encode()).isTrue());
      assertThat(writers).as("the burst was still running while verifying").anyMatch(f -> !f.isDone());
    } finally {
      writing.set(false);
      for (Future<?> f : writers) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
    }
  }

  private io.vertx.sqlclient.RowSet<Row> sql(String statement, Tuple args) throws Exception {
    return server.platform().pool().preparedQuery(statement).execute(args).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }
}

package org.govshare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.govshare.testing.CatalogEntries;
import org.govshare.testing.ClusteredPair;
import org.govshare.testing.TestServer;
import org.govshare.testing.TestServer.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances clustered over Hazelcast on one database (one pair for the class: each start costs
 * seconds). The promise: once a change is answered 2xx on one instance, the next request on the
 * other sees it.
 */
class ClusterIT {
  private static ClusteredPair pair;
  private static TestServer a;
  private static TestServer b;

  @BeforeAll
  static void start() {
    // the polls (the safety net) so slow that only the invalidation can explain what these tests see
    pair = ClusteredPair.start(Map.of("token.revocation-poll-ms", "60000", "sharing.poll-ms", "60000"));
    a = pair.a;
    b = pair.b;
  }

  @AfterAll
  static void stop() {
    pair.close();
  }

  @Test
  void readiness_reportsClusteredMode_bothMembers_andThisNode() {
    JsonObject onA = cluster(a);
    JsonObject onB = cluster(b);
    assertThat(onA.getString("status")).isEqualTo("UP");
    assertThat(onA.getString("mode")).isEqualTo("clustered");
    assertThat(onA.getJsonArray("members")).hasSize(2);
    assertThat(onB.getJsonArray("members")).isEqualTo(onA.getJsonArray("members"));
    assertThat(onA.getString("node")).isNotBlank().isNotEqualTo(onB.getString("node"));
    assertThat(onA.getString("caches")).isEqualTo("serving");
  }

  @Test
  void standalone_reportsItsMode() {
    JsonObject shared = cluster(TestServer.shared());
    assertThat(shared.getString("mode")).isEqualTo("standalone");
    assertThat(shared.getJsonArray("members")).isEmpty();
    assertThat(shared.getString("node")).isNotBlank();
  }

  @Test
  void clientRevokedOnA_nextCallOnB_isRefused_whileBIsUnderLoad() throws Exception {
    String dept = a.department("CLU");
    Client busy = a.client(dept, "CONSUMER");
    String busyToken = a.tokenFor(busy);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger served = new AtomicInteger();
    ExecutorService load = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) {
      load.submit(() -> {
        while (running.get()) {
          if (b.http().get("/api/v1/departments/" + dept).as(busyToken).send().status() == 200) {
            served.incrementAndGet();
          }
        }
      });
    }
    try {
      for (int round = 0; round < 20; round++) {
        Client c = a.client(dept, "CONSUMER");
        String token = a.tokenFor(c);
        // B has verified and cached this token and its client's state
        b.http().get("/api/v1/departments/" + dept).as(token).expect(200);
        b.http().get("/api/v1/departments/" + dept).as(token).expect(200);

        a.http().delete("/api/v1/clients/" + c.clientId()).as(a.adminToken()).expect(204);
        b.http().get("/api/v1/departments/" + dept).as(token).expectProblem(401, "UNAUTHENTICATED");
      }
    } finally {
      running.set(false);
      load.shutdown();
      load.awaitTermination(10, TimeUnit.SECONDS);
    }
    assertThat(served.get()).isPositive();
  }

  @Test
  void secretRotatedOnB_oldTokenRefusedOnA_atOnce() {
    Client c = a.client(a.department("ROT"), "CONSUMER");
    String token = a.tokenFor(c);
    a.http().get("/api/v1/departments").as(token).expect(200);
    b.http().post("/api/v1/clients/" + c.clientId() + "/secret").as(b.adminToken()).expect(200);
    a.http().get("/api/v1/departments").as(token).expectProblem(401, "UNAUTHENTICATED");
  }

  @Test
  void grantRevokedOnA_nextCheckOnB_refuses() {
    String providerDept = a.department("PRV");
    String consumerDept = a.department("CON");
    String provider = a.tokenFor(a.client(providerDept, "PROVIDER"));
    String consumer = a.tokenFor(a.client(consumerDept, "CONSUMER"));
    JsonObject entry = CatalogEntries.departmental(providerDept, "集群测试资源 " + UUID.randomUUID()).put("shareType", "CONDITIONAL")
        .put("items", new JsonArray().add(CatalogEntries.item("site", "场所", "C", 50).put("isKey", true).put("shareType", "UNCONDITIONAL"))
            .add(CatalogEntries.item("hazard", "隐患", "C", 50).put("shareType", "CONDITIONAL")));
    String code = a.http().post("/api/v1/catalog/resources", entry).as(provider).expect(201).json().getString("code");
    a.http().post(CatalogEntries.path(code) + "/publish").as(provider).expect(200);
    String app = a.http().post("/api/v1/applications", new JsonObject().put("resource", code).put("items", new JsonArray().add("hazard"))
        .put("purpose", "核验最低生活保障申请人的家庭收入").put("usage", "DATA_VERIFICATION")).as(consumer).expect(201).json().getString("id");
    String grant = a.http().post("/api/v1/applications/" + app + "/decision", new JsonObject().put("decision", "APPROVE"))
        .as(provider).expect(200).json().getString("grant");
    String check = "/api/v1/grants/check?resource=" + code;
    // issued on A: B has no stale "nothing granted" either
    assertThat(b.http().get(check).as(consumer).expect(200).json().getJsonArray("items").getList()).containsExactly("hazard", "site");
    assertThat(b.http().get(check).as(consumer).expect(200).json().getJsonArray("items").getList()).containsExactly("hazard", "site");

    a.http().post("/api/v1/grants/" + grant + "/revoke", new JsonObject().put("reason", "消费部门超出申请用途使用数据，向第三方提供"))
        .as(provider).expect(200);
    assertThat(b.http().get(check).as(consumer).expect(200).json().getJsonArray("items").getList()).containsExactly("site");

    a.http().post(CatalogEntries.path(code) + "/retire").as(provider).expect(200);
    assertThat(b.http().get(check).as(consumer).expect(200).json().getJsonArray("items")).isEmpty();
  }

  @Test
  void calendarYearSetOnA_isUsedOnB_atOnce() {
    JsonObject year = new JsonObject().put("holidays", new JsonArray().add("2040-01-02")).put("workdays", new JsonArray())
        .put("source", "集群测试");
    a.http().put("/api/v1/calendar/2040", year).as(a.adminToken()).expect(200);
    JsonObject onB = b.http().get("/api/v1/calendar/2040").as(b.adminToken()).expect(200).json();
    assertThat(onB.getString("origin")).isEqualTo("BUREAU");
    assertThat(onB.getJsonArray("holidays").getList()).containsExactly("2040-01-02");
  }

  /**
   * An instance that stops answering (paused, cut off): a write waits for it at most the lease, and
   * its lease has run out by then. Played by a heartbeat row kept fresh and an event-bus address that
   * never replies.
   */
  @Test
  void unansweringInstance_delaysAWrite_byAtMostTheLease() throws Exception {
    String silent = "silent-" + UUID.randomUUID();
    a.platform().vertx().eventBus().consumer("govshare.invalidation." + silent, m -> { }).completion()
        .toCompletionStage().toCompletableFuture().get();
    AtomicBoolean beating = new AtomicBoolean(true);
    Thread heart = new Thread(() -> {
      while (beating.get()) {
        try {
          a.platform().pool().preparedQuery("INSERT INTO cluster_node (node_id, polled_at) VALUES ($1, now()) "
              + "ON CONFLICT (node_id) DO UPDATE SET polled_at = now()").execute(Tuple.of(silent))
              .toCompletionStage().toCompletableFuture().get();
          Thread.sleep(100);
        } catch (Exception e) {
          return;
        }
      }
    });
    heart.start();
    try {
      Thread.sleep(300);
      Client c = a.client(a.department("SIL"), "CONSUMER");
      String token = a.tokenFor(c);
      b.http().get("/api/v1/departments").as(token).expect(200);
      long started = System.nanoTime();
      a.http().delete("/api/v1/clients/" + c.clientId()).as(a.adminToken()).expect(204);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      // waited for the silent one's lease (1 s), not forever; B answered and refuses at once
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(10));
      b.http().get("/api/v1/departments").as(token).expectProblem(401, "UNAUTHENTICATED");
    } finally {
      beating.set(false);
      heart.join();
      a.platform().pool().preparedQuery("DELETE FROM cluster_node WHERE node_id = $1").execute(Tuple.of(silent))
          .toCompletionStage().toCompletableFuture().get();
    }
  }

  /**
   * An instance that cannot renew its lease (its heartbeat row is held locked, as when it cannot reach
   * the database in time) stops answering from its caches: a change it was never told of is seen at
   * once, and it serves from caches again only after a renewal, with its caches cleared.
   */
  @Test
  void instanceWithoutAFreshLease_readsThroughToTheDatabase() throws Exception {
    Client c = a.client(a.department("LSE"), "CONSUMER");
    String token = a.tokenFor(c);
    b.http().get("/api/v1/departments").as(token).expect(200);
    String nodeB = cluster(b).getString("node");
    io.vertx.core.Promise<Void> release = io.vertx.core.Promise.promise();
    io.vertx.core.Promise<Void> locked = io.vertx.core.Promise.promise();
    io.vertx.core.Future<Void> held = a.platform().pool().withTransaction(conn -> conn
        .preparedQuery("SELECT node_id FROM cluster_node WHERE node_id = $1 FOR UPDATE").execute(Tuple.of(nodeB))
        .compose(rows -> {
          locked.complete();
          return release.future();
        }));
    try {
      locked.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long deadline = System.currentTimeMillis() + 10_000;
      while (!"read-through".equals(cluster(b).getString("caches")) && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(cluster(b).getString("caches")).isEqualTo("read-through");
      // revoked behind every cache's back: no invalidation, no change sequence
      a.platform().pool().preparedQuery("UPDATE api_client SET status = 'REVOKED', credential_version = credential_version + 1 "
          + "WHERE client_id = $1").execute(Tuple.of(c.clientId())).toCompletionStage().toCompletableFuture().get();
      b.http().get("/api/v1/departments").as(token).expectProblem(401, "UNAUTHENTICATED");
    } finally {
      release.complete();
      held.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (!"serving".equals(cluster(b).getString("caches")) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(cluster(b).getString("caches")).isEqualTo("serving");
    b.http().get("/api/v1/departments").as(token).expectProblem(401, "UNAUTHENTICATED");
  }

  /**
   * The invalidation messages to B are lost (dropped on arrival), while B keeps renewing its lease: A
   * waits the lease out, and B has dropped the change at a heartbeat by then.
   */
  @Test
  void lostInvalidation_isMadeUpByTheHeartbeat() {
    Client c = a.client(a.department("LST"), "CONSUMER");
    String token = a.tokenFor(c);
    b.http().get("/api/v1/departments").as(token).expect(200);
    io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> lose = ctx -> {
      if (!ctx.message().address().startsWith("govshare.invalidation.")) {
        ctx.next();
      }
    };
    b.platform().vertx().eventBus().addInboundInterceptor(lose);
    try {
      long started = System.nanoTime();
      a.http().delete("/api/v1/clients/" + c.clientId()).as(a.adminToken()).expect(204);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900))
          .isLessThan(Duration.ofSeconds(10));
      b.http().get("/api/v1/departments").as(token).expectProblem(401, "UNAUTHENTICATED");
    } finally {
      b.platform().vertx().eventBus().removeInboundInterceptor(lose);
    }
  }

  private static JsonObject cluster(TestServer s) {
    return s.http().get("/health/ready").expect(200).json().getJsonObject("checks").getJsonObject("cluster");
  }
}

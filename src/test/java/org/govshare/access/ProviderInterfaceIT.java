package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.access.DataWorld.id;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.govshare.access.DataWorld.Party;
import org.govshare.testing.CatalogEntries;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PROXY resources over real HTTP: the platform calls a provider interface (a small Vert.x stub on
 * 127.0.0.1) and serves, scopes, masks and audits what it answers like hosted records; down, slow,
 * redirecting, misbehaving and non-allowed interfaces are refused with problem+json.
 */
class ProviderInterfaceIT {
  private static final int TIMEOUT_MS = 800;
  private static final String A = id("410727", "19900307", "123");
  private static final String B = id("110105", "19491231", "002");
  private static final String NOBODY = id("320102", "19800101", "555");

  private static Vertx stubVertx;
  private static HttpServer stub;
  private static int port;
  private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
  private static volatile boolean flakyDown;
  private static TestServer server;
  private static DataWorld w;
  private static Http http;

  @BeforeAll
  static void start() throws Exception {
    stubVertx = Vertx.vertx();
    Router r = Router.router(stubVertx);
    r.route().handler(BodyHandler.create());
    r.route().handler(ctx -> {
      String first = ctx.request().path().split("/")[1];
      HITS.computeIfAbsent(first, k -> new AtomicInteger()).incrementAndGet();
      ctx.next();
    });
    r.get("/people/:key").handler(ctx -> person(ctx, ctx.pathParam("key")));
    r.get("/people").handler(ctx -> person(ctx, ctx.queryParams().get("key")));
    r.post("/people").handler(ctx -> person(ctx, ctx.body().asJsonObject().getString("key")));
    r.get("/slow/:key").handler(ctx -> {}); // never answers
    r.get("/redirect/:key").handler(ctx -> ctx.response().setStatusCode(302)
        .putHeader("Location", "http://127.0.0.1:" + port + "/people/" + ctx.pathParam("key")).end());
    r.get("/flaky/:key").handler(ctx -> {
      if (flakyDown) {
        ctx.response().setStatusCode(500).end("down");
      } else {
        person(ctx, ctx.pathParam("key"));
      }
    });
    r.get("/bad/:key").handler(ctx -> json(ctx, 200, new JsonObject().put("id_number", ctx.pathParam("key")).put("income", "很多")));
    r.get("/huge/:key").handler(ctx -> json(ctx, 200, new JsonObject().put("id_number", ctx.pathParam("key")).put("name", "x".repeat(10_000))));
    r.get("/other/:key").handler(ctx -> json(ctx, 200, new JsonObject().put("id_number", B).put("name", "别人")));
    r.route().handler(ctx -> ctx.response().setStatusCode(404).end());
    stub = stubVertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    port = stub.actualPort();
    server = TestServer.start(Map.of(
        "proxy.allowed-hosts", "127.0.0.1",
        "proxy.response-timeout-ms", String.valueOf(TIMEOUT_MS),
        "proxy.connect-timeout-ms", "500",
        "proxy.max-response-bytes", "4096",
        "proxy.breaker-failures", "3",
        "proxy.breaker-reset-ms", "1000",
        "proxy.max-concurrent-per-provider", "2",
        "proxy.max-waiting-per-provider", "1"));
    w = new DataWorld(server);
    http = w.http;
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (stubVertx != null) {
      stubVertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private static final Map<String, JsonObject> PEOPLE = Map.of(
      A, new JsonObject().put("id_number", A).put("name", "张三").put("birth_date", "1990-03-07").put("income", 3200)
          .put("address", "河南省新乡市").put("internal_row_id", 77),
      B, new JsonObject().put("name", "王五").put("income", 1200)); // the key item left out: the platform fills it in

  private static void person(RoutingContext ctx, String key) {
    JsonObject p = key == null ? null : PEOPLE.get(key);
    if (p == null) {
      ctx.response().setStatusCode(404).end();
    } else {
      json(ctx, 200, p);
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static int hits(String path) {
    return HITS.computeIfAbsent(path, k -> new AtomicInteger()).get();
  }

  /** A CONDITIONAL person resource served by the stub at {@code endpoint} (relative to the stub unless absolute). */
  private String proxied(Party provider, String endpoint, String method) {
    JsonArray items = new JsonArray()
        .add(w.element(CatalogEntries.item("id_number", "公民身份号码", "C", 18).put("isKey", true).put("sensitive", true), "citizen_id_number"))
        .add(CatalogEntries.item("name", "姓名", "C", 50))
        .add(CatalogEntries.item("birth_date", "出生日期", "D", null))
        .add(CatalogEntries.item("income", "月收入", "N", 8))
        .add(CatalogEntries.item("address", "住址", "C", 100).put("shareType", "NOT_SHARED").put("notSharedBasis", "《个人信息保护法》第二十八条"));
    String url = endpoint.startsWith("http") ? endpoint : "http://127.0.0.1:" + port + endpoint;
    JsonObject access = new JsonObject().put("mode", "PROXY").put("endpoint", url).put("method", method);
    JsonObject entry = CatalogEntries.departmental(provider.department(), "低保对象信息（接口） " + System.nanoTime())
        .put("items", items).put("access", access);
    return w.register(provider, entry, "PUBLISHED");
  }

  private static JsonObject lastAudit(List<JsonObject> records) {
    assertThat(records).isNotEmpty();
    return records.get(0).getJsonObject("detail");
  }

  @Test
  void read_servesScopedAndMaskedLikeHosted() {
    Party provider = w.party("MZ", "PROVIDER");
    Party consumer = w.party("RS", "CONSUMER");
    Party stranger = w.party("ZJ", "CONSUMER");
    String code = proxied(provider, "/people/{key}", "GET");
    w.grant(provider, consumer, code, "id_number", "income");

    JsonObject seen = w.read(code, A).as(consumer.token()).expect(200).json();
    assertThat(seen.getJsonObject("record").getMap()).containsOnlyKeys("id_number", "income");
    assertThat(seen.getJsonObject("record").getString("id_number")).isEqualTo(A.substring(0, 6) + "********" + A.substring(14));
    assertThat(seen.getJsonArray("masked")).containsExactly("id_number");
    assertThat(seen.getInteger("version")).isZero();
    assertThat(seen.getString("resource")).isEqualTo(code);

    JsonObject own = w.read(code, A).as(provider.token()).expect(200).json().getJsonObject("record");
    assertThat(own.getMap()).containsOnlyKeys("id_number", "name", "birth_date", "income"); // never address, never unknown items
    assertThat(own.getString("id_number")).isEqualTo(A);
    assertThat(w.read(code, B).as(provider.token()).expect(200).json().getJsonObject("record").getString("id_number")).isEqualTo(B);

    int before = hits("people");
    w.read(code, A).as(stranger.token()).expectProblem(403, "FORBIDDEN");
    assertThat(hits("people")).as("a department that may read nothing causes no call").isEqualTo(before);

    JsonObject detail = lastAudit(w.audit(code, "DATA_READ").stream().filter(r -> "OK".equals(r.getString("outcome"))).toList());
    assertThat(detail.getString("source")).isEqualTo("PROXY");
    JsonObject call = detail.getJsonArray("upstream").getJsonObject(0);
    assertThat(call.getInteger("status")).isEqualTo(200);
    assertThat(call.getDouble("ms")).isNotNull();
    assertThat(detail.getJsonArray("items").getList()).isNotEmpty();
    assertThat(w.audit(code, "DATA_READ").toString()).doesNotContain("张三").doesNotContain("3200");
  }

  @Test
  void read_unknownKeyIs404AndAudited() {
    Party provider = w.party("MZ", "PROVIDER");
    String code = proxied(provider, "/people/{key}", "GET");
    w.read(code, NOBODY).as(provider.token()).expectProblem(404, "NOT_FOUND");
    JsonObject refusal = w.audit(code, "DATA_READ").get(0);
    assertThat(refusal.getString("outcome")).isEqualTo("DENIED");
    assertThat(refusal.getJsonObject("detail").getString("source")).isEqualTo("PROXY");
    assertThat(refusal.getJsonObject("detail").getJsonArray("upstream").getJsonObject(0).getInteger("status")).isEqualTo(404);
  }

  @Test
  void lookup_callsOncePerKeyWithTheKeyAsQueryParameter() {
    Party provider = w.party("MZ", "PROVIDER");
    String code = proxied(provider, "/people", "GET");
    int before = hits("people");
    JsonObject result = w.lookup(code, A, B.toLowerCase(), NOBODY).as(provider.token()).expect(200).json();
    assertThat(result.getJsonArray("records").stream().map(r -> ((JsonObject) r).getString("key"))).containsExactlyInAnyOrder(A, B);
    assertThat(result.getJsonArray("missing")).containsExactly(NOBODY);
    assertThat(hits("people") - before).isEqualTo(3);
    JsonObject detail = lastAudit(w.audit(code, "DATA_LOOKUP"));
    assertThat(detail.getJsonArray("upstream").size()).isEqualTo(3);
    assertThat(detail.getInteger("missing")).isEqualTo(1);
  }

  @Test
  void verify_comparesWithWhatAPostInterfaceAnswers() {
    Party provider = w.party("MZ", "PROVIDER");
    Party consumer = w.party("RS", "CONSUMER");
    String code = proxied(provider, "/people", "POST");
    w.grant(provider, consumer, code, "id_number", "income");
    JsonObject result = w.verify(code, A, new JsonObject().put("income", "3200.00")).as(consumer.token()).expect(200).json();
    assertThat(result.getBoolean("found")).isTrue();
    assertThat(result.getJsonObject("matches").getBoolean("income")).isTrue();
    assertThat(result.encode()).doesNotContain("张三");
    w.verify(code, A, new JsonObject().put("name", "张三")).as(consumer.token()).expectProblem(403, "FORBIDDEN");
    assertThat(w.verify(code, NOBODY, new JsonObject().put("income", 1)).as(consumer.token()).expect(200).json().getBoolean("found")).isFalse();
    assertThat(lastAudit(w.audit(code, "DATA_VERIFY")).getString("source")).isEqualTo("PROXY");
  }

  @Test
  void down_is502AndAuditedAsFailed() {
    Party provider = w.party("MZ", "PROVIDER");
    String code = proxied(provider, "http://127.0.0.1:" + closedPort() + "/people/{key}", "GET");
    w.read(code, A).as(provider.token()).expectProblem(502, "PROVIDER_UNREACHABLE");
    w.lookup(code, A, B).as(provider.token()).expectProblem(502, "PROVIDER_UNREACHABLE");
    JsonObject failed = w.audit(code, "DATA_READ").get(0);
    assertThat(failed.getString("outcome")).isEqualTo("FAILED");
    assertThat(failed.getJsonObject("detail").getJsonArray("upstream").getJsonObject(0).getString("error")).isEqualTo("UNREACHABLE");
  }

  @Test
  void slow_is504WithinTheTimeout() {
    Party provider = w.party("MZ", "PROVIDER");
    String code = proxied(provider, "/slow/{key}", "GET");
    long started = System.nanoTime();
    w.read(code, A).as(provider.token()).expectProblem(504, "PROVIDER_TIMEOUT");
    w.lookup(code, A, B, NOBODY).as(provider.token()).expectProblem(504, "PROVIDER_TIMEOUT");
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    // two operations, each bounded by the 800 ms timeout; the margin is for a busy build machine, not a measurement
    assertThat(elapsedMs).isLessThan(10_000);
    JsonArray calls = w.audit(code, "DATA_LOOKUP").get(0).getJsonObject("detail").getJsonArray("upstream");
    assertThat(calls.stream().map(c -> ((JsonObject) c).getString("error"))).contains("TIMEOUT");
  }

  @Test
  void busyProvider_excessCallsAreRefusedAtOnce() throws Exception {
    Party provider = w.party("MZ", "PROVIDER");
    String code = proxied(provider, "/slow/{key}", "GET");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
    try {
      List<java.util.concurrent.Future<Integer>> replies = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        replies.add(pool.submit(() -> w.read(code, A).as(provider.token()).send().status()));
      }
      List<Integer> statuses = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Integer> r : replies) {
        statuses.add(r.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      // at any moment 2 are in flight and 1 waits, each ending in 504 at its deadline; calls beyond those are
      // refused without waiting (503 PROVIDER_BUSY), or with 502 once the timeouts opened the circuit
      assertThat(statuses).isSubsetOf(502, 503, 504).contains(503);
    } finally {
      pool.shutdownNow();
    }
    assertThat(w.audit(code, "DATA_READ").stream().map(r -> r.getJsonObject("detail").getString("code"))).contains("PROVIDER_BUSY");
  }

  @Test
  void redirect_isNotFollowed() {
    Party provider = w.party("MZ", "PROVIDER");
    String code = proxied(provider, "/redirect/{key}", "GET");
    int before = hits("people");
    w.read(code, A).as(provider.token()).expectProblem(502, "PROVIDER_BAD_REPLY");
    assertThat(hits("people")).isEqualTo(before);
  }

  @Test
  void hostNotAllowed_isRefusedAtPublication() {
    Party provider = w.party("MZ", "PROVIDER");
    JsonObject entry = CatalogEntries.departmental(provider.department(), "接口资源 " + System.nanoTime())
        .put("access", new JsonObject().put("mode", "PROXY").put("endpoint", "http://localhost:" + port + "/people/{key}"));
    String code = http.post("/api/v1/catalog/resources", entry).as(provider.token()).expect(201).json().getString("code");
    JsonObject problem = http.post(CatalogEntries.path(code) + "/publish").as(provider.token()).expectProblem(422, "VALIDATION_FAILED").json();
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("access.endpoint");
    assertThat(problem.getString("detail")).contains("localhost:" + port).contains("proxy.allowed-hosts");
  }

  @Test
  void hostNoLongerAllowed_isNeverContacted() {
    Party provider = w.party("MZ", "PROVIDER");
    String code = proxied(provider, "/people/{key}", "GET");
    int before = hits("people");
    // the same deployment after the operator withdrew the host: an instance whose proxy.allowed-hosts is empty
    try (TestServer withdrawn = server.secondInstance(Map.of())) {
      DataWorld other = new DataWorld(withdrawn);
      Http.Reply r = other.read(code, A).as(provider.token()).expectProblem(502, "PROVIDER_NOT_ALLOWED");
      assertThat(r.json().getString("detail")).contains("127.0.0.1:" + port);
      other.verify(code, A, new JsonObject().put("name", "张三")).as(provider.token()).expectProblem(502, "PROVIDER_NOT_ALLOWED");
      other.lookup(code, A, B).as(provider.token()).expectProblem(502, "PROVIDER_NOT_ALLOWED");
      assertThat(hits("people")).isEqualTo(before);
      assertThat(other.audit(code, "DATA_READ").get(0).getJsonObject("detail").getJsonArray("upstream").getJsonObject(0)
          .getString("error")).isEqualTo("NOT_ALLOWED");
    }
  }

  @Test
  void replyBreakingTheEntry_is502WithoutItsValues() {
    Party provider = w.party("MZ", "PROVIDER");
    String bad = proxied(provider, "/bad/{key}", "GET");
    Http.Reply r = w.read(bad, A).as(provider.token()).expectProblem(502, "PROVIDER_BAD_REPLY");
    assertThat(r.json().getString("detail")).contains("income").doesNotContain("很多");
    w.read(proxied(provider, "/huge/{key}", "GET"), A).as(provider.token()).expectProblem(502, "PROVIDER_BAD_REPLY");
    w.read(proxied(provider, "/other/{key}", "GET"), A).as(provider.token()).expectProblem(502, "PROVIDER_BAD_REPLY");
  }

  @Test
  void circuit_opensAfterFailuresAndRecovers() throws Exception {
    Party provider = w.party("MZ", "PROVIDER");
    String code = proxied(provider, "/flaky/{key}", "GET");
    flakyDown = true;
    try {
      for (int i = 0; i < 3; i++) {
        w.read(code, A).as(provider.token()).expectProblem(502, "PROVIDER_FAILED");
      }
      int before = hits("flaky");
      Http.Reply open = w.read(code, A).as(provider.token()).expectProblem(502, "PROVIDER_CIRCUIT_OPEN");
      assertThat(open.header("Retry-After")).isEqualTo("1");
      assertThat(hits("flaky")).as("an open circuit sends nothing").isEqualTo(before);
    } finally {
      flakyDown = false;
    }
    long until = System.currentTimeMillis() + 15_000;
    int status;
    do {
      Thread.sleep(200);
      status = w.read(code, A).as(provider.token()).send().status();
    } while (status != 200 && System.currentTimeMillis() < until);
    assertThat(status).as("after breaker-reset-ms one trial call goes through and closes the circuit").isEqualTo(200);
    w.read(code, A).as(provider.token()).expect(200);
  }

  @Test
  void upload_toAProxyResourceIsRefused() {
    Party provider = w.party("MZ", "PROVIDER");
    String code = proxied(provider, "/people/{key}", "GET");
    w.upload(code, DataWorld.person(A, "张三", 1, "x")).as(provider.token()).expectProblem(422, "VALIDATION_FAILED");
  }

  private static int closedPort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

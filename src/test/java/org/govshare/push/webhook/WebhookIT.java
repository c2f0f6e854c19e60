package org.govshare.push.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.push.webhook.WebhookWorld.eventually;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.govshare.push.webhook.WebhookWorld.Party;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Webhooks over real HTTP: a loopback receiver checks every signature; subscriptions made, refused, listed, deleted, paused, resumed, ended. */
class WebhookIT {
  static final Map<String, String> FAST = Map.of(
      "webhook.allowed-http-hosts", "127.0.0.1",
      "webhook.retry-initial-ms", "100",
      "webhook.retry-max-ms", "400",
      "webhook.give-up-after", "8s",
      "webhook.sweep-ms", "200",
      "webhook.connect-timeout-ms", "1000",
      "webhook.response-timeout-ms", "2000",
      "webhook.lease-ms", "4000",
      "webhook.batch-max", "7",
      "webhook.max-per-department", "4");

  static TestServer server;
  static Receiver receiver;
  static Http http;

  @BeforeAll
  static void start() {
    server = TestServer.start(FAST);
    http = server.http();
    receiver = new Receiver();
  }

  @AfterAll
  static void stop() {
    receiver.close();
    server.close();
  }

  record World(Party provider, Party consumer, String code) {}

  static World world() {
    Party provider = WebhookWorld.party(server, "WHP", "PROVIDER");
    Party consumer = WebhookWorld.party(server, "WHC", "CONSUMER");
    String code = WebhookWorld.resource(server, provider);
    WebhookWorld.grant(server, provider, consumer, code);
    return new World(provider, consumer, code);
  }

  String subscribe(World w) {
    JsonObject created = WebhookWorld.subscribe(server, w.consumer(), w.code(), receiver.url());
    receiver.expect(created.getString("id"), created.getString("secret"));
    return created.getString("id");
  }

  @Test
  void deliveries_areSignedInOrderScopedAndCatchUpAfterTheReceiverWasDown() {
    World w = world();
    WebhookWorld.upload(server, w.provider(), w.code(), "before", 1, 3); // before the subscription: not delivered
    String id = subscribe(w);
    JsonObject first = WebhookWorld.upload(server, w.provider(), w.code(), "a", 1, 10);
    eventually(30, "first 10 delivered", () -> receiver.seqs(id).size() >= 10);

    receiver.down();
    JsonObject second = WebhookWorld.upload(server, w.provider(), w.code(), "b", 1, 20);
    eventually(30, "failures seen while the receiver is down", () -> WebhookWorld.subscription(server, w.consumer(), id).getInteger("failures") >= 2);
    JsonObject failing = WebhookWorld.subscription(server, w.consumer(), id);
    assertThat(failing.getString("status")).isEqualTo("ACTIVE");
    assertThat(failing.getString("lastError")).contains("not delivered");
    assertThat(failing.getString("nextAttemptAt")).isNotNull();
    assertThat(failing.getLong("lastDeliveredSeq")).isEqualTo(first.getLong("lastSeq"));
    receiver.up();

    eventually(30, "all 30 delivered after the receiver came back",
        () -> receiver.seqs(id).size() >= 30 && WebhookWorld.subscription(server, w.consumer(), id).getLong("lastDeliveredSeq")
            .equals(second.getLong("lastSeq")));
    assertThat(receiver.problems).isEmpty();
    assertThat(receiver.seqs(id)).containsExactlyElementsOf(WebhookWorld.range(first.getLong("firstSeq"), second.getLong("lastSeq")));
    JsonObject event = receiver.events(id).get(0);
    assertThat(event.getString("resource")).isEqualTo(w.code());
    assertThat(event.getString("key")).isEqualTo("a-1");
    assertThat(event.getString("op")).isEqualTo("UPSERT");
    assertThat(event.getJsonObject("record").getString("name")).isEqualTo("企业1");
    assertThat(event.getJsonObject("record").getString("phone")).isNotEqualTo("13800000001"); // sensitive: masked for a consumer
    assertThat(event.getJsonArray("masked").getList()).containsExactly("phone");

    JsonObject shown = WebhookWorld.subscription(server, w.consumer(), id);
    assertThat(shown.getInteger("failures")).isZero();
    assertThat(shown.getString("lastError")).isNull();
    assertThat(shown.containsKey("secret")).isFalse();

    // one audit record per delivered batch (7 events at most each), with its range and outcome
    List<JsonObject> delivered = audit(w.code(), "PUSH_DELIVER").stream().filter(a -> "OK".equals(a.getString("outcome"))).toList();
    assertThat(delivered).hasSizeBetween(5, 30);
    assertThat(delivered.stream().mapToInt(a -> a.getJsonObject("detail").getInteger("count")).sum()).isEqualTo(30);
    assertThat(delivered).allSatisfy(a -> assertThat(a.getJsonObject("detail").getInteger("count")).isBetween(1, 7));
    assertThat(audit(w.code(), "PUSH_DELIVER")).anySatisfy(a -> assertThat(a.getString("outcome")).isEqualTo("FAILED"));
  }

  @Test
  void create_refusesCallbacksOutsideTheRules() {
    World w = world();
    for (String url : List.of("http://example.com/hook", "http://127.0.0.2:9/hook", "https://user:pw@example.com/hook",
        "ftp://example.com/hook", "https://example.com/hook#x")) {
      http.post("/api/v1/subscriptions", new JsonObject().put("resource", w.code()).put("callbackUrl", url)).as(w.consumer().token())
          .expectProblem(422, "VALIDATION_FAILED");
    }
    JsonObject https = WebhookWorld.subscribe(server, w.consumer(), w.code(), "https://127.0.0.1:1/hook");
    assertThat(https.getString("status")).isEqualTo("ACTIVE");
    assertThat(https.getString("secret")).startsWith("whsec_");
    http.delete("/api/v1/subscriptions/" + https.getString("id")).as(w.consumer().token()).expect(204);

    http.post("/api/v1/subscriptions", new JsonObject().put("resource", "999999/999999").put("callbackUrl", receiver.url()))
        .as(w.consumer().token()).expect(404);
    Party outsider = WebhookWorld.party(server, "WHO", "CONSUMER");
    http.post("/api/v1/subscriptions", new JsonObject().put("resource", w.code()).put("callbackUrl", receiver.url()))
        .as(outsider.token()).expect(403);
    http.post("/api/v1/subscriptions", new JsonObject().put("resource", w.code()).put("callbackUrl", receiver.url()).put("extra", 1))
        .as(w.consumer().token()).expect(400);
  }

  @Test
  void create_isLimitedPerDepartment() {
    World w = world();
    for (int i = 0; i < 4; i++) {
      subscribe(w);
    }
    http.post("/api/v1/subscriptions", new JsonObject().put("resource", w.code()).put("callbackUrl", receiver.url()))
        .as(w.consumer().token()).expectProblem(409, "CONFLICT");
  }

  @Test
  void subscriptions_areTheirDepartmentsAndTheSecretIsShownOnce() {
    World w = world();
    JsonObject created = WebhookWorld.subscribe(server, w.consumer(), w.code(), receiver.url());
    String id = created.getString("id");
    receiver.expect(id, created.getString("secret"));
    String secret = created.getString("secret");

    Party colleague = WebhookWorld.client(server, w.consumer().department(), "CONSUMER");
    JsonObject listed = http.get("/api/v1/subscriptions").as(colleague.token()).expect(200).json();
    assertThat(listed.getJsonArray("items")).hasSize(1);
    assertThat(listed.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(listed.encode()).doesNotContain(secret);

    Party other = WebhookWorld.party(server, "WHX", "CONSUMER", "DEPT_ADMIN");
    assertThat(http.get("/api/v1/subscriptions").as(other.token()).expect(200).json().getJsonArray("items")).isEmpty();
    http.get("/api/v1/subscriptions/" + id).as(other.token()).expectProblem(404, "NOT_FOUND");
    http.delete("/api/v1/subscriptions/" + id).as(other.token()).expectProblem(404, "NOT_FOUND");
    http.post("/api/v1/subscriptions/" + id + "/resume").as(other.token()).expectProblem(404, "NOT_FOUND");
    Party providerClient = WebhookWorld.client(server, w.consumer().department(), "PROVIDER");
    http.delete("/api/v1/subscriptions/" + id).as(providerClient.token()).expectProblem(403, "FORBIDDEN");
    assertThat(WebhookWorld.subscription(server, w.consumer(), id).getString("status")).isEqualTo("ACTIVE");

    Party auditor = WebhookWorld.client(server, "BUREAU", "AUDITOR");
    await(server.platform().auditWriter().catchUp());
    String log = http.get("/api/v1/audit?limit=500&resource=" + WebhookWorld.enc(w.code())).as(auditor.token()).expect(200).body();
    assertThat(log).contains("SUBSCRIPTION_CREATE").contains("SUBSCRIPTION_READ").doesNotContain(secret);
    http.delete("/api/v1/subscriptions/" + id).as(w.consumer().token()).expect(204);
  }

  @Test
  void delete_stopsDeliveries() {
    World w = world();
    String id = subscribe(w);
    WebhookWorld.upload(server, w.provider(), w.code(), "d", 1, 3);
    eventually(30, "delivered", () -> receiver.seqs(id).size() == 3);
    http.delete("/api/v1/subscriptions/" + id).as(w.consumer().token()).expect(204);
    http.get("/api/v1/subscriptions/" + id).as(w.consumer().token()).expect(404);
    http.delete("/api/v1/subscriptions/" + id).as(w.consumer().token()).expect(404);

    String other = subscribe(w); // a witness: once it has the next upload, the deleted one had every chance to get it
    WebhookWorld.upload(server, w.provider(), w.code(), "d", 4, 6);
    eventually(30, "the witness got the new upload", () -> receiver.seqs(other).size() == 3);
    sleep(1_000);
    assertThat(receiver.seqs(id)).hasSize(3);
    assertThat(audit(w.code(), "SUBSCRIPTION_DELETE")).hasSize(1);
  }

  @Test
  void revokedGrant_deliversAnEndEventThenTheSubscriptionEnds() {
    Party provider = WebhookWorld.party(server, "WHP", "PROVIDER");
    Party consumer = WebhookWorld.party(server, "WHC", "CONSUMER");
    String code = WebhookWorld.resource(server, provider);
    String grant = WebhookWorld.grant(server, provider, consumer, code);
    World w = new World(provider, consumer, code);
    String id = subscribe(w);
    WebhookWorld.upload(server, provider, code, "r", 1, 2);
    eventually(30, "delivered", () -> receiver.seqs(id).size() == 2);

    http.post("/api/v1/grants/" + grant + "/revoke", new JsonObject().put("reason", "该部门已不再承担相关核验职责"))
        .as(provider.token()).expect(200);
    eventually(30, "ENDED", () -> "ENDED".equals(WebhookWorld.subscription(server, consumer, id).getString("status")));
    List<JsonObject> events = receiver.events(id);
    JsonObject end = events.get(events.size() - 1);
    assertThat(end.getString("op")).isEqualTo("END");
    assertThat(end.getString("reason")).isNotBlank();
    JsonObject shown = WebhookWorld.subscription(server, consumer, id);
    assertThat(shown.getString("endReason")).isNotBlank();
    assertThat(shown.getString("nextAttemptAt")).isNull();
    WebhookWorld.upload(server, provider, code, "r", 3, 4);
    sleep(800);
    assertThat(receiver.events(id)).hasSize(events.size());
    http.post("/api/v1/subscriptions/" + id + "/resume").as(consumer.token()).expectProblem(409, "CONFLICT");
    assertThat(receiver.problems).isEmpty();
  }

  @Test
  void failingReceiver_pausesAfterTheGiveUpTime_andResumeDeliversFromTheLastAcknowledged() {
    World w = world();
    try (Receiver flaky = new Receiver()) {
      JsonObject created = WebhookWorld.subscribe(server, w.consumer(), w.code(), flaky.url());
      String id = created.getString("id");
      flaky.expect(id, created.getString("secret"));
      JsonObject first = WebhookWorld.upload(server, w.provider(), w.code(), "p", 1, 2);
      eventually(30, "delivered", () -> flaky.seqs(id).size() == 2);
      flaky.answer(503);
      JsonObject later = WebhookWorld.upload(server, w.provider(), w.code(), "p", 3, 5);
      eventually(40, "PAUSED", () -> "PAUSED".equals(WebhookWorld.subscription(server, w.consumer(), id).getString("status")));
      JsonObject paused = WebhookWorld.subscription(server, w.consumer(), id);
      assertThat(paused.getString("lastError")).contains("503");
      assertThat(paused.getLong("lastDeliveredSeq")).isEqualTo(first.getLong("lastSeq"));
      int posts = flaky.posts.get();
      sleep(1_000);
      assertThat(flaky.posts.get()).as("no attempts while paused").isEqualTo(posts);

      flaky.answer(200);
      JsonObject resumed = http.post("/api/v1/subscriptions/" + id + "/resume").as(w.consumer().token()).expect(200).json();
      assertThat(resumed.getString("status")).isEqualTo("ACTIVE");
      assertThat(resumed.getInteger("failures")).isZero();
      eventually(30, "delivered after resume", () -> flaky.seqs(id).size() == 5);
      assertThat(flaky.seqs(id)).containsExactlyElementsOf(WebhookWorld.range(first.getLong("firstSeq"), later.getLong("lastSeq")));
      assertThat(flaky.problems).isEmpty();
      assertThat(audit(w.code(), "SUBSCRIPTION_RESUME")).hasSize(1);
    }
  }

  static List<JsonObject> audit(String code, String action) {
    await(server.platform().auditWriter().catchUp());
    Party auditor = WebhookWorld.client(server, "BUREAU", "AUDITOR");
    List<JsonObject> out = new java.util.ArrayList<>();
    http.get("/api/v1/audit?limit=500&action=" + action + "&resource=" + WebhookWorld.enc(code)).as(auditor.token()).expect(200).items()
        .forEach(o -> out.add((JsonObject) o));
    return out;
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

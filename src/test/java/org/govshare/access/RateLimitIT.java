package org.govshare.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.govshare.access.DataWorld.creditCode;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.govshare.access.DataWorld.Party;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Rate limits per department over HTTP, on one instance: who reads and sets them, bad bodies, and 429 once the burst is spent. */
class RateLimitIT {
  private final DataWorld w = new DataWorld(TestServer.shared());
  private final Http http = w.http;

  private static String path(String department) {
    return "/api/v1/departments/" + department + "/rate-limit";
  }

  private static JsonObject limit(Object requestsPerSecond, Object burst) {
    return new JsonObject().put("requestsPerSecond", requestsPerSecond).put("burst", burst);
  }

  @Test
  void getAndPut_onlyForWhoMay_defaultUntilTheBureauSetsOne() {
    Party consumer = w.party("RS", "CONSUMER");
    Party ownAdmin = w.client(consumer.department(), "DEPT_ADMIN");
    Party otherAdmin = w.party("MZ", "DEPT_ADMIN");
    Party auditor = w.client("BUREAU", "AUDITOR");
    String admin = w.server.adminToken();

    JsonObject fresh = http.get(path(consumer.department())).as(ownAdmin.token()).expect(200).json();
    assertThat(fresh.getString("source")).isEqualTo("DEFAULT");
    assertThat(fresh.getInteger("requestsPerSecond")).isEqualTo(2000);
    assertThat(fresh.getInteger("burst")).isEqualTo(4000);
    http.get(path(consumer.department())).as(auditor.token()).expect(200);
    http.get(path(consumer.department())).as(consumer.token()).expectProblem(403, "FORBIDDEN");
    http.get(path(consumer.department())).as(otherAdmin.token()).expectProblem(403, "FORBIDDEN");
    http.get(path("NO-SUCH-DEPT")).as(auditor.token()).expectProblem(404, "NOT_FOUND");
    http.get(path(consumer.department())).expect(401);

    http.put(path(consumer.department()), limit(5, 10)).as(ownAdmin.token()).expectProblem(403, "FORBIDDEN");
    http.put(path(consumer.department()), limit(5, 10)).as(auditor.token()).expectProblem(403, "FORBIDDEN");
    http.put(path("NO-SUCH-DEPT"), limit(5, 10)).as(admin).expectProblem(404, "NOT_FOUND");
    http.put(path(consumer.department()), new JsonObject().put("requestsPerSecond", 5)).as(admin).expectProblem(400, "VALIDATION_FAILED");
    http.put(path(consumer.department()), limit("5", 10)).as(admin).expectProblem(400, "VALIDATION_FAILED");
    http.put(path(consumer.department()), limit(1.5, 10)).as(admin).expectProblem(400, "VALIDATION_FAILED");
    http.put(path(consumer.department()), limit(5, 10).put("window", 1)).as(admin).expectProblem(400, "VALIDATION_FAILED");
    http.send("PUT", path(consumer.department()), "{\"requestsPerSecond\":", "application/json").as(admin).expect(400);
    JsonObject bounds = http.put(path(consumer.department()), limit(0, 20_000_000)).as(admin).expectProblem(422, "VALIDATION_FAILED").json();
    assertThat(bounds.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactly("requestsPerSecond", "burst");
    assertThat(http.get(path(consumer.department())).as(auditor.token()).expect(200).json().getString("source")).isEqualTo("DEFAULT");

    JsonObject set = http.put(path(consumer.department()), limit(50, 100)).as(admin).expect(200).json();
    assertThat(set.getString("source")).isEqualTo("CONFIGURED");
    assertThat(set.getString("setBy")).isEqualTo("admin");
    JsonObject read = http.get(path(consumer.department())).as(ownAdmin.token()).expect(200).json();
    assertThat(read.getInteger("requestsPerSecond")).isEqualTo(50);
    assertThat(read.getInteger("burst")).isEqualTo(100);
    assertThat(read.getString("source")).isEqualTo("CONFIGURED");
    http.put(path(consumer.department()), limit(60, 120)).as(admin).expect(200);

    List<JsonObject> sets = audit(consumer.department(), "RATE_LIMIT_SET");
    JsonObject last = sets.stream().filter(r -> "OK".equals(r.getString("outcome"))).findFirst().orElseThrow(); // newest first
    assertThat(last.getJsonObject("detail").getJsonObject("old").getInteger("requestsPerSecond")).isEqualTo(50);
    assertThat(last.getJsonObject("detail").getJsonObject("new").getInteger("burst")).isEqualTo(120);
    assertThat(sets.stream().filter(r -> "OK".equals(r.getString("outcome")))).hasSize(2);
    assertThat(sets.stream().filter(r -> "DENIED".equals(r.getString("outcome")))).isNotEmpty();
    assertThat(audit(consumer.department(), "RATE_LIMIT_READ")).extracting(r -> r.getString("outcome")).contains("OK", "DENIED");
  }

  @Test
  void dataCalls_refusedWith429AndRetryAfter_onceTheBurstIsSpent_lookupCountsOnce() {
    Party provider = w.party("SC", "PROVIDER");
    Party consumer = w.party("ZJ", "CONSUMER");
    String code = w.companyResource(provider);
    String cc = creditCode("91330106MA2CFRL1");
    w.upload(code, new JsonObject().put("credit_code", cc).put("name", "限流测试公司").encode()).as(provider.token()).expect(200);
    http.put(path(consumer.department()), limit(1, 3)).as(w.server.adminToken()).expect(200);
    long started = System.nanoTime();

    w.read(code, cc).as(consumer.token()).expect(200);
    // three keys, one token: were it three, this would already be refused
    w.lookup(code, cc, creditCode("91330106MA2CFRL2"), creditCode("91330106MA2CFRL3")).as(consumer.token()).expect(200);
    w.verify(code, cc, new JsonObject().put("name", "限流测试公司")).as(consumer.token()).expect(200);
    int extra = 0;
    Http.Reply refused = w.read(code, cc).as(consumer.token()).send();
    while (refused.status() == 200 && extra < 10) {
      extra++;
      refused = w.read(code, cc).as(consumer.token()).send();
    }
    // a call past the burst is served only for a token refilled meanwhile (1 per second)
    assertThat(extra).isLessThanOrEqualTo((int) ((System.nanoTime() - started) / 1_000_000_000L) + 1);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().getString("code")).isEqualTo("RATE_LIMITED");
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
    w.lookup(code, cc).as(consumer.token()).expectProblem(429, "RATE_LIMITED");
    // another department's budget is its own
    Party other = w.party("JY", "CONSUMER");
    w.read(code, cc).as(other.token()).expect(200);
    // the provider's own writes are not data calls
    w.upload(code, new JsonObject().put("credit_code", cc).put("name", "限流测试公司二").encode()).as(provider.token()).expect(200);

    List<JsonObject> refusals = w.audit(code, "DATA_READ").stream().filter(r -> "DENIED".equals(r.getString("outcome"))).toList();
    assertThat(refusals).isNotEmpty().allSatisfy(r -> {
      assertThat(r.getJsonObject("detail").getString("code")).isEqualTo("RATE_LIMITED");
      assertThat(r.getString("department")).isEqualTo(consumer.department());
    });

    // a higher limit applies at once
    http.put(path(consumer.department()), limit(1, 10)).as(w.server.adminToken()).expect(200);
    w.read(code, cc).as(consumer.token()).expect(200);
  }

  private List<JsonObject> audit(String department, String action) {
    DataWorld.await(w.server.platform().auditWriter().catchUp());
    Party auditor = w.client("BUREAU", "AUDITOR");
    JsonArray items = http.get("/api/v1/audit?limit=500&action=" + action + "&subject=" + department).as(auditor.token()).expect(200).items();
    return items.stream().map(o -> (JsonObject) o).toList();
  }
}

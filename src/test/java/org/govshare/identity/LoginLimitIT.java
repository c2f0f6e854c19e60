package org.govshare.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.govshare.testing.TestServer.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failed logins are limited per client id and per address (429 + Retry-After), and floods become one audit record with a count. */
class LoginLimitIT {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("auth.max-failures-per-client", "3", "auth.max-failures-per-address", "5",
        "auth.failure-window-seconds", "60", "auth.refusal-audit-seconds", "2"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void failedLogins_areLimitedPerClientThenPerAddress_andRecordedOnceWithACount() throws Exception {
    Http http = server.http();
    String admin = server.adminToken();
    String dept = server.department("LIM");
    Client c = server.client(dept, "CONSUMER");
    Client d = server.client(dept, "CONSUMER");

    for (int i = 0; i < 3; i++) {
      http.post("/api/v1/auth/token", request(c.clientId(), "wrong")).expectProblem(401, "INVALID_CLIENT");
    }
    for (String secret : List.of("wrong", c.secret())) { // over the limit even the right secret is not checked
      Http.Reply limited = http.post("/api/v1/auth/token", request(c.clientId(), secret)).expectProblem(429, "RATE_LIMITED");
      assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
      assertThat(limited.json().getLong("retryAfter")).isEqualTo(Long.parseLong(limited.header("Retry-After")));
    }
    // the address has 3 failures: another client still gets in, and may fail twice more
    server.tokenFor(d);
    for (int i = 0; i < 2; i++) {
      http.post("/api/v1/auth/token", request(d.clientId(), "wrong")).expectProblem(401, "INVALID_CLIENT");
    }
    http.post("/api/v1/auth/token", request(d.clientId(), d.secret())).expectProblem(429, "RATE_LIMITED");
    http.post("/api/v1/auth/token", request("nobody-" + dept, "x")).expectProblem(429, "RATE_LIMITED");
    for (int i = 0; i < 25; i++) { // made-up ids by the dozen add to counts, not to records
      http.post("/api/v1/auth/token", request("made-up-" + i, "x")).expectProblem(429, "RATE_LIMITED");
    }

    // thirty junk bearer tokens: one record, not thirty
    for (int i = 0; i < 30; i++) {
      http.get("/api/v1/departments").as("junk-" + dept).expectProblem(401, "UNAUTHENTICATED");
    }
    Thread.sleep(3000); // one aggregation period and then some

    JsonArray denied = http.get("/api/v1/audit?action=TOKEN_ISSUE&outcome=DENIED&limit=50").as(admin).expect(200).items();
    // a period may end in the middle of a burst: counts add up across the records
    assertThat(sum(counts(denied, c.clientId(), "INVALID_CLIENT"))).isEqualTo(3);
    assertThat(sum(counts(denied, c.clientId(), "RATE_LIMITED"))).isEqualTo(2);
    assertThat(denied.stream().map(o -> ((JsonObject) o).getJsonObject("detail").getString("code")).filter("INVALID_CLIENT"::equals))
        .as("both clients' wrong secrets from one address share records").hasSizeLessThanOrEqualTo(3);
    assertThat(sum(counts(denied, d.clientId(), "INVALID_CLIENT"))).isEqualTo(2);
    assertThat(sum(counts(denied, "nobody-" + dept, "RATE_LIMITED"))).isEqualTo(1);
    List<JsonObject> addressLimited = denied.stream().map(o -> ((JsonObject) o).getJsonObject("detail"))
        .filter(x -> x.getString("reason").contains("from your address")).toList();
    assertThat(addressLimited.stream().mapToLong(x -> x.getLong("count")).sum()).isEqualTo(27);
    assertThat(addressLimited).hasSizeLessThanOrEqualTo(3);
    assertThat(addressLimited.get(0).getString("source")).isEqualTo("127.0.0.1");
    assertThat(addressLimited.get(0).getString("firstAt")).isNotBlank();
    JsonArray bearer = http.get("/api/v1/audit?action=HTTP_REQUEST&outcome=DENIED&limit=50").as(admin).expect(200).items();
    List<Long> junk = bearer.stream().map(o -> ((JsonObject) o).getJsonObject("detail"))
        .filter(x -> x.getInteger("status") == 401 && x.getString("reason", "").startsWith("the token is not valid"))
        .map(x -> x.getLong("count")).toList();
    assertThat(sum(junk)).isEqualTo(30);
    assertThat(junk).hasSizeLessThanOrEqualTo(3);
  }

  /** How many refusals with this code each record counts for this client id. */
  private static List<Long> counts(JsonArray records, String clientId, String code) {
    return records.stream().map(o -> ((JsonObject) o).getJsonObject("detail")).filter(x -> code.equals(x.getString("code")))
        .map(x -> x.getJsonObject("clients").getLong(clientId, 0L)).toList();
  }

  private static long sum(List<Long> counts) {
    return counts.stream().mapToLong(Long::longValue).sum();
  }

  private static JsonObject request(String id, String secret) {
    return new JsonObject().put("grant_type", "client_credentials").put("client_id", id).put("client_secret", secret);
  }
}

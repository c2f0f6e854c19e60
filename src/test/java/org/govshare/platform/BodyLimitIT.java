package org.govshare.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.govshare.testing.CatalogEntries;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Each operation reads at most the body it needs; what goes beyond is refused early and cheaply. */
class BodyLimitIT {
  private final TestServer server = TestServer.shared();
  private final Http http = server.http();

  @Test
  void tokenRequest_overItsSmallLimit_is413() {
    String form = "grant_type=client_credentials&client_id=admin&client_secret=" + "s".repeat(9000);
    http.send("POST", "/api/v1/auth/token", form, "application/x-www-form-urlencoded").expectProblem(413, "PAYLOAD_TOO_LARGE");
    http.send("POST", "/api/v1/auth/token", form.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded", true)
        .expectProblem(413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  void chunkedBody_isCutOffAtTheOperationsLimit() {
    byte[] big = ("{\"code\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    http.send("POST", "/api/v1/departments", big, "application/json", true).as(server.adminToken())
        .expectProblem(413, "PAYLOAD_TOO_LARGE");
    // the server stays usable for the next request
    http.get("/api/v1/departments").as(server.adminToken()).expect(200);
  }

  @Test
  void catalogueEntry_mayBeLargerThanOrdinaryBodies() {
    String provider = server.department("BIG");
    JsonObject entry = CatalogEntries.base(provider, "大条目").put("summary", "摘".repeat(700_000));
    Http.Reply r = http.send("POST", "/api/v1/catalog/resources", entry.encode(), "application/json").as(server.adminToken()).send();
    assertThat(r.status()).as(r.body()).isEqualTo(400); // read and validated (summary too long), not refused for size
    http.send("POST", "/api/v1/departments", entry.encode(), "application/json").as(server.adminToken())
        .expectProblem(413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  void unauthenticatedBody_isRefusedWithoutBeingRead() {
    String body = "{\"code\":\"" + "x".repeat(900_000) + "\"}";
    http.send("POST", "/api/v1/departments", body, "application/json").expectProblem(401, "UNAUTHENTICATED");
  }

  @Test
  void oversizedHeaders_get431Problem() {
    Http.Reply r = http.get("/api/v1/departments").header("X-Padding", "p".repeat(40_000)).send();
    assertThat(r.status()).isEqualTo(431);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.json().getString("code")).isEqualTo("HEADERS_TOO_LARGE");
  }

  @Test
  void bodiesBeyondTheMemoryBudget_get503WithRetryAfter() {
    try (TestServer small = TestServer.start(Map.of("http.body-memory-bytes", "1048576", "http.body-limit-bytes", "4194304"))) {
      String body = "{\"code\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
      Http.Reply r = small.http().send("POST", "/api/v1/departments", body, "application/json").as(small.adminToken())
          .expectProblem(503, "UNAVAILABLE");
      assertThat(r.header("Retry-After")).isEqualTo("1");
      // what was held is given back: a body within the budget is read
      small.http().send("POST", "/api/v1/departments", "{\"code\":\"" + "x".repeat(500_000) + "\"}", "application/json")
          .as(small.adminToken()).expectProblem(400, "VALIDATION_FAILED");
    }
  }
}

package org.govshare.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

class PlatformIT {
  private final TestServer server = TestServer.shared();
  private final Http http = server.http();

  @Test
  void health_liveAndReady() {
    assertThat(http.get("/health/live").expect(200).json().getString("status")).isEqualTo("UP");
    JsonObject ready = http.get("/health/ready").expect(200).json();
    assertThat(ready.getJsonObject("checks").getJsonObject("database").getString("status")).isEqualTo("UP");
    assertThat(ready.getJsonObject("checks").getJsonObject("database").getString("schemaVersion")).isNotEqualTo("none");
  }

  @Test
  void metrics_arePrometheusText() {
    http.get("/api/v1/departments").as(server.adminToken()).expect(200);
    String text = http.get("/metrics").expect(200).body();
    assertThat(text).contains("vertx_http_server_requests_total", "govshare_audit_records_written", "jvm_memory_used_bytes",
        "vertx_pool");
  }

  @Test
  void contractAndDocs_areServed() {
    Http.Reply yaml = http.get("/openapi.yaml").expect(200);
    assertThat(yaml.body()).startsWith("openapi: 3.1.0").contains("/api/v1/departments");
    assertThat(http.get("/openapi.json").expect(200).json().getString("openapi")).isEqualTo("3.1.0");
    assertThat(http.get("/docs").expect(200).body()).contains("govshare API");
  }

  @Test
  void requestId_isEchoedOrAssigned() {
    assertThat(http.get("/health/live").header("X-Request-Id", "trace-42").send().header("X-Request-Id")).isEqualTo("trace-42");
    assertThat(http.get("/health/live").send().header("X-Request-Id")).hasSizeGreaterThan(10);
    assertThat(http.get("/nowhere").send().header("X-Request-Id")).isNotBlank();
  }

  @Test
  void unknownPathsAndMethods_areProblems() {
    http.get("/nowhere").expectProblem(404, "NOT_FOUND");
    http.get("/api/v1/nowhere").as(server.adminToken()).expectProblem(404, "NOT_FOUND");
    http.send("PATCH", "/api/v1/departments", "{}", "application/json").as(server.adminToken())
        .expectProblem(405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void oversizedBody_is413() {
    String big = "{\"code\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}";
    http.send("POST", "/api/v1/departments", big, "application/json").as(server.adminToken())
        .expectProblem(413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  void badBodies_are4xxWithoutTraces() {
    String admin = server.adminToken();
    for (String body : new String[] {"", "null", "[]", "42", "{\"code\":", "{\"code\": 5, \"name\": [], \"kind\": {}}"}) {
      Http.Reply r = http.send("POST", "/api/v1/departments", body, "application/json").as(admin).send();
      assertThat(r.status()).as("body %s answered %s", body, r.body()).isBetween(400, 499);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
    http.send("POST", "/api/v1/departments", "{}", null).as(admin).expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
  }
}

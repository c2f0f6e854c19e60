package org.govshare.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** {@code /metrics} keeps what operators graph and stays small (it was 1.8 MB after 70 requests). */
class MetricsIT {

  @Test
  void metricsPage_staysSmallAfterHundredsOfRequests_andKeepsWhatOperatorsGraph() {
    try (TestServer server = TestServer.start(Map.of())) {
      String token = server.adminToken();
      for (int i = 0; i < 30; i++) {
        server.http().get("/api/v1/departments").as(token).send();
        server.http().get("/api/v1/departments/NONE-" + i).as(token).send();
        server.http().get("/api/v1/departments").send();
        server.http().get("/api/v1/catalog/resources").as(token).send();
        server.http().get("/api/v1/catalog/resources?limit=0").as(token).send();
        server.http().get("/api/v1/audit").as(token).send();
        server.http().get("/api/v1/calendar/2026").as(token).send();
        server.http().get("/health/ready").send();
        server.http().get("/no/such/page/" + i).send();
        server.http().send("DELETE", "/api/v1/departments", null, null).send();
      }
      String page = server.http().get("/metrics").send().body();
      assertThat(page.length()).as("bytes of /metrics after 300 requests").isLessThan(64 * 1024);
      assertThat(page).contains("vertx_http_server_requests_total{", "vertx_http_server_response_time_seconds_bucket{",
          "route=\"/api/v1/departments\"", "vertx_pool_in_use", "jvm_memory_used_bytes", "govshare_audit_records_written_total");
      assertThat(page).doesNotContain("response_bytes", "request_bytes");
      long buckets = page.lines().filter(l -> l.startsWith("vertx_http_server_response_time_seconds_bucket{")
          && l.contains("route=\"/api/v1/departments\"") && l.contains("code=\"200\"") && l.contains("method=\"GET\"")).count();
      assertThat(buckets).as("latency buckets of one route and status").isBetween(5L, 12L);
    }
  }
}

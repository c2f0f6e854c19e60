package org.govshare.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.govshare.testing.TestServer.Client;
import org.junit.jupiter.api.Test;

class AuditIT {
  private final TestServer server = TestServer.shared();
  private final Http http = server.http();

  @Test
  void stateChangesAndRefusals_areRecorded() {
    String dept = server.department("AUD");
    Client admin = server.client(dept, "DEPT_ADMIN");
    String token = server.tokenFor(admin);
    http.post("/api/v1/departments/" + dept + "/clients", new JsonObject().put("name", "x").put("roles", new JsonArray().add("CONSUMER")))
        .as(token).expect(201);
    http.post("/api/v1/departments", new JsonObject().put("code", "NOPE1").put("name", "x").put("kind", "TOWNSHIP"))
        .as(token).header("X-Request-Id", "refused-create-" + dept).expectProblem(403, "FORBIDDEN");

    JsonArray mine = http.get("/api/v1/audit?department=" + dept).as(server.tokenFor(server.client("BUREAU", "AUDITOR")))
        .expect(200).items();
    assertThat(mine.stream().map(o -> ((JsonObject) o).getString("action"))).contains("CLIENT_CREATE", "TOKEN_ISSUE",
        "DEPARTMENT_CREATE");
    JsonObject denied = mine.stream().map(o -> (JsonObject) o)
        .filter(o -> ("refused-create-" + dept).equals(o.getJsonObject("detail").getString("clientRequestId"))).findFirst().orElseThrow();
    // the client's id is kept beside the server's own, which it cannot choose
    assertThat(denied.getString("requestId")).isNotEqualTo("refused-create-" + dept).matches("[0-9a-f-]{36}");
    assertThat(denied.getString("outcome")).isEqualTo("DENIED");
    assertThat(denied.getString("clientId")).isEqualTo(admin.clientId());
    assertThat(denied.getString("hash")).hasSize(64);
    assertThat(denied.getJsonObject("detail").getInteger("status")).isEqualTo(403);
  }

  @Test
  void list_filtersAndPagesNewestFirst() {
    String auditor = server.tokenFor(server.client("BUREAU", "AUDITOR"));
    server.department("AUDP");
    JsonArray page = http.get("/api/v1/audit?action=DEPARTMENT_CREATE&outcome=OK&limit=2").as(auditor).expect(200).items();
    assertThat(page.size()).isEqualTo(2);
    assertThat(page.getJsonObject(0).getLong("seq")).isGreaterThan(page.getJsonObject(1).getLong("seq"));
    assertThat(records(page)).allMatch(r -> "DEPARTMENT_CREATE".equals(r.getString("action")) && "OK".equals(r.getString("outcome")));
    JsonObject first = http.get("/api/v1/audit?limit=1").as(auditor).expect(200).json();
    String cursor = first.getString("nextCursor");
    assertThat(cursor).isNotNull();
    JsonArray next = http.get("/api/v1/audit?limit=1&cursor=" + cursor).as(auditor).expect(200).items();
    assertThat(next.getJsonObject(0).getLong("seq")).isLessThan(first.getJsonArray("items").getJsonObject(0).getLong("seq"));
    assertThat(http.get("/api/v1/audit?from=2020-01-01&to=2999-01-01T00:00:00%2B08:00").as(auditor).expect(200).items()).isNotEmpty();
    assertThat(http.get("/api/v1/audit?from=2999-01-01&to=2999-01-02").as(auditor).expect(200).items()).isEmpty();
    http.get("/api/v1/audit?from=yesterday").as(auditor).expectProblem(400, "VALIDATION_FAILED");
    http.get("/api/v1/audit?outcome=MAYBE").as(auditor).expectProblem(400, "VALIDATION_FAILED");
    http.get("/api/v1/audit?cursor=WyJ4Il0").as(auditor).expectProblem(400, "VALIDATION_FAILED");
    // values are decoded once: '%' and '+' are ordinary characters of a filter
    assertThat(records(http.get("/api/v1/audit?resource=%25").as(auditor).expect(200).items()))
        .allMatch(r -> "%".equals(r.getString("resource")));
    assertThat(records(http.get("/api/v1/audit?resource=C%2B%2B&action=A+B").as(auditor).expect(200).items()))
        .allMatch(r -> "C++".equals(r.getString("resource")) && "A B".equals(r.getString("action")));
  }

  @Test
  void subjectFilter_answersWhatHappenedToADepartment() {
    String dept = server.department("AUDSUB");
    Client client = server.client(dept, "CONSUMER");
    http.post("/api/v1/clients/" + client.clientId() + "/secret").as(server.adminToken()).expect(200);
    server.department("AUDSUBX");

    JsonArray about = http.get("/api/v1/audit?subject=" + dept).as(server.tokenFor(server.client("BUREAU", "AUDITOR")))
        .expect(200).items();
    assertThat(about.stream().map(o -> ((JsonObject) o).getString("action")))
        .containsExactlyInAnyOrder("DEPARTMENT_CREATE", "CLIENT_CREATE", "CLIENT_SECRET_ROTATE");
    assertThat(about.stream().map(o -> ((JsonObject) o).getString("subject"))).containsOnly(dept, client.clientId());
    assertThat(about.stream().map(o -> ((JsonObject) o).getString("department"))).as("the bureau acted").containsOnly("BUREAU");
  }

  @Test
  void departmentAdmin_seesOnlyItsOwnRecords_othersNone() {
    String dept = server.department("AUDS");
    String deptAdmin = server.tokenFor(server.client(dept, "DEPT_ADMIN"));
    JsonArray own = http.get("/api/v1/audit?limit=500").as(deptAdmin).expect(200).items();
    assertThat(own).isNotEmpty();
    own.forEach(o -> assertThat(((JsonObject) o).getString("department")).isEqualTo(dept));
    http.get("/api/v1/audit?department=BUREAU").as(deptAdmin).expectProblem(403, "FORBIDDEN");
    http.get("/api/v1/audit").as(server.tokenFor(server.client(dept, "CONSUMER"))).expectProblem(403, "FORBIDDEN");
    http.get("/api/v1/audit/verify").as(deptAdmin).expectProblem(403, "FORBIDDEN");
  }

  @Test
  void verify_reportsAnIntactChain() {
    server.department("AUDV");
    JsonObject result = http.get("/api/v1/audit/verify").as(server.adminToken()).expect(200).json();
    assertThat(result.getBoolean("ok")).as(result.encode()).isTrue();
    assertThat(result.getLong("checked")).isPositive();
  }

  private static java.util.List<JsonObject> records(JsonArray items) {
    return items.stream().map(o -> (JsonObject) o).toList();
  }
}

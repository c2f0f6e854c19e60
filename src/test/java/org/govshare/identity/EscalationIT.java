package org.govshare.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.govshare.testing.TestServer.Client;
import org.junit.jupiter.api.Test;

/** The bureau's powers (PLATFORM_ADMIN, AUDITOR) are handed out and managed by platform admins only; an AUDITOR changes nothing. */
class EscalationIT {
  private final TestServer server = TestServer.shared();
  private final Http http = server.http();

  @Test
  void bureauDeptAdmin_cannotRotateRevokeOrCreatePrivilegedClients() {
    Client platformAdmin = server.client("BUREAU", "PLATFORM_ADMIN");
    Client auditor = server.client("BUREAU", "AUDITOR");
    Client consumer = server.client("BUREAU", "CONSUMER");
    String deptAdmin = server.tokenFor(server.client("BUREAU", "DEPT_ADMIN"));

    for (Client privileged : new Client[] {platformAdmin, auditor}) {
      http.post("/api/v1/clients/" + privileged.clientId() + "/secret").as(deptAdmin).expectProblem(403, "FORBIDDEN");
      http.delete("/api/v1/clients/" + privileged.clientId()).as(deptAdmin).expectProblem(403, "FORBIDDEN");
      // the old secret still works: nothing was rotated or revoked
      server.tokenFor(privileged);
    }
    for (String role : new String[] {"PLATFORM_ADMIN", "AUDITOR"}) {
      http.post("/api/v1/departments/BUREAU/clients", new JsonObject().put("name", "x").put("roles", new JsonArray().add(role)))
          .as(deptAdmin).expectProblem(403, "FORBIDDEN");
    }
    // its ordinary powers over its own department remain
    String rotated = http.post("/api/v1/clients/" + consumer.clientId() + "/secret").as(deptAdmin).expect(200).json()
        .getString("clientSecret");
    server.token(consumer.clientId(), rotated);
    http.delete("/api/v1/clients/" + consumer.clientId()).as(deptAdmin).expect(204);
    // a platform admin still manages both
    http.post("/api/v1/clients/" + auditor.clientId() + "/secret").as(server.adminToken()).expect(200);
    http.delete("/api/v1/clients/" + platformAdmin.clientId()).as(server.adminToken()).expect(204);
  }

  @Test
  void auditor_isBureauOnlyAndHeldAlone() {
    String dept = server.department("AUD");
    http.post("/api/v1/departments/" + dept + "/clients", new JsonObject().put("name", "x").put("roles", new JsonArray().add("AUDITOR")))
        .as(server.adminToken()).expectProblem(422, "VALIDATION_FAILED");
    http.post("/api/v1/departments/BUREAU/clients",
            new JsonObject().put("name", "x").put("roles", new JsonArray().add("AUDITOR").add("CONSUMER")))
        .as(server.adminToken()).expectProblem(422, "VALIDATION_FAILED");
  }

  @Test
  void auditor_changesNothing() throws Exception {
    String auditor = server.tokenFor(server.client("BUREAU", "AUDITOR"));
    await(server.platform().notifier().notify("BUREAU", "CATALOG_FILED", "9/000001", "审计员不得标记已读"));
    JsonObject inbox = http.get("/api/v1/notifications?unread=true").as(auditor).expect(200).json();
    String id = inbox.getJsonArray("items").getJsonObject(0).getString("id");

    http.post("/api/v1/notifications/" + id + "/read").as(auditor).expectProblem(403, "FORBIDDEN");
    http.post("/api/v1/notifications/read").as(auditor).expectProblem(403, "FORBIDDEN");
    http.post("/api/v1/departments", new JsonObject().put("code", "AUDX").put("name", "x").put("kind", "TOWNSHIP"))
        .as(auditor).expectProblem(403, "FORBIDDEN");
    http.put("/api/v1/calendar/2031", new JsonObject().put("holidays", new JsonArray()).put("workdays", new JsonArray()))
        .as(auditor).expectProblem(403, "FORBIDDEN");
    http.delete("/api/v1/clients/admin").as(auditor).expectProblem(403, "FORBIDDEN");

    JsonObject after = http.get("/api/v1/notifications?unread=true").as(server.adminToken()).expect(200).json();
    assertThat(after.getJsonArray("items").stream().map(n -> ((JsonObject) n).getString("id"))).contains(id);
    // reading stays open to it
    http.get("/api/v1/audit?limit=1").as(auditor).expect(200);
    http.get("/api/v1/audit/verify").as(auditor).expect(200);
  }

  @Test
  void bureauRoles_countForNothingOutsideTheBureau() throws Exception {
    // a client stored before the rule (or written past it) holds AUDITOR and PLATFORM_ADMIN in an ordinary department
    String dept = server.department("LEGACY");
    String clientId = "legacy-" + System.nanoTime();
    String secret = "legacy-secret-0123456789";
    await(server.platform().pool().preparedQuery(
            "INSERT INTO api_client (client_id, department, name, roles, secret_hash) VALUES ($1, $2, 'legacy', $3, $4)")
        .execute(Tuple.of(clientId, dept, new String[] {"PLATFORM_ADMIN"}, new SecretHasher(1000).hash(secret))));
    String token = server.token(clientId, secret);
    http.post("/api/v1/departments", new JsonObject().put("code", "LEGX").put("name", "x").put("kind", "TOWNSHIP"))
        .as(token).expectProblem(403, "FORBIDDEN");
    http.get("/api/v1/audit/verify").as(token).expectProblem(403, "FORBIDDEN");
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}

package org.govshare.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.govshare.testing.TestServer.Client;
import org.junit.jupiter.api.Test;

class IdentityIT {
  private final TestServer server = TestServer.shared();
  private final Http http = server.http();

  @Test
  void token_acceptsFormJsonAndBasic() {
    Client c = server.client(server.department("TOK"), "CONSUMER");
    String form = "grant_type=client_credentials&client_id=" + c.clientId() + "&client_secret=" + c.secret();
    JsonObject token = http.send("POST", "/api/v1/auth/token", form, "application/x-www-form-urlencoded").expect(200).json();
    assertThat(token.getString("token_type")).isEqualTo("Bearer");
    assertThat(token.getInteger("expires_in")).isEqualTo(3600);
    assertThat(token.getString("access_token")).contains(".");

    assertThat(server.tokenFor(c)).isNotBlank();

    String basic = Base64.getEncoder().encodeToString((c.clientId() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8));
    http.send("POST", "/api/v1/auth/token", "grant_type=client_credentials", "application/x-www-form-urlencoded")
        .header("Authorization", "Basic " + basic).expect(200);
  }

  @Test
  void token_refusesWrongSecretUnknownClientAndOtherGrants() {
    Client c = server.client(server.department("TOK"), "CONSUMER");
    http.post("/api/v1/auth/token", tokenRequest(c.clientId(), "wrong")).expectProblem(401, "INVALID_CLIENT");
    http.post("/api/v1/auth/token", tokenRequest("nobody", "wrong")).expectProblem(401, "INVALID_CLIENT");
    http.post("/api/v1/auth/token", tokenRequest(c.clientId(), c.secret()).put("grant_type", "password"))
        .expectProblem(400, "UNSUPPORTED_GRANT_TYPE");
    http.post("/api/v1/auth/token", new JsonObject().put("grant_type", "client_credentials")).expectProblem(400, "VALIDATION_FAILED");
    http.send("POST", "/api/v1/auth/token", "<xml/>", "application/xml").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
    http.send("POST", "/api/v1/auth/token", "{not json", "application/json").expectProblem(400, "MALFORMED_REQUEST");
    http.post("/api/v1/auth/token").expectProblem(400, "MALFORMED_REQUEST");
    http.send("POST", "/api/v1/auth/token", "[1]", "application/json").expectProblem(400, "MALFORMED_REQUEST");
  }

  @Test
  void api_refusesMissingMalformedAndForgedTokens() {
    http.get("/api/v1/departments").expectProblem(401, "UNAUTHENTICATED");
    http.get("/api/v1/departments").header("Authorization", "Basic abc").expectProblem(401, "UNAUTHENTICATED");
    http.get("/api/v1/departments").as("not-a-jwt").expectProblem(401, "UNAUTHENTICATED");
    String[] parts = server.adminToken().split("\\.");
    String forged = parts[0] + "." + parts[1] + "." + "AAAA" + parts[2].substring(4);
    http.get("/api/v1/departments").as(forged).expectProblem(401, "UNAUTHENTICATED");
    assertThat(http.get("/api/v1/departments").send().header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void createDepartment_checksFieldsCreditCodeAndDuplicates() {
    String admin = server.adminToken();
    JsonObject good = new JsonObject().put("code", "SCJG-" + System.nanoTime() % 100000).put("name", "市场监督管理局")
        .put("kind", "DEPARTMENT").put("creditCode", "91350100M000100Y43");
    JsonObject created = http.post("/api/v1/departments", good).as(admin).expect(201).json();
    assertThat(created.getString("createdAt")).endsWith("+08:00");
    http.post("/api/v1/departments", good).as(admin).expectProblem(409, "CONFLICT");

    JsonObject badCheck = good.copy().put("code", "X-" + System.nanoTime() % 100000).put("creditCode", "91350100M000100Y44");
    JsonObject problem = http.post("/api/v1/departments", badCheck).as(admin).expectProblem(422, "VALIDATION_FAILED").json();
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("creditCode");
    assertThat(problem.getString("detail")).contains("check character");

    JsonObject wrongKind = http.post("/api/v1/departments", new JsonObject().put("code", "KK").put("name", "x").put("kind", "CITY"))
        .as(admin).expectProblem(400, "VALIDATION_FAILED").json();
    assertThat(wrongKind.getJsonArray("errors").encode()).contains("kind");
    JsonObject stranger = http.post("/api/v1/departments", good.copy().put("code", "ZZ-1").put("color", "red"))
        .as(admin).expectProblem(400, "VALIDATION_FAILED").json();
    assertThat(stranger.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("color");
    http.post("/api/v1/departments", new JsonObject().put("code", "BUR2").put("name", "x").put("kind", "BUREAU"))
        .as(admin).expectProblem(422, "VALIDATION_FAILED");
  }

  @Test
  void departments_areListedInPagesAndReadableByAnyClient() {
    String dept = server.department("LIST");
    for (int i = 0; i < 3; i++) {
      server.department("LIST");
    }
    Client consumer = server.client(dept, "CONSUMER");
    String token = server.tokenFor(consumer);
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      Http.Reply page = http.get("/api/v1/departments?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).as(token).expect(200);
      page.items().forEach(d -> assertThat(seen.add(((JsonObject) d).getString("code"))).isTrue());
      assertThat(page.items().size()).isLessThanOrEqualTo(2);
      cursor = page.json().getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 1000);
    assertThat(seen).contains(dept, "BUREAU");
    assertThat(pages).isGreaterThanOrEqualTo(3);
    http.get("/api/v1/departments/" + dept).as(token).expect(200);
    http.get("/api/v1/departments/NOPE-404").as(token).expectProblem(404, "NOT_FOUND");
    http.get("/api/v1/departments?cursor=garbage").as(token).expectProblem(400, "VALIDATION_FAILED");
  }

  @Test
  void onlyPlatformAdminCreatesDepartments() {
    Client deptAdmin = server.client(server.department("ROLE"), "DEPT_ADMIN");
    http.post("/api/v1/departments", new JsonObject().put("code", "NEW1").put("name", "x").put("kind", "TOWNSHIP"))
        .as(server.tokenFor(deptAdmin)).expectProblem(403, "FORBIDDEN");
  }

  @Test
  void deptAdmin_managesOnlyItsOwnDepartmentsClients() {
    String mine = server.department("OWN");
    String other = server.department("OTHER");
    String token = server.tokenFor(server.client(mine, "DEPT_ADMIN"));
    JsonObject created = http.post("/api/v1/departments/" + mine + "/clients",
        new JsonObject().put("name", "户籍系统").put("roles", new JsonArray().add("PROVIDER").add("CONSUMER"))).as(token).expect(201).json();
    assertThat(created.getString("clientSecret")).startsWith("gss_");
    assertThat(created.getJsonArray("roles")).containsExactlyInAnyOrder("CONSUMER", "PROVIDER");

    http.post("/api/v1/departments/" + other + "/clients", new JsonObject().put("name", "x").put("roles", new JsonArray().add("CONSUMER")))
        .as(token).expectProblem(403, "FORBIDDEN");
    http.get("/api/v1/departments/" + other + "/clients").as(token).expectProblem(403, "FORBIDDEN");
    http.post("/api/v1/departments/" + mine + "/clients", new JsonObject().put("name", "x").put("roles", new JsonArray().add("AUDITOR")))
        .as(token).expectProblem(403, "FORBIDDEN");

    JsonArray listed = http.get("/api/v1/departments/" + mine + "/clients").as(token).expect(200).items();
    assertThat(listed.encode()).doesNotContain("secret").contains(created.getString("clientId"));
    http.post("/api/v1/clients/" + listed.getJsonObject(0).getString("clientId") + "/secret").as(
        server.tokenFor(server.client(other, "DEPT_ADMIN"))).expectProblem(403, "FORBIDDEN");
  }

  @Test
  void roles_enforceSeparationOfDutiesAndBureauOnlyAdmins() {
    String admin = server.adminToken();
    http.post("/api/v1/departments/BUREAU/clients",
            new JsonObject().put("name", "x").put("roles", new JsonArray().add("PLATFORM_ADMIN").add("AUDITOR")))
        .as(admin).expectProblem(422, "VALIDATION_FAILED");
    http.post("/api/v1/departments/" + server.department("SOD") + "/clients",
            new JsonObject().put("name", "x").put("roles", new JsonArray().add("PLATFORM_ADMIN")))
        .as(admin).expectProblem(422, "VALIDATION_FAILED");
    http.post("/api/v1/departments/BUREAU/clients", new JsonObject().put("name", "x").put("roles", new JsonArray().add("ROOT")))
        .as(admin).expectProblem(400, "VALIDATION_FAILED");
    http.post("/api/v1/departments/BUREAU/clients", new JsonObject().put("name", "x").put("roles", new JsonArray()))
        .as(admin).expectProblem(400, "VALIDATION_FAILED");
    http.post("/api/v1/departments/NOPE-DEPT/clients", new JsonObject().put("name", "x").put("roles", new JsonArray().add("CONSUMER")))
        .as(admin).expectProblem(404, "NOT_FOUND");
  }

  @Test
  void rotation_replacesSecretAndEndsOldTokens() {
    Client c = server.client(server.department("ROT"), "CONSUMER");
    String oldToken = server.tokenFor(c);
    http.get("/api/v1/departments").as(oldToken).expect(200);
    String newSecret = http.post("/api/v1/clients/" + c.clientId() + "/secret").as(server.adminToken()).expect(200).json()
        .getString("clientSecret");
    assertThat(newSecret).isNotEqualTo(c.secret());
    http.get("/api/v1/departments").as(oldToken).expectProblem(401, "UNAUTHENTICATED");
    http.post("/api/v1/auth/token", tokenRequest(c.clientId(), c.secret())).expectProblem(401, "INVALID_CLIENT");
    String fresh = server.token(c.clientId(), newSecret);
    http.get("/api/v1/departments").as(fresh).expect(200);
  }

  @Test
  void revocation_endsTokensAndIsIdempotent() {
    String dept = server.department("REV");
    Client c = server.client(dept, "CONSUMER");
    String token = server.tokenFor(c);
    http.get("/api/v1/departments").as(token).expect(200);
    http.delete("/api/v1/clients/" + c.clientId()).as(server.adminToken()).expect(204);
    http.get("/api/v1/departments").as(token).expectProblem(401, "UNAUTHENTICATED");
    http.post("/api/v1/auth/token", tokenRequest(c.clientId(), c.secret())).expectProblem(401, "INVALID_CLIENT");
    http.delete("/api/v1/clients/" + c.clientId()).as(server.adminToken()).expect(204);
    http.post("/api/v1/clients/" + c.clientId() + "/secret").as(server.adminToken()).expectProblem(409, "CONFLICT");
    http.delete("/api/v1/clients/unknown-client").as(server.adminToken()).expectProblem(404, "NOT_FOUND");
    JsonArray listed = http.get("/api/v1/departments/" + dept + "/clients").as(server.adminToken()).expect(200).items();
    assertThat(listed.getJsonObject(0).getString("status")).isEqualTo("REVOKED");
  }

  @Test
  void lastPlatformAdminCannotBeRevoked() {
    // other tests may add admins; revoke every extra one we create, then the built-in one must hold
    JsonObject second = http.post("/api/v1/departments/BUREAU/clients",
        new JsonObject().put("name", "second admin").put("roles", new JsonArray().add("PLATFORM_ADMIN"))).as(server.adminToken())
        .expect(201).json();
    http.delete("/api/v1/clients/" + second.getString("clientId")).as(server.adminToken()).expect(204);
    http.delete("/api/v1/clients/admin").as(server.adminToken()).expectProblem(409, "CONFLICT");
  }

  private static JsonObject tokenRequest(String id, String secret) {
    return new JsonObject().put("grant_type", "client_credentials").put("client_id", id).put("client_secret", secret);
  }
}

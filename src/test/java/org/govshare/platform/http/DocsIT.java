package org.govshare.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** The API page (Swagger UI from the webjar), the redirect to it, and the headers RFC 9110 asks for. */
class DocsIT {
  private final TestServer server = TestServer.shared();
  private final Http http = server.http();

  @Test
  void docs_servesSwaggerUiFromTheClasspath() {
    Http.Reply page = http.get("/docs").send();
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body()).contains("/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/govshare-docs.js", "id=\"swagger-ui\"");
    for (String[] asset : new String[][] {{"/docs/swagger-ui-bundle.js", "text/javascript"}, {"/docs/swagger-ui.css", "text/css"},
        {"/docs/govshare-docs.js", "text/javascript"}, {"/docs/favicon-32x32.png", "image/png"}}) {
      Http.Reply r = http.get(asset[0]).send();
      assertThat(r.status()).as(asset[0]).isEqualTo(200);
      assertThat(r.header("Content-Type")).as(asset[0]).startsWith(asset[1]);
      assertThat(r.body()).as(asset[0]).isNotEmpty();
    }
    assertThat(http.get("/docs/govshare-docs.js").send().body()).contains("persistAuthorization: true", "/openapi.json");
    assertThat(http.get("/docs/no-such-asset.js").send().status()).isEqualTo(404);
  }

  @Test
  void root_redirectsToTheDocs() {
    Http.Reply root = http.get("/").send();
    assertThat(root.status()).isEqualTo(302);
    assertThat(root.header("Location")).isEqualTo("/docs");
  }

  @Test
  void contract_offersBearerAuthForTryItOut() {
    JsonObject contract = http.get("/openapi.json").expect(200).json();
    assertThat(contract.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("bearer").getString("scheme"))
        .isEqualTo("bearer");
  }

  @Test
  void methodNotAllowed_namesTheAllowedMethods() {
    String token = server.adminToken();
    Http.Reply onList = http.send("DELETE", "/api/v1/departments", null, null).as(token).expectProblem(405, "METHOD_NOT_ALLOWED");
    assertThat(onList.header("Allow")).isEqualTo("GET, POST");
    Http.Reply onEntry = http.send("PATCH", "/api/v1/catalog/resources/301001%2F000001", null, null).as(token).expect(405);
    assertThat(onEntry.header("Allow")).isEqualTo("GET, PUT");
    Http.Reply onHealth = http.send("POST", "/health/live", null, null).expect(405);
    assertThat(onHealth.header("Allow")).isEqualTo("GET");
  }

  @Test
  void createdClient_hasALocation() {
    String dept = server.department("LOC");
    Http.Reply created = http.post("/api/v1/departments/" + dept + "/clients",
        new JsonObject().put("name", "定位系统").put("roles", new io.vertx.core.json.JsonArray().add("CONSUMER")))
        .as(server.adminToken()).expect(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/clients/" + created.json().getString("clientId"));
    assertThat(created.header("X-Request-Id")).isNotBlank();
  }
}

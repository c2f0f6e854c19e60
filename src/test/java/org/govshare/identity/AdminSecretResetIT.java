package org.govshare.identity;

import org.govshare.tools.AdminSecretReset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.govshare.platform.config.GovshareConfig;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Every admin credential lost: the operator resets the admin's secret on the server machine and gets back in. */
class AdminSecretResetIT {

  @Test
  void reset_restoresARevokedAdminWithANewSecret_audited() throws Exception {
    Path dir = Files.createTempDirectory("govshare-reset");
    Map<String, String> settings = new HashMap<>(Map.of("data.dir", dir.toString(), "secret.hash-iterations", "1000",
        "admin.secret", TestServer.ADMIN_SECRET));
    TestServer server = TestServer.start(dir, Map.of());
    try {
      // the secret is lost and the client revoked behind the platform's back: no way in over HTTP
      EscalationIT.await(server.platform().pool().preparedQuery(
          "UPDATE api_client SET status = 'REVOKED', roles = ARRAY['CONSUMER'], credential_version = credential_version + 1 WHERE client_id = $1")
          .execute(Tuple.of("admin")));
      assertThatThrownBy(() -> AdminSecretReset.run(GovshareConfig.with(settings)))
          .hasMessageContaining("stop the server first");
    } finally {
      server.close();
    }

    Path file = AdminSecretReset.run(GovshareConfig.with(settings));

    assertThat(file).isEqualTo(dir.resolve("admin-secret.txt"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String secret = Files.readString(file).trim();
    assertThat(secret).startsWith("gss_").isNotEqualTo(TestServer.ADMIN_SECRET);
    TestServer again = TestServer.start(dir, Map.of());
    try {
      again.http().post("/api/v1/auth/token", new JsonObject().put("grant_type", "client_credentials").put("client_id", "admin")
          .put("client_secret", TestServer.ADMIN_SECRET)).expectProblem(401, "INVALID_CLIENT");
      String token = again.token("admin", secret);
      again.http().post("/api/v1/departments", new JsonObject().put("code", "BACK-IN").put("name", "重新进入").put("kind", "TOWNSHIP"))
          .as(token).expect(201);
      JsonObject record = again.http().get("/api/v1/audit?action=CLIENT_SECRET_ROTATE&limit=1").as(token).expect(200).items()
          .getJsonObject(0);
      assertThat(record.getString("subject")).isEqualTo("admin");
      assertThat(record.getString("clientId")).isEqualTo("system");
      assertThat(record.getValue("detail").toString()).contains("\"reset\":true").contains("\"reactivated\":true")
          .contains("\"platformAdminRestored\":true").doesNotContain(secret);
    } finally {
      again.close();
    }
  }
}

package org.govshare.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.Test;

class RestartIT {

  @Test
  void dataAndGeneratedAdminSecret_surviveRestart() throws Exception {
    Path dir = Files.createTempDirectory("govshare-restart");
    Map<String, String> generated = Map.of("admin.secret", "");
    String dept;
    JsonObject verifiedBefore;
    try (TestServer first = TestServer.start(dir, generated)) {
      String secret = Files.readString(dir.resolve("admin-secret.txt")).trim();
      assertThat(secret).startsWith("gss_");
      String token = first.token("admin", secret);
      dept = "KEEP-" + System.nanoTime() % 100000;
      first.http().post("/api/v1/departments", new JsonObject().put("code", dept).put("name", "留存").put("kind", "TOWNSHIP"))
          .as(token).expect(201);
      verifiedBefore = first.http().get("/api/v1/audit/verify").as(token).expect(200).json();
    }
    try (TestServer second = TestServer.start(dir, generated)) {
      String secret = Files.readString(dir.resolve("admin-secret.txt")).trim();
      String token = second.token("admin", secret);
      second.http().get("/api/v1/departments/" + dept).as(token).expect(200);
      JsonObject verifiedAfter = second.http().get("/api/v1/audit/verify").as(token).expect(200).json();
      assertThat(verifiedAfter.getBoolean("ok")).isTrue();
      assertThat(verifiedAfter.getLong("checked")).isGreaterThan(verifiedBefore.getLong("checked"));
    }
  }
}

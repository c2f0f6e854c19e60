package org.govshare.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.govshare.testing.TestServer;
import org.govshare.testing.TestServer.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two instances on one database, as a cluster runs: tokens work on both, revocation reaches both. */
class CrossInstanceRevocationIT {
  private static TestServer first;
  private static TestServer second;

  @BeforeAll
  static void start() {
    first = TestServer.start(Map.of());
    second = first.secondInstance(Map.of());
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  @Test
  void tokenFromOneInstance_worksOnTheOther_untilRevokedThere() throws Exception {
    Client c = first.client(first.department("XI"), "CONSUMER");
    String token = first.tokenFor(c);
    second.http().get("/api/v1/departments").as(token).expect(200);

    first.http().delete("/api/v1/clients/" + c.clientId()).as(first.adminToken()).expect(204);
    first.http().get("/api/v1/departments").as(token).expectProblem(401, "UNAUTHENTICATED");

    // the other instance learns of it at its next poll (200 ms in tests, 2 s by default)
    long deadline = System.currentTimeMillis() + 5_000;
    int status;
    do {
      Thread.sleep(100);
      status = second.http().get("/api/v1/departments").as(token).send().status();
    } while (status == 200 && System.currentTimeMillis() < deadline);
    assertThat(status).isEqualTo(401);
  }
}

package org.govshare.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.govshare.testing.Http;
import org.govshare.testing.TestServer;
import org.govshare.testing.TestServer.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The platform always keeps one active platform administrator, even when the last two revoke each other at once. */
class LastAdminIT {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of()); // its own: this test revokes the built-in admin
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void mutualRevocation_ofTheLastTwoAdmins_leavesOne() throws Exception {
    Http http = server.http();
    Client a = new Client("admin", TestServer.ADMIN_SECRET, "BUREAU");
    Client b = newAdmin(a);
    for (int round = 0; round < 8; round++) {
      assertThat(activeAdmins()).as("round %d starts with two admins", round).hasSize(2);
      String tokenA = server.tokenFor(a);
      String tokenB = server.tokenFor(b);
      String idA = a.clientId();
      String idB = b.clientId();
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<Integer> aRevokesB = CompletableFuture.supplyAsync(() -> {
        await(start);
        return http.delete("/api/v1/clients/" + idB).as(tokenA).send().status();
      });
      CompletableFuture<Integer> bRevokesA = CompletableFuture.supplyAsync(() -> {
        await(start);
        return http.delete("/api/v1/clients/" + idA).as(tokenB).send().status();
      });
      List<Integer> statuses = List.of(aRevokesB.get(), bRevokesA.get());
      // the loser is refused as the last admin, or is already revoked by the time it authenticates
      assertThat(statuses).as("round %d", round).containsOnlyOnce(204).containsAnyOf(409, 401);
      List<String> left = activeAdmins();
      assertThat(left).as("round %d leaves exactly one admin", round).hasSize(1);
      Client survivor = left.get(0).equals(a.clientId()) ? a : b;
      http.delete("/api/v1/clients/" + survivor.clientId()).as(server.tokenFor(survivor)).expectProblem(409, "CONFLICT");
      a = survivor;
      b = newAdmin(survivor);
    }
  }

  private static Client newAdmin(Client by) {
    var created = server.http().post("/api/v1/departments/BUREAU/clients", new io.vertx.core.json.JsonObject().put("name", "admin")
        .put("roles", new io.vertx.core.json.JsonArray().add("PLATFORM_ADMIN"))).as(server.tokenFor(by)).expect(201).json();
    return new Client(created.getString("clientId"), created.getString("clientSecret"), "BUREAU");
  }

  private List<String> activeAdmins() throws Exception {
    return EscalationIT.await(server.platform().pool().preparedQuery(
            "SELECT client_id FROM api_client WHERE status = 'ACTIVE' AND 'PLATFORM_ADMIN' = ANY(roles) AND department = $1")
        .execute(Tuple.of("BUREAU"))).stream().map(r -> r.getString(0)).toList();
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

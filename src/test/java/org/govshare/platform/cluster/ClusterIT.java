package org.govshare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.govshare.testing.ClusteredPair;
import org.govshare.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two instances clustered over Hazelcast on one database. */
class ClusterIT {
  private static ClusteredPair pair;

  @BeforeAll
  static void start() {
    pair = ClusteredPair.start(Map.of());
  }

  @AfterAll
  static void stop() {
    pair.close();
  }

  @Test
  void readiness_reportsClusteredMode_bothMembers_andThisNode() {
    JsonObject a = cluster(pair.a);
    JsonObject b = cluster(pair.b);
    assertThat(a.getString("status")).isEqualTo("UP");
    assertThat(a.getString("mode")).isEqualTo("clustered");
    assertThat(a.getJsonArray("members")).hasSize(2);
    assertThat(b.getJsonArray("members")).isEqualTo(a.getJsonArray("members"));
    assertThat(a.getString("node")).isNotBlank().isNotEqualTo(b.getString("node"));
  }

  @Test
  void eventBus_reachesTheOtherInstance() throws Exception {
    String address = "cluster-it-" + System.nanoTime();
    pair.b.platform().vertx().eventBus().<String>consumer(address, m -> m.reply("pong from b")).completion()
        .toCompletionStage().toCompletableFuture().get();
    Object reply = pair.a.platform().vertx().eventBus().request(address, "ping").toCompletionStage().toCompletableFuture().get()
        .body();
    assertThat(reply).isEqualTo("pong from b");
  }

  @Test
  void standalone_reportsItsMode() {
    JsonObject shared = cluster(TestServer.shared());
    assertThat(shared.getString("mode")).isEqualTo("standalone");
    assertThat(shared.getJsonArray("members")).isEmpty();
    assertThat(shared.getString("node")).isNotBlank();
  }

  private static JsonObject cluster(TestServer s) {
    return s.http().get("/health/ready").expect(200).json().getJsonObject("checks").getJsonObject("cluster");
  }
}

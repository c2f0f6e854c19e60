package org.govshare.platform.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.govshare.platform.config.GovshareConfig.ClusterConfig;

/**
 * This instance's Vert.x and its place among the others: clustered over Hazelcast when members are
 * configured, standalone otherwise. The rest of the server sees only this, so both run the same code.
 */
public interface Cluster {
  Vertx vertx();

  /** This node's id: the Hazelcast member's when clustered. */
  String node();

  boolean clustered();

  /** The members this node sees now, as {@code host:port}. */
  List<String> members();

  /** The Hazelcast member of a clustered node, for state shared by the cluster (maps); empty standalone. */
  default Optional<HazelcastInstance> hazelcast() {
    return Optional.empty();
  }

  default JsonObject health() {
    return new JsonObject().put("status", "UP").put("mode", clustered() ? "clustered" : "standalone")
        .put("members", new JsonArray(members())).put("node", node());
  }

  /** Blocking: builds the Vert.x, joining the cluster when members are configured. */
  static Cluster start(VertxBuilder builder, ClusterConfig config) throws Exception {
    if (!config.clustered()) {
      Vertx vertx = builder.build();
      return new Local(vertx, "standalone-" + UUID.randomUUID());
    }
    return HazelcastCluster.join(builder, config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  record Local(Vertx vertx, String node) implements Cluster {
    @Override
    public boolean clustered() {
      return false;
    }

    @Override
    public List<String> members() {
      return List.of();
    }
  }
}

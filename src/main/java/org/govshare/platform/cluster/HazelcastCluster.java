package org.govshare.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import org.govshare.platform.config.GovshareConfig.ClusterConfig;

/** Vert.x clustered over Hazelcast: TCP-IP join with the listed members, nothing discovered, nothing sent home. */
final class HazelcastCluster implements Cluster {
  private final Vertx vertx;
  private final HazelcastClusterManager manager;

  private HazelcastCluster(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  static Future<Cluster> join(VertxBuilder builder, ClusterConfig config) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(config));
    return builder.withClusterManager(manager).buildClustered().map(vertx -> new HazelcastCluster(vertx, manager));
  }

  static Config hazelcastConfig(ClusterConfig c) {
    // loadConfig keeps the __vertx.* maps and multimaps Vert.x's cluster manager relies on
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(c.name());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.partition.migration.stale.read.disabled", "true");
    hz.setProperty("hazelcast.local.localAddress", c.host());
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(c.port()).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).setInterfaces(List.of(c.host()));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(c.members());
    // a lost bucket restarts full, which costs at most one burst: no synchronous backup on every take
    hz.getMapConfig(RateLimiter.MAP).setBackupCount(0).setAsyncBackupCount(1);
    return hz;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public String node() {
    return manager.getNodeId();
  }

  @Override
  public boolean clustered() {
    return true;
  }

  @Override
  public java.util.Optional<com.hazelcast.core.HazelcastInstance> hazelcast() {
    return java.util.Optional.of(manager.getHazelcastInstance());
  }

  @Override
  public io.vertx.core.json.JsonObject health() {
    io.vertx.core.json.JsonObject out = Cluster.super.health();
    return manager.isActive() ? out : out.put("status", "DOWN").put("reason", "this member has left the Hazelcast cluster");
  }

  @Override
  public List<String> members() {
    if (!manager.isActive()) {
      return List.of();
    }
    return manager.getHazelcastInstance().getCluster().getMembers().stream()
        .map(m -> m.getAddress().getHost() + ":" + m.getAddress().getPort()).sorted().toList();
  }
}

package org.govshare.platform.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.govshare.platform.Periodic;
import org.govshare.platform.config.GovshareConfig.ClusterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every instance's caches exact (ADR 0007). A writer, after its COMMIT and before it answers,
 * calls {@link #changed}: the change is recorded in the database, then every instance whose heartbeat
 * is fresh is asked to drop the keys, and the call completes once all confirmed or the lease time has
 * passed since the record was committed. Each instance renews a lease with its heartbeat and serves
 * from its caches only while the lease is fresh ({@link #fresh}); a heartbeat also drops what changed
 * recently, so an instance that missed a message has either seen the change or lost its lease by the
 * time the writer answers. Standalone, only the local caches exist and nothing is sent.
 */
public final class Invalidation {
  private static final Logger LOG = LoggerFactory.getLogger(Invalidation.class);
  private static final String ADDRESS = "govshare.invalidation.";
  private static final int FORGET_EVERY_BEATS = 240;

  /** A cache that can drop entries by key and be cleared whole. */
  public interface Target {
    /** Completes once the next read of these keys on this instance goes to the database. */
    Future<Void> drop(List<String> keys);

    void clear();
  }

  private final Cluster cluster;
  private final Vertx vertx;
  private final PgClusterStore store;
  private final ClusterConfig config;
  private final long leaseNanos;
  private final Map<String, Target> targets = new ConcurrentHashMap<>();
  private final Map<Long, Long> seen = new ConcurrentHashMap<>();
  private final Counter sent;
  private final Counter unconfirmed;
  private final Counter lapses;
  private volatile long leaseEnd = System.nanoTime();
  private volatile boolean everLeased;
  private MessageConsumer<JsonObject> consumer;
  private Periodic heartbeat;
  private long beats;

  public Invalidation(Cluster cluster, Pool pool, ClusterConfig config, MeterRegistry registry) {
    this.cluster = cluster;
    this.vertx = cluster.vertx();
    this.store = new PgClusterStore(pool);
    this.config = config;
    this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(config.leaseMs());
    this.sent = Counter.builder("govshare_invalidations_sent").description("invalidations sent to other instances").register(registry);
    this.unconfirmed = Counter.builder("govshare_invalidations_unconfirmed")
        .description("instances that did not confirm an invalidation in time; the write waited for their lease").register(registry);
    this.lapses = Counter.builder("govshare_cache_lease_lapses").description("times this instance's cache lease ran out").register(registry);
    Gauge.builder("govshare_cache_lease_fresh", () -> fresh() ? 1 : 0).register(registry);
  }

  /** For a process that is no member of a cluster (an operator's command): local caches only, nothing sent. */
  public static Invalidation none(Vertx vertx) {
    return new Invalidation(new Cluster.Local(vertx, "none"), null,
        new ClusterConfig(List.of(), "127.0.0.1", 5701, "none", 250, 1_000), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  /** Before {@link #start}: the cache of one kind of state on this instance. */
  public void register(String kind, Target target) {
    targets.put(kind, target);
  }

  public Future<Void> start() {
    if (!cluster.clustered()) {
      return Future.succeededFuture();
    }
    consumer = vertx.eventBus().consumer(ADDRESS + cluster.node(), this::received);
    // reachable before the heartbeat makes this instance known to writers
    return consumer.completion().compose(v -> beat()).onSuccess(v ->
        heartbeat = Periodic.every(vertx, config.heartbeatMs(), "renewing the cache lease", this::beat));
  }

  public Future<Void> stop() {
    if (!cluster.clustered()) {
      return Future.succeededFuture();
    }
    if (heartbeat != null) {
      heartbeat.cancel();
    }
    leaseEnd = System.nanoTime();
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.compose(v -> store.leave(cluster.node())).recover(e -> Future.succeededFuture());
  }

  /** May this instance answer from its caches now? Always standalone; clustered only within the lease. */
  public boolean fresh() {
    return !cluster.clustered() || leaseEnd - System.nanoTime() > 0;
  }

  /** The other instances whose heartbeat is younger than the lease: those a writer must reach. */
  public Future<List<String>> livePeers() {
    return cluster.clustered() ? store.livePeers(cluster.node(), config.leaseMs()) : Future.succeededFuture(List.of());
  }

  public JsonObject health() {
    return new JsonObject().put("caches", fresh() ? "serving" : "read-through");
  }

  /**
   * The writer's half, called after COMMIT and completed before the reply: the other instances have
   * dropped these keys, or cannot serve them from a cache any more.
   */
  public Future<Void> changed(String kind, List<String> keys) {
    if (!cluster.clustered() || keys.isEmpty()) {
      return Future.succeededFuture();
    }
    return store.record(kind, keys).compose(seq -> {
      long committed = System.nanoTime();
      seen.put(seq, committed);
      return store.livePeers(cluster.node(), config.leaseMs()).compose(peers -> tell(peers, seq, kind, keys, committed + leaseNanos));
    }).recover(e -> {
      // the database did not take the record: other instances' heartbeats fail as well and their leases run out
      LOG.warn("could not record a {} change for the other instances: {}", kind, e.toString());
      return Future.succeededFuture();
    });
  }

  private Future<Void> tell(List<String> peers, long seq, String kind, List<String> keys, long deadline) {
    JsonObject message = new JsonObject().put("seq", seq).put("kind", kind).put("keys", new JsonArray(new ArrayList<>(keys)));
    List<Future<Void>> all = new ArrayList<>();
    for (String peer : peers) {
      long timeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      sent.increment();
      all.add(vertx.eventBus().request(ADDRESS + peer, message, new DeliveryOptions().setSendTimeout(timeoutMs))
          .<Void>mapEmpty()
          .recover(e -> {
            unconfirmed.increment();
            LOG.debug("instance {} did not confirm change {}: {}", peer, seq, e.toString());
            return until(deadline);
          }));
    }
    return Future.all(all).mapEmpty();
  }

  // an instance that did not answer has either seen the change at a heartbeat or lost its lease by then
  private Future<Void> until(long deadline) {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1;
    if (ms <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    vertx.setTimer(ms, id -> done.complete());
    return done.future();
  }

  private void received(Message<JsonObject> m) {
    JsonObject body = m.body();
    seen.put(body.getLong("seq"), System.nanoTime());
    List<String> keys = new ArrayList<>();
    body.getJsonArray("keys").forEach(k -> keys.add(String.valueOf(k)));
    apply(body.getString("kind"), keys).onComplete(ar -> {
      if (ar.succeeded()) {
        m.reply(null);
      } else {
        m.fail(500, ar.cause().toString());
      }
    });
  }

  private Future<Void> apply(String kind, List<String> keys) {
    Target t = targets.get(kind);
    if (t == null) {
      LOG.warn("invalidation of unknown kind {}", kind);
      return Future.succeededFuture();
    }
    return t.drop(keys);
  }

  private Future<Void> beat() {
    long start = System.nanoTime();
    return store.beat(cluster.node()).compose(v -> store.recentChanges()).compose(changes -> {
      List<Future<Void>> applied = new ArrayList<>();
      for (PgClusterStore.Change c : changes) {
        if (seen.putIfAbsent(c.seq(), start) == null) {
          applied.add(apply(c.kind(), c.keys()));
        }
      }
      return Future.all(applied);
    }).map(v -> {
      // lapsed at any moment before this renewal (a slow heartbeat too): what is cached may be older than the lease covers
      if (everLeased && System.nanoTime() - leaseEnd >= 0) {
        lapses.increment();
        LOG.warn("the cache lease of this instance ran out; its caches are cleared");
        targets.values().forEach(Target::clear);
      }
      leaseEnd = start + leaseNanos;
      everLeased = true;
      long forget = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
      seen.values().removeIf(at -> at - forget < 0);
      return null;
    }).compose(v -> ++beats % FORGET_EVERY_BEATS == 0 ? store.forgetOld() : Future.<Void>succeededFuture());
  }
}

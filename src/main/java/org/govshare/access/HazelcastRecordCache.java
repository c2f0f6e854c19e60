package org.govshare.access;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.govshare.platform.Periodic;
import org.govshare.platform.cluster.Cluster;
import org.govshare.platform.cluster.Invalidation;
import org.govshare.platform.config.GovshareConfig.RecordCacheConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record cache of a cluster: one Hazelcast {@link IMap} shared by every instance (one synchronous
 * backup, no Near Cache), holding per key a record, the knowledge that there is none, or a loader's
 * reservation. ADR 0009 gives the argument; in short:
 * <ul>
 *   <li>A reader that misses reserves the key with a random token, reads PostgreSQL, and stores what
 *   it read only if its reservation is still there. A writer removes the keys after its COMMIT and
 *   before its answer, which also removes any reservation: a load that may have read the old record
 *   can never put it back, and every read after the answer goes to the key's one owner and misses.
 *   <li>That holds while all live instances (fresh heartbeats in {@code cluster_node}) are members of
 *   one Hazelcast cluster. An instance serves and fills only while its view is whole, no member left
 *   it since, and its lease is fresh. A write whose removal is not confirmed in time (a split, a slow
 *   member) or made while this instance does not serve falls back to {@link Invalidation}: every live
 *   instance stops serving from the map (or its lease runs out) before the write is answered, and
 *   resumes only after its view is whole again and it has cleared the map.
 * </ul>
 */
public final class HazelcastRecordCache implements RecordCache {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastRecordCache.class);
  static final String MAP = "govshare.records";
  static final String KIND = "records";
  private static final long LOADING_TTL_MS = 30_000;
  private static final char SEPARATOR = '\u001f';
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private final Vertx vertx;
  private final Cluster cluster;
  private final HazelcastInstance hazelcast;
  private final Invalidation invalidation;
  private final RecordSource source;
  private final long timeoutMs;
  private final long ttlMs;
  private final long checkMs;
  private final IMap<String, byte[]> map;
  private final Counter hits;
  private final Counter misses;
  private final Counter suspensions;
  private final Counter slowWrites;
  private volatile boolean suspended = true;
  private long generation;
  private boolean resuming;
  private Periodic checker;
  private UUID listener;

  public HazelcastRecordCache(Cluster cluster, Invalidation invalidation, RecordSource source, RecordCacheConfig config,
      long checkMs, MeterRegistry registry) {
    this.vertx = cluster.vertx();
    this.cluster = cluster;
    this.hazelcast = cluster.hazelcast().orElseThrow(() -> new IllegalStateException("a clustered record cache needs Hazelcast"));
    this.invalidation = invalidation;
    this.source = source;
    this.timeoutMs = config.timeoutMs();
    this.ttlMs = TimeUnit.SECONDS.toMillis(config.ttlSeconds());
    this.checkMs = checkMs;
    // every instance adds the same configuration before the map's first use; Hazelcast accepts identical ones
    hazelcast.getConfig().addMapConfig(new MapConfig(MAP).setBackupCount(1).setAsyncBackupCount(0)
        .setTimeToLiveSeconds((int) Math.min(Integer.MAX_VALUE, config.ttlSeconds()))
        .setEvictionConfig(new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU).setMaxSizePolicy(MaxSizePolicy.PER_NODE)
            .setSize((int) Math.min(Integer.MAX_VALUE, config.maxEntries())))
        // after a split heals every instance clears the map anyway; what the smaller side held is dropped
        .setMergePolicyConfig(new MergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName())));
    this.map = hazelcast.getMap(MAP);
    this.hits = RecordCacheMetrics.hits(registry);
    this.misses = RecordCacheMetrics.misses(registry);
    this.suspensions = Counter.builder("govshare_record_cache_suspensions")
        .description("times this instance stopped answering from the shared record cache until it was whole and cleared").register(registry);
    this.slowWrites = Counter.builder("govshare_record_cache_slow_writes")
        .description("record writes not confirmed by the shared map in time, which waited for the lease instead").register(registry);
    Gauge.builder("govshare_record_cache_serving", () -> serving() ? 1 : 0).register(registry);
    invalidation.register(KIND, new Invalidation.Target() {
      @Override
      public Future<Void> drop(List<String> keys) {
        suspend("a record write elsewhere was not confirmed by the shared map");
        return Future.succeededFuture();
      }

      @Override
      public void clear() {
        suspend("the cache lease ran out");
      }
    });
  }

  @Override
  public Future<Void> start() {
    listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        // a member that joins takes over partitions by migration, which keeps entries exact
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        suspend("member " + e.getMember().getUuid() + " left this instance's view");
      }
    });
    return check().onComplete(ar -> checker = Periodic.every(vertx, checkMs, "checking the record cache's view of the cluster", this::check));
  }

  @Override
  public void stop() {
    if (checker != null) {
      checker.cancel();
    }
    suspend(null);
    if (listener != null) {
      try {
        hazelcast.getCluster().removeMembershipListener(listener);
      } catch (RuntimeException e) {
        LOG.debug("membership listener not removed: {}", e.toString());
      }
    }
  }

  @Override
  public JsonObject health() {
    long owned;
    try {
      owned = map.getLocalMapStats().getOwnedEntryCount();
    } catch (RuntimeException e) {
      owned = -1;
    }
    return new JsonObject().put("status", "UP").put("mode", "cluster").put("serving", serving()).put("ownedEntries", owned);
  }

  boolean serving() {
    return !suspended && invalidation.fresh();
  }

  @Override
  public Future<List<StoredRecord>> fetch(RecordSchema resource, List<String> keys) {
    if (!serving()) {
      misses.increment(keys.size());
      return source.fetch(resource, keys);
    }
    String code = resource.code();
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
    List<Future<byte[]>> cached = new ArrayList<>(distinct.size());
    for (String k : distinct) {
      cached.add(bounded(map.getAsync(id(code, k))).otherwise((byte[]) null));
    }
    return Future.join(cached).transform(ignored -> {
      List<StoredRecord> out = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < distinct.size(); i++) {
        byte[] b = cached.get(i).result();
        if (RecordBytes.known(b)) {
          StoredRecord r = RecordBytes.record(distinct.get(i), b);
          if (r != null) {
            out.add(r);
          }
        } else {
          missing.add(distinct.get(i));
        }
      }
      hits.increment(distinct.size() - missing.size());
      if (missing.isEmpty()) {
        return Future.succeededFuture(out);
      }
      misses.increment(missing.size());
      return load(resource, missing).map(loaded -> {
        out.addAll(loaded);
        return out;
      });
    });
  }

  /** Reserve, read the database, keep what was read where the reservation survived. */
  private Future<List<StoredRecord>> load(RecordSchema resource, List<String> keys) {
    String code = resource.code();
    long token = ThreadLocalRandom.current().nextLong();
    Map<String, Future<byte[]>> reserved = new HashMap<>();
    for (String k : keys) {
      reserved.put(k, bounded(map.submitToKey(id(code, k), new Reserve(token, LOADING_TTL_MS))));
    }
    return Future.join(new ArrayList<>(reserved.values())).transform(ignored -> source.fetch(resource, keys)).onSuccess(found -> {
      if (!serving()) {
        return;
      }
      Map<String, byte[]> values = new HashMap<>();
      keys.forEach(k -> values.put(k, RecordBytes.absent()));
      found.forEach(r -> values.put(r.key(), RecordBytes.of(r)));
      values.forEach((k, bytes) -> {
        Future<byte[]> mine = reserved.get(k);
        // a reservation that failed, or that found a value already there, is not ours to fill
        if (mine.succeeded() && mine.result() == null) {
          map.submitToKey(id(code, k), new Fill(token, bytes, ttlMs)).exceptionally(e -> {
            LOG.debug("record cache fill not stored: {}", e.toString());
            return false;
          });
        }
      });
    });
  }

  @Override
  public Future<Void> written(String resource, List<String> keys) {
    Set<String> ids = new LinkedHashSet<>();
    keys.forEach(k -> ids.add(id(resource, k)));
    long before = generation();
    boolean wasServing = !suspended;
    return bounded(map.submitToKeys(ids, new Drop())).transform(ar -> {
      if (ar.succeeded() && wasServing && !suspended && generation() == before) {
        return Future.succeededFuture();
      }
      // not confirmed in one whole cluster: every live instance must stop serving from the map before the answer
      slowWrites.increment();
      suspend("a record write was not confirmed by the shared map" + (ar.failed() ? ": " + ar.cause() : ""));
      return invalidation.changed(KIND, List.of(resource));
    });
  }

  private synchronized long generation() {
    return generation;
  }

  private synchronized void suspend(String why) {
    generation++;
    if (!suspended && why != null) {
      suspensions.increment();
      LOG.warn("the record cache stops answering on this instance: {}", why);
    }
    suspended = true;
  }

  /**
   * Suspends this instance when a live instance is missing from its Hazelcast view; resumes a
   * suspended one once its view is whole and its lease fresh, after clearing the map (a split may
   * have left entries that missed writes of the other side).
   */
  private Future<Void> check() {
    if (resuming) {
      return Future.succeededFuture();
    }
    return invalidation.livePeers().compose(peers -> {
      Set<String> members = new HashSet<>();
      for (Member m : hazelcast.getCluster().getMembers()) {
        // an instance's id in cluster_node is Vert.x's node id, which the member carries as an attribute
        String node = m.getAttribute(VERTX_NODE_ID);
        members.add(node != null ? node : m.getUuid().toString());
      }
      List<String> outside = peers.stream().filter(p -> !members.contains(p)).toList();
      if (!outside.isEmpty()) {
        suspend("live instances " + outside + " are not members of this instance's Hazelcast cluster");
        return Future.<Void>succeededFuture();
      }
      if (!suspended || !invalidation.fresh()) {
        return Future.<Void>succeededFuture();
      }
      long before = generation();
      resuming = true;
      return vertx.<Void>executeBlocking(() -> {
        map.clear();
        return null;
      }, false).onComplete(ar -> resuming = false).map(v -> {
        synchronized (this) {
          if (generation == before) {
            suspended = false;
            LOG.info("the record cache answers on this instance ({} members)", members.size());
          }
        }
        return null;
      });
    }).recover(e -> {
      LOG.debug("record cache check failed: {}", e.toString());
      return Future.succeededFuture();
    });
  }

  private <T> Future<T> bounded(CompletionStage<T> stage) {
    Context context = Vertx.currentContext();
    Future<T> f = context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
    return f.timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static String id(String resource, String key) {
    return resource + SEPARATOR + key;
  }

  /** Answers the cached state, or reserves the key for this loader's token. */
  static final class Reserve implements EntryProcessor<String, byte[], byte[]> {
    private static final long serialVersionUID = 1L;
    private final long token;
    private final long ttlMs;

    Reserve(long token, long ttlMs) {
      this.token = token;
      this.ttlMs = ttlMs;
    }

    @Override
    public byte[] process(Map.Entry<String, byte[]> entry) {
      byte[] current = entry.getValue();
      if (RecordBytes.known(current)) {
        return current;
      }
      ((ExtendedMapEntry<String, byte[]>) entry).setValue(RecordBytes.loading(token), ttlMs, TimeUnit.MILLISECONDS);
      return null;
    }
  }

  /** Stores a loaded state only over this loader's own reservation: a write since removed it. */
  static final class Fill implements EntryProcessor<String, byte[], Boolean> {
    private static final long serialVersionUID = 1L;
    private final long token;
    private final byte[] value;
    private final long ttlMs;

    Fill(long token, byte[] value, long ttlMs) {
      this.token = token;
      this.value = value;
      this.ttlMs = ttlMs;
    }

    @Override
    public Boolean process(Map.Entry<String, byte[]> entry) {
      if (!RecordBytes.loadingBy(entry.getValue(), token)) {
        return false;
      }
      ((ExtendedMapEntry<String, byte[]>) entry).setValue(value, ttlMs, TimeUnit.MILLISECONDS);
      return true;
    }
  }

  /** Removes whatever the key holds: a record, an unknown key, or a loader's reservation. */
  static final class Drop implements EntryProcessor<String, byte[], Void> {
    private static final long serialVersionUID = 1L;

    @Override
    public Void process(Map.Entry<String, byte[]> entry) {
      if (entry.getValue() != null) {
        entry.setValue(null);
      }
      return null;
    }
  }
}

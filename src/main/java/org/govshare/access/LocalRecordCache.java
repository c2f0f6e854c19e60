package org.govshare.access;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.govshare.platform.Periodic;
import org.govshare.platform.config.GovshareConfig.RecordCacheConfig;

/**
 * The record cache of a standalone instance: Caffeine in this process. A write on this instance
 * drops its keys before it is answered, and a load that was in flight when its key was dropped is
 * not kept (Caffeine's {@link AsyncCache}): exact for one instance. Other instances on the same
 * database are seen by reading the change log every {@code pollMs}: their writes show here within
 * that period plus one query (ADR 0009).
 */
public final class LocalRecordCache implements RecordCache {
  // beyond this many changed keys at once (a bulk upload), the resource's entries are dropped whole
  static final int KEYS_PER_POLL = 10_000;
  private static final char SEPARATOR = '\u001f';

  private final Vertx vertx;
  private final RecordSource source;
  private final PgRecordChanges changes;
  private final long pollMs;
  private final AsyncCache<String, byte[]> cache;
  private final Counter hits;
  private final Counter misses;
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private boolean polled;
  private Periodic poller;

  public LocalRecordCache(Vertx vertx, RecordSource source, Pool pool, RecordCacheConfig config, MeterRegistry registry) {
    this.vertx = vertx;
    this.source = source;
    this.changes = new PgRecordChanges(pool);
    this.pollMs = config.pollMs();
    this.cache = CaffeineCacheMetrics.monitor(registry, Caffeine.newBuilder().maximumSize(config.maxEntries())
        .expireAfterWrite(Duration.ofSeconds(config.ttlSeconds())).executor(Runnable::run).recordStats()
        .<String, byte[]>buildAsync(), "govshare_records");
    this.hits = RecordCacheMetrics.hits(registry);
    this.misses = RecordCacheMetrics.misses(registry);
  }

  @Override
  public Future<Void> start() {
    return poll().onSuccess(v -> poller = Periodic.every(vertx, pollMs, "reading record changes of other instances", this::poll));
  }

  @Override
  public void stop() {
    if (poller != null) {
      poller.cancel();
    }
  }

  @Override
  public JsonObject health() {
    return new JsonObject().put("status", "UP").put("mode", "local").put("entries", cache.synchronous().estimatedSize());
  }

  @Override
  public Future<List<StoredRecord>> fetch(RecordSchema resource, List<String> keys) {
    String code = resource.code();
    Set<String> ids = new LinkedHashSet<>();
    keys.forEach(k -> ids.add(id(code, k)));
    int[] missed = {0};
    CompletableFuture<Map<String, byte[]>> all = cache.getAll(ids, (missing, executor) -> {
      missed[0] = missing.size();
      List<String> asked = new ArrayList<>(missing.size());
      missing.forEach(id -> asked.add(id.substring(code.length() + 1)));
      return source.fetch(resource, asked).map(found -> {
        Map<String, byte[]> loaded = new HashMap<>();
        for (String id : missing) {
          loaded.put(id, RecordBytes.absent()); // an unknown key is cached too; an insert drops it like an update
        }
        found.forEach(r -> loaded.put(id(code, r.key()), RecordBytes.of(r)));
        return loaded;
      }).toCompletionStage().toCompletableFuture();
    });
    misses.increment(missed[0]);
    hits.increment(ids.size() - missed[0]);
    Future<Map<String, byte[]>> answered;
    if (all.isDone() && !all.isCompletedExceptionally()) {
      answered = Future.succeededFuture(all.join());
    } else {
      Context context = Vertx.currentContext();
      answered = (context == null ? Future.fromCompletionStage(all) : Future.fromCompletionStage(all, context))
          // the database's own failure (a timeout is a 503), not Caffeine's wrapper
          .recover(e -> Future.failedFuture(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
    }
    return answered.map(found -> {
      List<StoredRecord> out = new ArrayList<>(found.size());
      for (Map.Entry<String, byte[]> e : found.entrySet()) {
        StoredRecord r = RecordBytes.record(e.getKey().substring(code.length() + 1), e.getValue());
        if (r != null) {
          out.add(r);
        }
      }
      return out;
    });
  }

  @Override
  public Future<Void> written(String resource, List<String> keys) {
    List<String> ids = new ArrayList<>(keys.size());
    keys.forEach(k -> ids.add(id(resource, k)));
    cache.synchronous().invalidateAll(ids);
    return Future.succeededFuture();
  }

  /**
   * Drops what other instances changed since the last poll. At start nothing is cached yet; later a
   * resource seen for the first time got its first records since (its unknown keys may be cached).
   */
  private Future<Void> poll() {
    return changes.counters().compose(counters -> {
      List<Future<Void>> dropped = new ArrayList<>();
      boolean first = !polled;
      polled = true;
      counters.forEach((resource, last) -> {
        Long known = seen.get(resource);
        if (first || (known != null && last <= known)) {
          seen.merge(resource, last, Math::max);
          return;
        }
        long from = known == null ? 0 : known;
        if (last - from > KEYS_PER_POLL) {
          dropResource(resource);
          seen.put(resource, last);
          return;
        }
        dropped.add(changes.changedKeys(resource, from, last).map(keys -> {
          written(resource, keys);
          seen.put(resource, last);
          return null;
        }));
      });
      return Future.all(dropped).mapEmpty();
    });
  }

  private void dropResource(String resource) {
    String prefix = resource + SEPARATOR;
    cache.synchronous().asMap().keySet().removeIf(id -> id.startsWith(prefix));
  }

  private static String id(String resource, String key) {
    return resource + SEPARATOR + key;
  }
}

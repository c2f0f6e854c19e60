package org.govshare.sharing;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.govshare.catalog.CatalogDirectory;
import org.govshare.catalog.EntryChange;
import org.govshare.catalog.SharedItem;
import org.govshare.catalog.SharedResource;
import org.govshare.platform.Periodic;
import org.govshare.platform.Times;
import org.govshare.platform.cluster.Invalidation;
import org.govshare.sharing.SharingStore.GrantChange;

/**
 * Which data items of a resource a department may read: its own resources entirely, every
 * UNCONDITIONAL item, and the items of its grants in force. Meant for the data plane's hot path, so
 * the catalogue entries and the grants per (department, resource) are cached on each instance:
 * dropped at once when they change here, on the other instances of a cluster before the change is
 * answered ({@link Invalidation}), and on instances sharing the database without a cluster within one
 * poll period.
 */
public final class GrantCheck {
  private static final long MAX_GRANT_ENTRIES = 200_000;
  private static final long MAX_CATALOG_ENTRIES = 50_000;
  private static final String GRANTS = "grants";
  private static final String ENTRIES = "catalog-entry";

  /**
   * The answer with its parts, for the grant check API and tests. {@code clear}: the granted
   * sensitive items a grant in force lists in its clearItems (the data plane serves them unmasked);
   * empty for one's own resource, which is read whole and clear anyway.
   */
  public record Allowed(Set<String> items, Set<String> unconditional, Set<String> granted, boolean own, List<String> grants,
      Set<String> clear) {}

  private final Vertx vertx;
  private final SharingStore store;
  // built after this check: the catalogue tells the grants when a resource retires
  private final Supplier<CatalogDirectory> catalog;
  private final Clock clock;
  private final long pollMs;
  // an entry dropped while its load is in flight is not cached when the load ends (Caffeine's AsyncCache)
  private final AsyncCache<String, List<Grant>> grants;
  private final AsyncCache<String, Optional<SharedResource>> entries;
  private final Map<String, Long> seenGrantChange = new ConcurrentHashMap<>();
  private final Map<String, OffsetDateTime> seenEntryChange = new ConcurrentHashMap<>();
  private volatile long lastChangeSeq = Long.MIN_VALUE / 2;
  private volatile OffsetDateTime lastEntryChange;
  private final Invalidation invalidation;
  private Periodic poller;

  public GrantCheck(Vertx vertx, SharingStore store, Supplier<CatalogDirectory> catalog, Clock clock, long pollMs, MeterRegistry registry,
      Invalidation invalidation) {
    this.vertx = vertx;
    this.invalidation = invalidation;
    this.store = store;
    this.catalog = catalog;
    this.clock = clock;
    this.pollMs = pollMs;
    this.grants = CaffeineCacheMetrics.monitor(registry,
        Caffeine.newBuilder().maximumSize(MAX_GRANT_ENTRIES).executor(Runnable::run).recordStats().<String, List<Grant>>buildAsync(),
        "govshare_grants");
    this.entries = CaffeineCacheMetrics.monitor(registry,
        Caffeine.newBuilder().maximumSize(MAX_CATALOG_ENTRIES).executor(Runnable::run).recordStats()
            .<String, Optional<SharedResource>>buildAsync(),
        "govshare_catalog_entries");
    invalidation.register(GRANTS, target(grants));
    invalidation.register(ENTRIES, target(entries));
  }

  private static Invalidation.Target target(AsyncCache<String, ?> cache) {
    return new Invalidation.Target() {
      @Override
      public Future<Void> drop(List<String> keys) {
        cache.synchronous().invalidateAll(keys);
        return Future.succeededFuture();
      }

      @Override
      public void clear() {
        cache.synchronous().invalidateAll();
      }
    };
  }

  public Future<Void> start() {
    return poll().onSuccess(v -> poller = Periodic.every(vertx, pollMs, "reading grant and catalogue changes", this::poll));
  }

  public void stop() {
    if (poller != null) {
      poller.cancel();
    }
  }

  private Future<Void> poll() {
    Future<Void> grantChanges = store.grantChangesAfter(lastChangeSeq).map(changes -> {
      for (GrantChange c : changes) {
        String key = key(c.consumer(), c.resource());
        Long seen = seenGrantChange.get(key);
        if (seen == null || c.changeSeq() > seen) {
          seenGrantChange.put(key, c.changeSeq());
          grants.synchronous().invalidate(key);
        }
        lastChangeSeq = Math.max(lastChangeSeq, c.changeSeq());
      }
      return null;
    });
    Future<Void> entryChanges = catalog.get().changesAfter(lastEntryChange).map(changes -> {
      for (EntryChange c : changes) {
        OffsetDateTime seen = seenEntryChange.get(c.code());
        if (seen == null || c.at().isAfter(seen)) {
          seenEntryChange.put(c.code(), c.at());
          entries.synchronous().invalidate(c.code());
        }
        if (lastEntryChange == null || c.at().isAfter(lastEntryChange)) {
          lastEntryChange = c.at();
        }
      }
      if (lastEntryChange != null) {
        // the query reads 30 s back; what is older cannot come again
        OffsetDateTime forget = lastEntryChange.minusMinutes(1);
        seenEntryChange.values().removeIf(at -> at.isBefore(forget));
      }
      return null;
    });
    return Future.all(grantChanges, entryChanges).mapEmpty();
  }

  /** A grant of this consumer for this resource changed on this instance; complete the future before answering. */
  public Future<Void> changed(String consumer, String resource) {
    String key = key(consumer, resource);
    grants.synchronous().invalidate(key);
    return invalidation.changed(GRANTS, List.of(key));
  }

  /** A catalogue entry was published, got a new version or was retired on this instance; complete the future before answering. */
  public Future<Void> entryChanged(String code) {
    entries.synchronous().invalidate(code);
    return invalidation.changed(ENTRIES, List.of(code));
  }

  /** The item keys {@code department} may read of {@code resource}; empty for a resource not published. */
  public Future<Set<String>> allowedItems(String department, String resource) {
    return check(department, resource).map(Allowed::items);
  }

  public Future<Allowed> check(String department, String resource) {
    return cached(entries, resource, () -> catalog.get().resource(resource)).compose(found -> {
      if (found.isEmpty() || !found.get().published()) {
        return Future.succeededFuture(new Allowed(Set.of(), Set.of(), Set.of(), false, List.of(), Set.of()));
      }
      SharedResource r = found.get();
      if (r.provider().equals(department)) {
        Set<String> all = new TreeSet<>();
        r.items().forEach(i -> all.add(i.key()));
        return Future.succeededFuture(new Allowed(Set.copyOf(all), Set.of(), Set.of(), true, List.of(), Set.of()));
      }
      return grants(department, resource).map(grants -> answer(r, grants));
    });
  }

  private Allowed answer(SharedResource r, List<Grant> grants) {
    LocalDate today = LocalDate.now(clock.withZone(Times.zone()));
    Set<String> unconditional = new TreeSet<>();
    Set<String> granted = new TreeSet<>();
    Set<String> used = new TreeSet<>();
    Set<String> clear = new TreeSet<>();
    boolean resourceShared = !SharingRules.NOT_SHARED.equals(r.shareType());
    for (SharedItem item : r.items()) {
      String type = item.shareType() != null ? item.shareType() : r.shareType();
      if (!resourceShared || SharingRules.NOT_SHARED.equals(type)) {
        continue;
      }
      if (SharingRules.UNCONDITIONAL.equals(type)) {
        unconditional.add(item.key());
      } else {
        for (Grant g : grants) {
          if (g.inForce(today) && g.items().contains(item.key())) {
            granted.add(item.key());
            used.add(g.id());
            if (item.sensitive() && g.clearItems().contains(item.key())) {
              clear.add(item.key());
            }
          }
        }
      }
    }
    Set<String> all = new TreeSet<>(unconditional);
    all.addAll(granted);
    return new Allowed(Set.copyOf(all), Set.copyOf(unconditional), Set.copyOf(granted), false, List.copyOf(used), Set.copyOf(clear));
  }

  private Future<List<Grant>> grants(String department, String resource) {
    return cached(grants, key(department, resource), () -> store.activeGrants(department, resource).map(List::copyOf));
  }

  private <V> Future<V> cached(AsyncCache<String, V> cache, String key, Supplier<Future<V>> load) {
    if (!invalidation.fresh()) {
      // this instance's lease ran out: it may have missed a change, so the database answers
      return load.get();
    }
    CompletableFuture<V> value = cache.get(key, (k, executor) -> load.get().toCompletionStage().toCompletableFuture());
    if (value.isDone() && !value.isCompletedExceptionally()) {
      return Future.succeededFuture(value.join());
    }
    Context context = Vertx.currentContext();
    return context == null ? Future.fromCompletionStage(value) : Future.fromCompletionStage(value, context);
  }

  private static String key(String department, String resource) {
    // a separator PostgreSQL text can hold: keys travel through the cluster's change table
    return department + '\u001f' + resource;
  }
}

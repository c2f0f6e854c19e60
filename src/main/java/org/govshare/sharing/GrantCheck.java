package org.govshare.sharing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.govshare.catalog.CatalogDirectory;
import org.govshare.catalog.SharedItem;
import org.govshare.catalog.SharedResource;
import org.govshare.platform.Periodic;
import org.govshare.platform.Times;
import org.govshare.sharing.SharingStore.GrantChange;

/**
 * Which data items of a resource a department may read: its own resources entirely, every
 * UNCONDITIONAL item, and the items of its grants in force. Meant for the data plane's hot path, so
 * the grants per (department, resource) are cached on each instance: dropped at once when a grant
 * changes here, and within one poll period when it changed on another instance.
 */
public final class GrantCheck {
  private static final int MAX_ENTRIES = 200_000;

  /** The answer with its parts, for the grant check API and tests. */
  public record Allowed(Set<String> items, Set<String> unconditional, Set<String> granted, boolean own, List<String> grants) {}

  private final Vertx vertx;
  private final SharingStore store;
  private final CatalogDirectory catalog;
  private final Clock clock;
  private final long pollMs;
  private final Map<String, List<Grant>> cache = new ConcurrentHashMap<>();
  private final Map<String, Long> seenChange = new ConcurrentHashMap<>();
  // bumped on every eviction; a load that raced an eviction is answered but not cached
  private final AtomicLong evictions = new AtomicLong();
  private final Counter hits;
  private final Counter misses;
  private volatile long lastChangeSeq = Long.MIN_VALUE / 2;
  private Periodic poller;

  public GrantCheck(Vertx vertx, SharingStore store, CatalogDirectory catalog, Clock clock, long pollMs, MeterRegistry registry) {
    this.vertx = vertx;
    this.store = store;
    this.catalog = catalog;
    this.clock = clock;
    this.pollMs = pollMs;
    this.hits = Counter.builder("govshare_grant_cache").tag("result", "hit").register(registry);
    this.misses = Counter.builder("govshare_grant_cache").tag("result", "miss").register(registry);
  }

  public Future<Void> start() {
    return poll().onSuccess(v -> poller = Periodic.every(vertx, pollMs, "reading grant changes", this::poll));
  }

  public void stop() {
    if (poller != null) {
      poller.cancel();
    }
  }

  private Future<Void> poll() {
    return store.grantChangesAfter(lastChangeSeq).map(changes -> {
      for (GrantChange c : changes) {
        String key = key(c.consumer(), c.resource());
        Long seen = seenChange.get(key);
        if (seen == null || c.changeSeq() > seen) {
          seenChange.put(key, c.changeSeq());
          evict(key);
        }
        lastChangeSeq = Math.max(lastChangeSeq, c.changeSeq());
      }
      return null;
    });
  }

  /** A grant of this consumer for this resource changed on this instance. */
  public void changed(String consumer, String resource) {
    evict(key(consumer, resource));
  }

  private void evict(String key) {
    evictions.incrementAndGet();
    cache.remove(key);
  }

  /** The item keys {@code department} may read of {@code resource}; empty for a resource not published. */
  public Future<Set<String>> allowedItems(String department, String resource) {
    return check(department, resource).map(Allowed::items);
  }

  public Future<Allowed> check(String department, String resource) {
    return catalog.resource(resource).compose(found -> {
      if (found.isEmpty() || !found.get().published()) {
        return Future.succeededFuture(new Allowed(Set.of(), Set.of(), Set.of(), false, List.of()));
      }
      SharedResource r = found.get();
      if (r.provider().equals(department)) {
        Set<String> all = new TreeSet<>();
        r.items().forEach(i -> all.add(i.key()));
        return Future.succeededFuture(new Allowed(Set.copyOf(all), Set.of(), Set.of(), true, List.of()));
      }
      return grants(department, resource).map(grants -> answer(r, grants));
    });
  }

  private Allowed answer(SharedResource r, List<Grant> grants) {
    LocalDate today = LocalDate.now(clock.withZone(Times.zone()));
    Set<String> unconditional = new TreeSet<>();
    Set<String> granted = new TreeSet<>();
    Set<String> used = new TreeSet<>();
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
          }
        }
      }
    }
    Set<String> all = new TreeSet<>(unconditional);
    all.addAll(granted);
    return new Allowed(Set.copyOf(all), Set.copyOf(unconditional), Set.copyOf(granted), false, List.copyOf(used));
  }

  private Future<List<Grant>> grants(String department, String resource) {
    String key = key(department, resource);
    List<Grant> cached = cache.get(key);
    if (cached != null) {
      hits.increment();
      return Future.succeededFuture(cached);
    }
    misses.increment();
    long before = evictions.get();
    return store.activeGrants(department, resource).map(loaded -> {
      List<Grant> grants = List.copyOf(loaded);
      if (evictions.get() == before) {
        if (cache.size() >= MAX_ENTRIES) {
          cache.clear(); // crude but bounded, as the token cache: a full cache means an unusual spread of pairs
        }
        cache.put(key, grants);
      }
      return grants;
    });
  }

  private static String key(String department, String resource) {
    return department + '\u0000' + resource;
  }
}

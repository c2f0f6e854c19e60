package org.govshare.objection;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.govshare.access.UnderVerification;
import org.govshare.platform.cluster.Invalidation;

/**
 * The data plane's question "which items of these records are under verification", answered cheaply:
 * whether a resource has any open objection at all is cached per resource, so a read of a resource
 * without one costs no query. Filing or answering drops the resource's entry on every instance of a
 * cluster before the reply ({@link Invalidation}); instances sharing the database without a cluster
 * re-read it after {@code pollMs}.
 */
public final class OpenObjections implements UnderVerification {
  static final String KIND = "objections";

  private final ObjectionStore store;
  private final Invalidation invalidation;
  private final AsyncCache<String, Boolean> hasOpen;

  public OpenObjections(ObjectionStore store, Invalidation invalidation, long pollMs) {
    this.store = store;
    this.invalidation = invalidation;
    this.hasOpen = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMillis(pollMs)).buildAsync();
    invalidation.register(KIND, new Invalidation.Target() {
      @Override
      public Future<Void> drop(List<String> keys) {
        hasOpen.synchronous().invalidateAll(keys);
        return Future.succeededFuture();
      }

      @Override
      public void clear() {
        hasOpen.synchronous().invalidateAll();
      }
    });
  }

  @Override
  public Future<Map<String, Set<String>>> items(String resource, Collection<String> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return hasOpen(resource).compose(any -> any ? store.openItems(resource, keys) : Future.succeededFuture(Map.of()));
  }

  /** An objection of {@code resource} was filed or answered on this instance; complete before answering. */
  public Future<Void> changed(String resource) {
    hasOpen.synchronous().invalidate(resource);
    return invalidation.changed(KIND, List.of(resource));
  }

  private Future<Boolean> hasOpen(String resource) {
    if (!invalidation.fresh()) {
      return store.hasOpen(resource); // the lease ran out: a change may have been missed
    }
    CompletableFuture<Boolean> value = hasOpen.get(resource, (k, executor) -> store.hasOpen(k).toCompletionStage().toCompletableFuture());
    if (value.isDone() && !value.isCompletedExceptionally()) {
      return Future.succeededFuture(value.join());
    }
    Context context = Vertx.currentContext();
    return context == null ? Future.fromCompletionStage(value) : Future.fromCompletionStage(value, context);
  }
}

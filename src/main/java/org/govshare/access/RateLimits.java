package org.govshare.access;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.govshare.audit.AuditOf;
import org.govshare.audit.AuditWriter;
import org.govshare.identity.IdentityService;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.kernel.Principal;
import org.govshare.kernel.Role;
import org.govshare.platform.Periodic;
import org.govshare.platform.Problem;
import org.govshare.platform.Times;
import org.govshare.platform.cluster.Invalidation;
import org.govshare.platform.cluster.RateLimiter;
import org.govshare.platform.config.GovshareConfig.RateLimitConfig;

/**
 * Rate limits of each department's data calls: the bureau sets them, everyone else has the
 * configured default, and {@link #admit} spends one token of the caller's department before a data
 * call reads anything (ADR 0010). The limit of a department is cached on each instance; a change is
 * dropped on every instance of a cluster before it is answered ({@link Invalidation}) and found by
 * the others sharing the database at their next poll.
 */
public final class RateLimits {
  static final int MAX_REQUESTS_PER_SECOND = 1_000_000;
  static final int MAX_BURST = 10_000_000;
  private static final String KIND = "rate-limit";
  private static final long MAX_CACHED = 100_000;
  private static final char SEPARATOR = '\u001f';

  /** A department's limit; {@code configured} false: the default from configuration. */
  public record Limit(String department, int requestsPerSecond, int burst, boolean configured) {
    RateLimiter.Rate rate() {
      return new RateLimiter.Rate(requestsPerSecond, burst);
    }

    JsonObject toJson() {
      return new JsonObject().put("department", department).put("requestsPerSecond", requestsPerSecond).put("burst", burst)
          .put("source", configured ? "CONFIGURED" : "DEFAULT");
    }
  }

  private final Vertx vertx;
  private final RateLimitStore store;
  private final IdentityService identity;
  private final RateLimiter limiter;
  private final RateLimitConfig defaults;
  private final Invalidation invalidation;
  private final AuditWriter audit;
  private final Clock clock;
  private final long pollMs;
  // a limit dropped while its load is in flight is not cached when the load ends (Caffeine's AsyncCache)
  private final AsyncCache<String, Limit> limits;
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private volatile long lastChangeSeq = Long.MIN_VALUE / 2;
  private Periodic poller;

  public RateLimits(Vertx vertx, RateLimitStore store, IdentityService identity, RateLimiter limiter, RateLimitConfig defaults,
      Invalidation invalidation, AuditWriter audit, Clock clock, long pollMs) {
    this.vertx = vertx;
    this.store = store;
    this.identity = identity;
    this.limiter = limiter;
    this.defaults = defaults;
    this.invalidation = invalidation;
    this.audit = audit;
    this.clock = clock;
    this.pollMs = pollMs;
    this.limits = Caffeine.newBuilder().maximumSize(MAX_CACHED).executor(Runnable::run).buildAsync();
    invalidation.register(KIND, new Invalidation.Target() {
      @Override
      public Future<Void> drop(List<String> departments) {
        forget(departments);
        return Future.succeededFuture();
      }

      @Override
      public void clear() {
        limits.synchronous().invalidateAll();
      }
    });
  }

  public Future<Void> start() {
    return limiter.start().compose(v -> poll()).onSuccess(v -> poller = Periodic.every(vertx, pollMs, "reading rate-limit changes", this::poll));
  }

  public void stop() {
    if (poller != null) {
      poller.cancel();
    }
  }

  /** Spends one token of the caller's department; a 429 with Retry-After when there is none. */
  public Future<Void> admit(Caller caller) {
    String department = caller.department();
    return limit(department).compose(limit -> limiter.acquire(bucket(limit), limit.rate()).compose(verdict -> {
      if (verdict.admitted()) {
        return Future.succeededFuture();
      }
      long seconds = Math.max(1, (verdict.retryAfterMillis() + 999) / 1000);
      return Future.failedFuture(Problem.rateLimited("department " + department + " is over its rate limit of "
          + limit.requestsPerSecond() + " data calls per second (burst " + limit.burst() + "); try again in " + seconds + " s", seconds));
    }));
  }

  /** The platform admin and auditors read any department's limit; a department's own DEPT_ADMIN reads its own. */
  public Future<JsonObject> get(Caller caller, String department) {
    Principal p = caller.principal();
    boolean own = p.has(Role.DEPT_ADMIN) && p.department().equals(department);
    if (!p.hasAny(Role.PLATFORM_ADMIN, Role.AUDITOR) && !own) {
      return Future.failedFuture(Problem.forbidden("a department's rate limit is read by the bureau's admins and auditors, "
          + "and by that department's DEPT_ADMIN"));
    }
    return identity.department(department).compose(d -> load(department)).compose(limit -> audit.append(AuditEntry.of(caller,
            AuditAction.RATE_LIMIT_READ, null, department, Outcome.OK, new JsonObject().put("limit", limit.toJson())))
        .map(seq -> limit.toJson()));
  }

  /** PLATFORM_ADMIN only; answered once every instance of the cluster applies the new limit. */
  public Future<JsonObject> set(Caller caller, String department, int requestsPerSecond, int burst) {
    if (!caller.principal().isPlatformAdmin()) {
      return Future.failedFuture(Problem.forbidden("only the bureau's PLATFORM_ADMIN sets rate limits"));
    }
    return identity.department(department).compose(d -> {
      List<Problem.FieldError> errors = new ArrayList<>();
      if (requestsPerSecond < 1 || requestsPerSecond > MAX_REQUESTS_PER_SECOND) {
        errors.add(new Problem.FieldError("requestsPerSecond", "must be between 1 and " + MAX_REQUESTS_PER_SECOND));
      }
      if (burst < 1 || burst > MAX_BURST) {
        errors.add(new Problem.FieldError("burst", "must be between 1 and " + MAX_BURST));
      }
      if (!errors.isEmpty()) {
        return Future.failedFuture(Problem.rule(errors));
      }
      return store.set(department, requestsPerSecond, burst, caller.clientId(), clock.instant(), AuditOf.one(c -> AuditEntry.of(caller,
          AuditAction.RATE_LIMIT_SET, null, department, Outcome.OK, new JsonObject()
              .put("old", c.before().map(b -> limitOf(b).toJson()).orElse(defaultLimit(department).toJson()))
              .put("new", limitOf(c.after()).toJson()))));
    }).compose(change -> {
      forget(List.of(department));
      return invalidation.changed(KIND, List.of(department)).map(v -> limitOf(change.after()).toJson()
          .put("setBy", change.after().setBy()).put("setAt", Times.format(change.after().setAt())));
    });
  }

  private void forget(List<String> departments) {
    limits.synchronous().invalidateAll(departments);
    departments.forEach(d -> limiter.forget(d + SEPARATOR));
  }

  /**
   * A new limit starts a new, full bucket: a department throttled under the old limit gets the new
   * one's burst at once, and the old bucket expires unused. Setting the same values again changes nothing.
   */
  private static String bucket(Limit limit) {
    return limit.department() + SEPARATOR + limit.requestsPerSecond() + SEPARATOR + limit.burst();
  }

  private Future<Limit> limit(String department) {
    CompletableFuture<Limit> value = limits.get(department, (k, executor) -> load(k).toCompletionStage().toCompletableFuture());
    if (value.isDone() && !value.isCompletedExceptionally()) {
      return Future.succeededFuture(value.join());
    }
    Context context = Vertx.currentContext();
    return context == null ? Future.fromCompletionStage(value) : Future.fromCompletionStage(value, context);
  }

  private Future<Limit> load(String department) {
    return store.configured(department).map(found -> found.map(RateLimits::limitOf).orElseGet(() -> defaultLimit(department)));
  }

  private Limit defaultLimit(String department) {
    return new Limit(department, defaults.requestsPerSecond(), defaults.burst(), false);
  }

  private static Limit limitOf(RateLimitStore.Configured c) {
    return new Limit(c.department(), c.requestsPerSecond(), c.burst(), true);
  }

  private Future<Void> poll() {
    return store.changesAfter(lastChangeSeq).map(changes -> {
      for (RateLimitStore.Changed c : changes) {
        Long before = seen.get(c.department());
        if (before == null || c.changeSeq() > before) {
          seen.put(c.department(), c.changeSeq());
          forget(List.of(c.department()));
        }
        lastChangeSeq = Math.max(lastChangeSeq, c.changeSeq());
      }
      return null;
    });
  }
}

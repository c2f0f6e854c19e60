package org.govshare.platform.cluster;

import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets by key, one budget for the whole cluster (ADR 0010). Clustered, the bucket lives in a
 * Hazelcast IMap and is taken from by an entry processor on its owner; to keep most calls off the
 * network, each instance takes a small block of tokens at a time and hands them out locally (the block
 * is at most 1/50 of a second's rate and 1/8 of the burst, so the cluster never hands out more than the
 * bucket held: the total admitted stays within burst + rate × time, blocks only move tokens earlier).
 * A block not used within {@link #LEASE_MILLIS} is dropped, never returned. Standalone the bucket is
 * local and taken one token at a time, under a lock, with no block. When the cluster does not answer within the configured time,
 * the instance falls back for {@link #FALLBACK_MILLIS} to a local bucket holding its share of the rate
 * (rate and burst divided by the configured members), logged and counted.
 */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  static final String MAP = "govshare.rate-buckets";
  static final long LEASE_MILLIS = 1_000;
  static final long FALLBACK_MILLIS = 5_000;
  private static final int BLOCK_MAX = 64;

  /** A limit: tokens per second and the bucket's size. */
  public record Rate(double perSecond, int burst) {
    public Rate {
      if (!(perSecond > 0) || burst < 1) {
        throw new IllegalArgumentException("a rate needs perSecond > 0 and burst >= 1");
      }
    }
  }

  /** Admitted, or refused with the milliseconds until a token is expected. */
  public record Verdict(boolean admitted, long retryAfterMillis) {
    static final Verdict ADMITTED = new Verdict(true, 0);
  }

  interface Buckets {
    Future<TokenBucket.Take> take(String key, Rate rate, int wanted);

    /** Before the first call: the first take from a cluster loads classes and partitions, slower than any timeout. */
    default Future<Void> warmUp() {
      return Future.succeededFuture();
    }
  }

  private static final Future<Verdict> ADMITTED = Future.succeededFuture(Verdict.ADMITTED);

  private final Buckets cluster;
  private final boolean clustered;
  private final Buckets fallbackBuckets = new LocalBuckets();
  private final int members;
  private final long timeoutMillis;
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final Counter remoteTakes;
  private final Counter fallbacks;

  private RateLimiter(Buckets cluster, boolean clustered, int members, long timeoutMillis, MeterRegistry registry) {
    this.cluster = cluster;
    this.clustered = clustered;
    this.members = Math.max(1, members);
    this.timeoutMillis = timeoutMillis;
    this.remoteTakes = Counter.builder("govshare_rate_limit_bucket_takes")
        .description("takes from the cluster-wide buckets (each one network hop when clustered)").register(registry);
    this.fallbacks = Counter.builder("govshare_rate_limit_fallbacks")
        .description("times the cluster bucket did not answer in time and this instance limited with its local share").register(registry);
  }

  /** Over the cluster's IMap when clustered ({@code members}: the configured member count, for the fallback share); local otherwise. */
  public static RateLimiter of(Cluster cluster, int members, long timeoutMillis, MeterRegistry registry) {
    if (cluster instanceof HazelcastCluster hz) {
      IMap<String, TokenBucket> map = hz.hazelcast().orElseThrow().getMap(MAP);
      Buckets remote = new Buckets() {
        @Override
        public Future<TokenBucket.Take> take(String key, Rate rate, int wanted) {
          Context context = Vertx.currentContext();
          var stage = map.submitToKey(key, new TakeTokens(rate.perSecond(), rate.burst(), wanted));
          return (context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context))
              .timeout(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public Future<Void> warmUp() {
          return Future.fromCompletionStage(map.submitToKey("warm-up " + cluster.node(), new TakeTokens(1, 1, 0))).<Void>mapEmpty()
              .timeout(30, TimeUnit.SECONDS).recover(e -> {
                LOG.warn("the cluster's rate-limit buckets did not answer at start-up: {}", e.toString());
                return Future.succeededFuture();
              });
        }
      };
      return new RateLimiter(remote, true, members, timeoutMillis, registry);
    }
    return new RateLimiter(new LocalBuckets(), false, 1, timeoutMillis, registry);
  }

  public Future<Void> start() {
    return cluster.warmUp();
  }

  /** Over any buckets, as the cluster's (tests: two instances over one shared bucket, a cluster that fails). */
  static RateLimiter over(Buckets cluster, int members, MeterRegistry registry) {
    return new RateLimiter(cluster, true, members, 500, registry);
  }

  /** Takes one token of {@code key}'s bucket. Most calls answer at once from this instance's block. */
  public Future<Verdict> acquire(String key, Rate rate) {
    if (!clustered) {
      return local(cluster, key, rate);
    }
    Lease lease = leases.computeIfAbsent(key, k -> new Lease());
    Future<Void> pending;
    synchronized (lease) {
      long now = System.nanoTime();
      if (!rate.equals(lease.rate)) {
        lease.reset(rate, now); // a changed limit: what was taken under the old one is dropped
      }
      if (lease.tokens > 0) {
        if (now - lease.expires < 0) {
          lease.tokens--;
          return ADMITTED;
        }
        lease.tokens = 0; // held unused too long: dropped, so an idle instance cannot sit on a budget others need
      }
      if (now - lease.fallbackUntil < 0) {
        return fallback(key, rate);
      }
      if (now - lease.emptyUntil < 0) {
        return Future.succeededFuture(new Verdict(false, lease.retryMillis));
      }
      if (lease.inFlight == null) {
        Future<Void> refilled = refill(key, lease, rate);
        // a take that answered at once has already updated the lease; keeping it as "in flight" would loop
        if (!refilled.isComplete()) {
          lease.inFlight = refilled;
        }
        pending = refilled;
      } else {
        pending = lease.inFlight;
      }
    }
    // every caller that waited for the block tries again: it gets a token of it, or the bucket's answer
    return pending.compose(v -> acquire(key, rate));
  }

  /** This instance forgets what it holds of the keys starting with {@code prefix} (their limit changed). */
  public void forget(String prefix) {
    leases.keySet().removeIf(k -> k.startsWith(prefix));
  }

  private Future<Void> refill(String key, Lease lease, Rate rate) {
    int block = block(rate);
    remoteTakes.increment();
    return cluster.take(key, rate, block).transform(ar -> {
      synchronized (lease) {
        lease.inFlight = null;
        long now = System.nanoTime();
        if (!rate.equals(lease.rate)) {
          return Future.succeededFuture(); // reset meanwhile: the caller tries again under the new limit
        }
        if (ar.failed()) {
          fallbacks.increment();
          LOG.warn("the cluster's rate-limit bucket for {} did not answer within {} ms ({}); limiting with this instance's share for {} ms",
              key, timeoutMillis, ar.cause().toString(), FALLBACK_MILLIS);
          lease.fallbackUntil = now + TimeUnit.MILLISECONDS.toNanos(FALLBACK_MILLIS);
        } else if (ar.result().granted() > 0) {
          lease.tokens += ar.result().granted();
          lease.expires = now + TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS);
        } else {
          long wait = ar.result().waitMillis();
          lease.retryMillis = wait;
          // no point asking before a block's worth has come back: others refuse locally until then
          long quiet = Math.max(wait, (long) (block * 1000.0 / rate.perSecond()));
          lease.emptyUntil = now + TimeUnit.MILLISECONDS.toNanos(Math.min(quiet, LEASE_MILLIS));
        }
        return Future.succeededFuture();
      }
    });
  }

  private Future<Verdict> fallback(String key, Rate rate) {
    return local(fallbackBuckets, key, new Rate(rate.perSecond() / members, Math.max(1, rate.burst() / members)));
  }

  private static Future<Verdict> local(Buckets buckets, String key, Rate rate) {
    TokenBucket.Take t = buckets.take(key, rate, 1).result(); // local buckets answer at once
    return t.granted() > 0 ? ADMITTED : Future.succeededFuture(new Verdict(false, t.waitMillis()));
  }

  /** Small enough that the tokens one instance holds are a sliver of the rate and of the burst. */
  static int block(Rate rate) {
    return (int) Math.max(1, Math.min(BLOCK_MAX, Math.min(rate.perSecond() / 50, rate.burst() / 8.0)));
  }

  /** What this instance holds of one key's bucket. Guarded by its own monitor. */
  private static final class Lease {
    Rate rate;
    int tokens;
    long expires = System.nanoTime();
    long emptyUntil = System.nanoTime();
    long fallbackUntil = System.nanoTime();
    long retryMillis;
    Future<Void> inFlight;

    void reset(Rate newRate, long now) {
      rate = newRate;
      tokens = 0;
      expires = now;
      emptyUntil = now;
      retryMillis = 0;
    }
  }

  /** Buckets in this process: standalone, and the fallback share when the cluster does not answer. */
  static final class LocalBuckets implements Buckets {
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    @Override
    public Future<TokenBucket.Take> take(String key, Rate rate, int wanted) {
      TokenBucket.Take[] out = new TokenBucket.Take[1];
      long now = System.currentTimeMillis();
      buckets.compute(key, (k, b) -> {
        TokenBucket.Taken taken = TokenBucket.take(b, now, rate.perSecond(), rate.burst(), wanted);
        out[0] = taken.take();
        return taken.bucket();
      });
      return Future.succeededFuture(out[0]);
    }
  }
}

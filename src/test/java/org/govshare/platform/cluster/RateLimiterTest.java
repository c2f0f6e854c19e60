package org.govshare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-instance side of the cluster-wide buckets, over an in-process stand-in for the IMap. */
class RateLimiterTest {
  private static boolean admitted(RateLimiter limiter, String key, RateLimiter.Rate rate) {
    return limiter.acquire(key, rate).toCompletionStage().toCompletableFuture().join().admitted();
  }

  /** The shared bucket, counting the takes (each one a network hop in a cluster). */
  private static final class Counting implements RateLimiter.Buckets {
    final RateLimiter.LocalBuckets shared = new RateLimiter.LocalBuckets();
    final AtomicInteger takes = new AtomicInteger();

    @Override
    public Future<TokenBucket.Take> take(String key, RateLimiter.Rate rate, int wanted) {
      takes.incrementAndGet();
      return shared.take(key, rate, wanted);
    }
  }

  @Test
  void twoInstances_overOneBucket_admitTheBurstOnceBetweenThem() {
    Counting cluster = new Counting();
    RateLimiter a = RateLimiter.over(cluster, 2, new SimpleMeterRegistry());
    RateLimiter b = RateLimiter.over(cluster, 2, new SimpleMeterRegistry());
    RateLimiter.Rate rate = new RateLimiter.Rate(0.001, 10); // no refill worth speaking of during the test
    int admitted = 0;
    for (int i = 0; i < 30; i++) {
      admitted += admitted(a, "ZJ", rate) ? 1 : 0;
      admitted += admitted(b, "ZJ", rate) ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(10);
  }

  @Test
  void blocks_keepMostCallsOffTheCluster() {
    Counting cluster = new Counting();
    RateLimiter limiter = RateLimiter.over(cluster, 2, new SimpleMeterRegistry());
    RateLimiter.Rate rate = new RateLimiter.Rate(2000, 4000);
    for (int i = 0; i < 400; i++) {
      assertThat(admitted(limiter, "ZJ", rate)).isTrue();
    }
    assertThat(cluster.takes.get()).isEqualTo(10); // blocks of 40
  }

  @Test
  void anEmptyBucket_isNotAskedAgainOnEveryCall() {
    Counting cluster = new Counting();
    RateLimiter limiter = RateLimiter.over(cluster, 2, new SimpleMeterRegistry());
    RateLimiter.Rate rate = new RateLimiter.Rate(1, 2);
    assertThat(admitted(limiter, "ZJ", rate)).isTrue();
    assertThat(admitted(limiter, "ZJ", rate)).isTrue();
    RateLimiter.Verdict refused = limiter.acquire("ZJ", rate).toCompletionStage().toCompletableFuture().join();
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.retryAfterMillis()).isBetween(1L, 1000L);
    int takes = cluster.takes.get();
    for (int i = 0; i < 50; i++) {
      assertThat(admitted(limiter, "ZJ", rate)).isFalse();
    }
    assertThat(cluster.takes.get()).isEqualTo(takes);
  }

  @Test
  void aClusterThatDoesNotAnswer_fallsBackToThisInstancesShare() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RateLimiter limiter = RateLimiter.over((key, rate, wanted) -> Future.failedFuture(new IllegalStateException("no answer")), 2, registry);
    RateLimiter.Rate rate = new RateLimiter.Rate(0.001, 8);
    int admitted = 0;
    for (int i = 0; i < 20; i++) {
      admitted += admitted(limiter, "ZJ", rate) ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(4); // half the burst: the share of one of two members
    assertThat(registry.get("govshare_rate_limit_fallbacks").counter().count()).isEqualTo(1);
  }
}

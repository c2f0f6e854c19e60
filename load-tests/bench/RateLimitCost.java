import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.govshare.platform.cluster.Cluster;
import org.govshare.platform.cluster.RateLimiter;
import org.govshare.platform.config.GovshareConfig.ClusterConfig;

/**
 * What the rate limiter adds to a data call, in process (no HTTP, no database): one thread calls
 * acquire() N times for one department whose limit never refuses, and the same loop does the cached
 * lookup the grant check makes per call (a Caffeine AsyncCache hit wrapped in a Future) as the
 * baseline. Standalone (a local bucket under a lock) and clustered (two Hazelcast members in this JVM
 * on 127.0.0.1, blocks of 64 tokens taken by an entry processor on the key's owner).
 *
 * java -cp target/govshare.jar load-tests/bench/RateLimitCost.java [calls]
 */
public class RateLimitCost {
  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    RateLimiter.Rate rate = new RateLimiter.Rate(1_000_000, 10_000_000);

    AsyncCache<String, List<String>> grants = Caffeine.newBuilder().maximumSize(1000).executor(Runnable::run).buildAsync();
    grants.put("ZJ\u001f301001/000001", CompletableFuture.completedFuture(List.of("grt-1")));
    double baseline = 0;
    for (int round = 0; round < 3; round++) {
      baseline = time(calls, () -> {
        CompletableFuture<List<String>> v = grants.get("ZJ\u001f301001/000001", (k, e) -> CompletableFuture.completedFuture(List.of()));
        return Future.succeededFuture(v.join());
      });
    }
    System.out.printf("cached grant lookup (baseline)      %8.0f ns/call%n", baseline);

    Vertx plain = Vertx.vertx();
    RateLimiter local = RateLimiter.of(new Cluster.Local(plain, "bench"), 1, 500, new SimpleMeterRegistry());
    double standalone = 0;
    for (int round = 0; round < 3; round++) {
      standalone = time(calls, () -> local.acquire("ZJ", rate));
    }
    System.out.printf("limiter, standalone                 %8.0f ns/call  (%.2f x baseline)%n", standalone, standalone / baseline);
    plain.close();

    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    String name = "bench-" + UUID.randomUUID();
    int p1 = 25701 + (int) (Math.random() * 1000);
    int p2 = p1 + 1;
    List<String> members = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    Cluster c1 = Cluster.start(Vertx.builder(), new ClusterConfig(members, "127.0.0.1", p1, name, 250, 1000));
    Cluster c2 = Cluster.start(Vertx.builder(), new ClusterConfig(members, "127.0.0.1", p2, name, 250, 1000));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RateLimiter clustered = RateLimiter.of(c1, 2, 5_000, registry);
    clustered.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    double withBlocks = 0;
    for (int round = 0; round < 3; round++) {
      withBlocks = time(calls / 4, () -> clustered.acquire("ZJ", rate));
    }
    double takes = registry.get("govshare_rate_limit_bucket_takes").counter().count();
    System.out.printf("limiter, clustered (blocks of 64)   %8.0f ns/call  (%.2f x baseline), %.0f takes from the IMap for %d calls%n",
        withBlocks, withBlocks / baseline, takes, 3 * (calls / 4));
    RateLimiter.Rate small = new RateLimiter.Rate(40, 1_000_000_000 / 10);
    double perCallHop = 0;
    for (int round = 0; round < 2; round++) {
      perCallHop = time(20_000, () -> clustered.acquire("ONE-HOP-" + UUID.randomUUID(), small));
    }
    System.out.printf("limiter, clustered, one hop a call  %8.0f ns/call  (%.2f x baseline): what blocks save%n",
        perCallHop, perCallHop / baseline);
    c1.vertx().close();
    c2.vertx().close();
    System.exit(0);
  }

  interface Call {
    Future<?> run();
  }

  private static double time(int calls, Call call) {
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      Future<?> f = call.run();
      if (!f.isComplete()) {
        f.toCompletionStage().toCompletableFuture().join();
      }
    }
    return (System.nanoTime() - start) / (double) calls;
  }
}

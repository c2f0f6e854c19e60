package org.govshare.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.govshare.platform.Problem;
import org.govshare.platform.config.GovshareConfig.LoginLimits;

/**
 * Bounds what failed token requests cost. Failures are counted per client id and per source
 * address in fixed windows; once either is over its limit the request is refused before any
 * look-up or hashing, so a flood of wrong secrets cannot starve good logins of CPU. Secret
 * checks running or queued at once are capped too. Counts live in this instance's memory,
 * bounded in size: behind a load balancer each instance counts what reaches it.
 */
public final class LoginGuard {
  static final int MAX_KEYS = 100_000;

  private final LoginLimits limits;
  private final Ticker ticker;
  private final Cache<String, Window> byClient;
  private final Cache<String, Window> byAddress;
  private final AtomicInteger pending = new AtomicInteger();
  // entries leave at zero, so the map holds at most maxPendingChecks addresses
  private final ConcurrentHashMap<String, Integer> pendingByAddress = new ConcurrentHashMap<>();

  public LoginGuard(LoginLimits limits) {
    this(limits, Ticker.systemTicker());
  }

  LoginGuard(LoginLimits limits, Ticker ticker) {
    this.limits = limits;
    this.ticker = ticker;
    this.byClient = windows(limits, ticker);
    this.byAddress = windows(limits, ticker);
  }

  private static Cache<String, Window> windows(LoginLimits limits, Ticker ticker) {
    return Caffeine.newBuilder().maximumSize(MAX_KEYS).ticker(ticker)
        .expireAfterWrite(Duration.ofSeconds(limits.windowSeconds())).build();
  }

  /** A failure window: starts at the first failure, ends {@code windowSeconds} later. */
  private static final class Window {
    final long startNanos;
    final AtomicInteger failures = new AtomicInteger();

    Window(long startNanos) {
      this.startNanos = startNanos;
    }
  }

  /**
   * Fails with 429 when the client id or the address used up its failures (checks under way count
   * as failures until they end), when the address already has its share of checks under way, or
   * when too many are under way in all. A request admitted must be {@link #release}d.
   */
  public void admit(String clientId, String address) {
    refuseIfOver(byClient.getIfPresent(clientId), 0, limits.failuresPerClient(), "for this client id");
    refuseIfOver(byAddress.getIfPresent(address), pendingByAddress.getOrDefault(address, 0), limits.failuresPerAddress(),
        "from your address");
    boolean[] admitted = {false};
    pendingByAddress.compute(address, (k, n) -> {
      int now = n == null ? 0 : n;
      if (now >= limits.maxPendingPerAddress()) {
        return n;
      }
      admitted[0] = true;
      return now + 1;
    });
    if (!admitted[0]) {
      throw Problem.rateLimited("your address has " + limits.maxPendingPerAddress() + " token requests under way; retry shortly", 1);
    }
    if (pending.incrementAndGet() > limits.maxPendingChecks()) {
      release(address);
      throw Problem.rateLimited("too many token requests are being checked at once; retry shortly", 1);
    }
  }

  /** Every admitted request releases its place exactly once, whatever the outcome. */
  public void release(String address) {
    pending.decrementAndGet();
    pendingByAddress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** The outcome of a secret check (not of a failure to make one). */
  public void record(String clientId, String address, boolean succeeded) {
    if (succeeded) {
      byClient.invalidate(clientId);
      return;
    }
    long now = ticker.read();
    byClient.get(clientId, k -> new Window(now)).failures.incrementAndGet();
    byAddress.get(address, k -> new Window(now)).failures.incrementAndGet();
  }

  private void refuseIfOver(Window w, int underWay, int limit, String who) {
    if (w == null || w.failures.get() + underWay < limit) {
      return;
    }
    long left = Duration.ofSeconds(limits.windowSeconds()).toNanos() - (ticker.read() - w.startNanos);
    long seconds = Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    // the same words every time: identical refusals are audited together
    throw Problem.rateLimited("too many failed token requests " + who + "; retry after the seconds in Retry-After", seconds);
  }
}

package org.govshare.platform;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background work every instance repeats (reading changes other instances made, the sharing
 * clock). A run still going when the next is due is skipped rather than stacked up behind it.
 * On shutdown {@link #stopAll} waits for runs in flight, so the pool is not closed under them.
 */
public final class Periodic {
  private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);
  private static final Map<Vertx, Set<Periodic>> LIVE = new ConcurrentHashMap<>();

  private final Vertx vertx;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean stopped;
  private volatile Future<Void> current = Future.succeededFuture();
  private long timer;

  private Periodic(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Periodic every(Vertx vertx, long periodMs, String what, Supplier<Future<?>> task) {
    return every(vertx, periodMs, periodMs, what, task);
  }

  public static Periodic every(Vertx vertx, long initialDelayMs, long periodMs, String what, Supplier<Future<?>> task) {
    Periodic p = new Periodic(vertx);
    LIVE.computeIfAbsent(vertx, v -> ConcurrentHashMap.newKeySet()).add(p);
    p.timer = vertx.setPeriodic(initialDelayMs, periodMs, id -> p.fire(what, task));
    return p;
  }

  private void fire(String what, Supplier<Future<?>> task) {
    Promise<Void> done = Promise.promise();
    synchronized (this) {
      if (stopped || !running.compareAndSet(false, true)) {
        return;
      }
      current = done.future();
    }
    Future<?> run;
    try {
      run = task.get();
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    run.onComplete(ar -> {
      running.set(false);
      done.complete();
      if (ar.failed()) {
        LOG.warn("{} failed: {}", what, ar.cause().toString());
      }
    });
  }

  public void cancel() {
    synchronized (this) {
      stopped = true;
    }
    vertx.cancelTimer(timer);
  }

  /** Cancels every periodic task of this Vert.x; completes once none has a run in flight. */
  public static Future<Void> stopAll(Vertx vertx) {
    Set<Periodic> all = LIVE.remove(vertx);
    if (all == null) {
      return Future.succeededFuture();
    }
    List<Future<Void>> runs = all.stream().map(p -> {
      p.cancel();
      return p.current.<Void>mapEmpty();
    }).toList();
    return Future.all(runs).mapEmpty();
  }
}

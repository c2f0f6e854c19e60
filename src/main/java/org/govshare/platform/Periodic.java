package org.govshare.platform;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background work every instance repeats (reading changes other instances made, the sharing
 * clock). A run still going when the next is due is skipped rather than stacked up behind it.
 */
public final class Periodic {
  private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

  private final Vertx vertx;
  private final long timer;

  private Periodic(Vertx vertx, long timer) {
    this.vertx = vertx;
    this.timer = timer;
  }

  public static Periodic every(Vertx vertx, long periodMs, String what, Supplier<Future<?>> task) {
    return every(vertx, periodMs, periodMs, what, task);
  }

  public static Periodic every(Vertx vertx, long initialDelayMs, long periodMs, String what, Supplier<Future<?>> task) {
    AtomicBoolean running = new AtomicBoolean();
    long timer = vertx.setPeriodic(initialDelayMs, periodMs, id -> {
      if (!running.compareAndSet(false, true)) {
        return;
      }
      Future<?> run;
      try {
        run = task.get();
      } catch (RuntimeException e) {
        run = Future.failedFuture(e);
      }
      run.onComplete(ar -> {
        running.set(false);
        if (ar.failed()) {
          LOG.warn("{} failed: {}", what, ar.cause().toString());
        }
      });
    });
    return new Periodic(vertx, timer);
  }

  public void cancel() {
    vertx.cancelTimer(timer);
  }
}

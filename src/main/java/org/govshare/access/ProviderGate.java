package org.govshare.access;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.govshare.platform.Problem;

/**
 * At most {@code max} calls in flight to one provider's interface on this instance; beyond that a
 * call waits (at most {@code maxWaiting} of them) for a turn until its deadline. Shared by every
 * event loop, so the permits are counted under a lock and a turn is handed to the waiter's own
 * context.
 */
final class ProviderGate {
  private record Waiter(Context context, Promise<Void> turn) {}

  private final int max;
  private final int maxWaiting;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int running;

  ProviderGate(int max, int maxWaiting) {
    this.max = max;
    this.maxWaiting = maxWaiting;
  }

  /** A permit, to be given back with {@link #release()}; fails with {@code busy} or, at the deadline, {@code late}. */
  Future<Void> acquire(Context context, long timeoutMs, Supplier<Problem> busy, Supplier<Problem> late) {
    Waiter w;
    synchronized (this) {
      if (running < max) {
        running++;
        return Future.succeededFuture();
      }
      if (waiting.size() >= maxWaiting) {
        return Future.failedFuture(busy.get());
      }
      w = new Waiter(context, Promise.promise());
      waiting.add(w);
    }
    long timer = context.owner().setTimer(Math.max(1, timeoutMs), t -> {
      boolean gaveUp;
      synchronized (this) {
        gaveUp = waiting.remove(w);
      }
      if (gaveUp) {
        w.turn().fail(late.get());
      }
    });
    return w.turn().future().onComplete(ar -> context.owner().cancelTimer(timer));
  }

  void release() {
    Waiter next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
        return;
      }
    }
    // the permit passes to the next waiter without being counted down and up again
    next.context().runOnContext(v -> next.turn().complete());
  }

  synchronized int running() {
    return running;
  }
}

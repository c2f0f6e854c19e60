package org.govshare.objection;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.govshare.audit.AuditOf;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.notification.Notifier;
import org.govshare.platform.Periodic;
import org.govshare.platform.Times;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run by every instance: flags objections unanswered past their answerDue (claimed in one SQL
 * statement, so each is flagged, audited and notified once however many instances run it), and
 * fails cross-checks whose instance stopped in the middle of a run.
 */
public final class ObjectionClock {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectionClock.class);
  private static final int BATCH = 200;

  private final Vertx vertx;
  private final ObjectionStore store;
  private final CrossCheckService crosschecks;
  private final Notifier notifier;
  private final Clock clock;
  private final String bureau;
  private final long periodMs;
  private Periodic timer;

  public ObjectionClock(Vertx vertx, ObjectionStore store, CrossCheckService crosschecks, Notifier notifier, Clock clock, String bureau,
      long periodMs) {
    this.vertx = vertx;
    this.store = store;
    this.crosschecks = crosschecks;
    this.notifier = notifier;
    this.clock = clock;
    this.bureau = bureau;
    this.periodMs = periodMs;
  }

  public void start() {
    timer = Periodic.every(vertx, Math.min(periodMs, 5_000), periodMs, "objection clock job", () -> runOnce().onSuccess(n -> {
      if (n > 0) {
        LOG.info("objection clock job: {} objections flagged overdue", n);
      }
    }));
  }

  public void stop() {
    if (timer != null) {
      timer.cancel();
    }
  }

  /** One pass; safe to call concurrently on any number of instances. Returns how many objections it flagged. */
  public Future<Integer> runOnce() {
    Caller system = Caller.system("objection-clock");
    return flagOverdue(system, 0).compose(n -> crosschecks.failAbandoned().map(n));
  }

  private Future<Integer> flagOverdue(Caller system, int sofar) {
    return store.claimOverdue(clock.instant(), BATCH, AuditOf.each(o -> AuditEntry.of(system, AuditAction.OBJECTION_OVERDUE,
            o.resource(), o.id(), Outcome.OK, new JsonObject().put("provider", o.provider()).put("consumer", o.consumer()))))
        .compose(claimed -> {
          List<Future<Void>> told = new ArrayList<>();
          for (Objection o : claimed) {
            String message = "Objection " + o.id() + " of " + o.consumer() + " on item " + o.item() + " of record " + o.key() + " of "
                + o.resource() + " was not answered by " + o.provider() + " before " + Times.format(o.answerDue())
                + "; it can still be answered";
            for (String d : List.of(o.provider(), bureau)) {
              told.add(notifier.notify(d, ObjectionKind.OBJECTION_OVERDUE.name(), o.id(), message).recover(e -> Future.succeededFuture()));
            }
          }
          int total = sofar + claimed.size();
          return Future.all(told).compose(v -> claimed.size() == BATCH ? flagOverdue(system, total) : Future.succeededFuture(total));
        });
  }
}

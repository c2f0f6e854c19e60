package org.govshare.sharing;

import org.govshare.notification.Notifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditOf;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.platform.Periodic;
import org.govshare.platform.Times;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled side of the decision clock, run by every instance: flags applications undecided
 * past their deadline (claimed in one SQL statement, so each is flagged and notified once however
 * many instances run the job) and expires grants past their last valid day.
 */
public final class ClockJob {
  private static final Logger LOG = LoggerFactory.getLogger(ClockJob.class);
  private static final int BATCH = 200;

  private final Vertx vertx;
  private final SharingStore store;
  private final GrantService grants;
  private final Inbox inbox;
  private final SharingMetrics metrics;
  private final Clock clock;
  private final String bureau;
  private final long periodMs;
  private Periodic timer;

  public record Result(int overdue, int expired) {}

  public ClockJob(Vertx vertx, SharingStore store, GrantService grants, Notifier notifier, SharingMetrics metrics,
      Clock clock, String bureau, long periodMs) {
    this.vertx = vertx;
    this.store = store;
    this.grants = grants;
    this.inbox = new Inbox(notifier);
    this.metrics = metrics;
    this.clock = clock;
    this.bureau = bureau;
    this.periodMs = periodMs;
  }

  public void start() {
    timer = Periodic.every(vertx, Math.min(periodMs, 5_000), periodMs, "sharing clock job", () -> runOnce().onSuccess(r -> {
      if (r.overdue() + r.expired() > 0) {
        LOG.info("sharing clock job: {} applications flagged overdue, {} grants expired", r.overdue(), r.expired());
      }
    }));
  }

  public void stop() {
    if (timer != null) {
      timer.cancel();
    }
  }

  /** One pass; safe to call concurrently on any number of instances. */
  public Future<Result> runOnce() {
    Caller system = Caller.system("sharing-clock");
    return flagOverdue(system, 0).compose(overdue -> grants.expire(system).map(expired -> new Result(overdue, expired)));
  }

  private Future<Integer> flagOverdue(Caller system, int sofar) {
    return store.claimOverdue(clock.instant(), BATCH, AuditOf.each(a -> AuditEntry.of(system, AuditAction.APPLICATION_OVERDUE,
        a.resource(), a.id(), Outcome.OK, new JsonObject()
            .put("consumer", a.consumer()).put("provider", a.provider()).put("decisionDue", Times.format(a.decisionDue())))))
        .compose(claimed -> {
      List<Future<Void>> told = new ArrayList<>();
      for (Application a : claimed) {
        metrics.overdue.increment();
        told.add(inbox.tell(NotificationKind.APPLICATION_OVERDUE, a.id(), "Application " + a.id() + " of " + a.consumer()
                + " for " + a.resource() + " was not decided by " + a.provider() + " before " + Times.format(a.decisionDue())
                + "; it can still be decided", a.provider(), bureau));
      }
      int total = sofar + claimed.size();
      return Future.all(told).compose(v -> claimed.size() == BATCH ? flagOverdue(system, total) : Future.succeededFuture(total));
    });
  }
}

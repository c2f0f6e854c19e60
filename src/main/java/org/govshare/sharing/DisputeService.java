package org.govshare.sharing;

import org.govshare.platform.Ids;
import org.govshare.notification.Notifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditOf;
import org.govshare.sharing.SharingStore.Resolution;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.catalog.CatalogDirectory;
import org.govshare.catalog.SharedResource;
import org.govshare.platform.Problem;
import org.govshare.platform.http.PageRequest;
import org.govshare.sharing.SharingStore.DisputeFilter;

/**
 * Disputes about a rejection or an approval's conditions go to the bureau (notice rule 8), which
 * upholds the decision, overturns it (a grant is issued as if the provider had approved everything
 * requested, without conditions) or refers it to the county government.
 */
public final class DisputeService {
  private final SharingStore store;
  private final CatalogDirectory catalog;
  private final GrantCheck grantCheck;
  private final Inbox inbox;
  private final Clock clock;
  private final String bureau;

  public DisputeService(SharingStore store, CatalogDirectory catalog, GrantCheck grantCheck, Notifier notifier,
      Clock clock, String bureau) {
    this.store = store;
    this.catalog = catalog;
    this.grantCheck = grantCheck;
    this.inbox = new Inbox(notifier);
    this.clock = clock;
    this.bureau = bureau;
  }

  public Future<Dispute> open(Caller caller, OpenDispute command) {
    String applicationId = command.application();
    return store.application(applicationId).compose(found -> {
      Application a = found.orElseThrow(() -> Problem.notFound("application", applicationId));
      return Parties.about(a.resource(), () -> open(caller, a, command.statement()));
    });
  }

  // who may act, then the state, then the text: a stranger learns nothing from a verdict on its statement
  private Future<Dispute> open(Caller caller, Application a, String text) {
    Parties.requireConsumer(caller.principal(), a.consumer(), "dispute application " + a.id());
    if (a.status() != Application.Status.REJECTED && a.status() != Application.Status.APPROVED) {
      return Future.failedFuture(Problem.conflict("application " + a.id() + " is " + a.status()
          + "; only a decision (a rejection, or an approval's conditions or items) can be disputed"));
    }
    String statement = SharingRules.reason("statement", text);
    Instant now = clock.instant();
    Dispute draft = new Dispute(0, Ids.next("dsp"), a.id(), a.resource(), a.consumer(), a.provider(), statement, Dispute.Status.OPEN,
        caller.clientId(), ApplicationService.at(now), null, null, null, null);
    return store.insertDispute(draft, ApplicationService.event(a.id(), now, "DISPUTED", caller,
            new JsonObject().put("dispute", draft.id()).put("statement", statement)),
            AuditOf.one(d -> AuditEntry.of(caller, AuditAction.DISPUTE_OPEN, d.resource(), d.id(), Outcome.OK, new JsonObject()
                .put("application", a.id()).put("decision", a.status().name()).put("provider", a.provider()).put("statement", statement))))
        .compose(d -> inbox.tell(NotificationKind.DISPUTE_OPENED, d.id(), a.consumer() + " disputes the " + a.status()
                + " decision of " + a.provider() + " on application " + a.id() + ": " + statement, bureau, a.provider())
            .map(v -> d));
  }

  public Future<Dispute> resolve(Caller caller, String id, ResolveDispute command) {
    if (!caller.principal().isPlatformAdmin()) {
      throw Problem.forbidden("only the bureau (PLATFORM_ADMIN) resolves disputes");
    }
    Dispute.Status outcome = command.outcome();
    return existing(id).compose(d -> Parties.about(d.resource(), () -> {
      if (d.status() != Dispute.Status.OPEN) {
        return Future.failedFuture(alreadyResolved(d));
      }
      String note = SharingRules.reason("note", command.note());
      return store.application(d.application()).map(Optional::orElseThrow).compose(a -> {
        Instant now = clock.instant();
        Future<Optional<Grant>> grant = outcome == Dispute.Status.OVERTURNED ? overturnGrant(d, a, now) : Future.succeededFuture(Optional.empty());
        return grant.compose(g -> store.resolve(id, outcome, note, caller.clientId(), now, g, ApplicationService.event(a.id(), now,
                "DISPUTE_" + outcome.name(), caller, new JsonObject().put("dispute", id).put("note", note)
                    .put("grant", g.map(Grant::id).orElse(null))), resolution -> resolutionRecords(caller, a, outcome, note, g, resolution))
            .compose(resolved -> resolved.isPresent() ? Future.succeededFuture(resolved.get())
                : existing(id).compose(current -> Future.failedFuture(alreadyResolved(current))))
            .compose(resolution -> {
              Dispute r = resolution.dispute();
              Future<Void> told = g.map(issued -> grantCheck.changed(issued.consumer(), issued.resource())).orElse(Future.succeededFuture());
              String message = "The bureau resolved dispute " + id + " on application " + a.id() + ": " + outcome
                  + (outcome == Dispute.Status.REFERRED ? " to the county government" : "") + " — " + note;
              return told.compose(v -> inbox.tell(NotificationKind.DISPUTE_RESOLVED, id, message, r.consumer(), r.provider()))
                  .map(v -> r);
            }));
      });
    }));
  }

  private static List<AuditEntry> resolutionRecords(Caller caller, Application a, Dispute.Status outcome, String note,
      Optional<Grant> g, Resolution resolution) {
    Dispute r = resolution.dispute();
    String id = r.id();
    List<AuditEntry> entries = new ArrayList<>();
    entries.add(AuditEntry.of(caller, AuditAction.DISPUTE_RESOLVE, r.resource(), id, Outcome.OK, new JsonObject()
        .put("application", r.application()).put("outcome", outcome.name()).put("note", note)
        .put("grant", g.map(Grant::id).orElse(null)).put("supersededGrants", new JsonArray(resolution.supersededGrants()))));
    resolution.supersededGrants().forEach(old -> entries.add(AuditEntry.of(caller, AuditAction.GRANT_END, r.resource(), old,
        Outcome.OK, new JsonObject().put("consumer", r.consumer()).put("why", "superseded by the resolution of dispute " + id))));
    g.ifPresent(issued -> entries.add(AuditEntry.of(caller, AuditAction.GRANT_ISSUE, issued.resource(), issued.id(), Outcome.OK,
        new JsonObject().put("application", a.id()).put("dispute", id).put("consumer", issued.consumer())
            .put("items", new JsonArray(issued.items())))));
    return entries;
  }

  /** As if the provider had approved every requested item without conditions, for the period applied for. */
  private Future<Optional<Grant>> overturnGrant(Dispute d, Application a, Instant now) {
    if (a.validUntil() != null && !a.validUntil().isAfter(now.atZone(org.govshare.platform.Times.zone()).toLocalDate())) {
      return Future.failedFuture(Problem.conflict("application " + a.id() + " asked for data until " + a.validUntil()
          + ", which has passed; uphold or refer the dispute instead"));
    }
    return catalog.resource(a.resource()).map(found -> {
      SharedResource r = found.filter(SharedResource::published).orElseThrow(() -> Problem.conflict(
          a.resource() + " is no longer published; a grant cannot be issued. Uphold or refer the dispute instead"));
      List<String> items = a.items().stream().filter(k -> r.item(k).isPresent()).toList();
      if (items.isEmpty()) {
        throw Problem.conflict("none of the requested items " + a.items() + " is still in " + a.resource());
      }
      return Optional.of(new Grant(0, Ids.next("grt"), a.id(), d.id(), a.resource(), a.consumer(), a.provider(), items, List.of(), a.usage(),
          a.purpose(), null, a.validUntil(), Grant.Status.ACTIVE, ApplicationService.at(now), null, null, null));
    });
  }

  public Future<JsonObject> get(Caller caller, String id) {
    return existing(id).compose(d -> Parties.about(d.resource(), () -> {
      Parties.requireParty(caller.principal(), d.consumer(), d.provider(), "dispute " + id);
      return Future.succeededFuture(d.toJson());
    }));
  }

  public Future<JsonObject> list(Caller caller, Optional<String> role, Optional<String> department, Optional<Dispute.Status> status,
      PageRequest page) {
    Optional<String> dept = Parties.listDepartment(caller.principal(), department, role);
    Optional<Long> before = page.first() ? Optional.empty() : Optional.of(page.longKey(1, 0));
    return store.disputes(new DisputeFilter(dept, dept.isPresent() ? role : Optional.empty(), status), before, page.fetchSize())
        .map(rows -> page.page(rows, Dispute::toJson, d -> new Object[] {d.seq()}));
  }

  private Future<Dispute> existing(String id) {
    return store.dispute(id).map(found -> found.orElseThrow(() -> Problem.notFound("dispute", id)));
  }

  private static Problem alreadyResolved(Dispute d) {
    return Problem.conflict("dispute " + d.id() + " is already resolved: " + d.status()).with("currentStatus", d.status().name());
  }
}

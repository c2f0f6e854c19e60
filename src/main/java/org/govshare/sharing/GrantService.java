package org.govshare.sharing;

import org.govshare.notification.Notifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.audit.AuditOf;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.catalog.CatalogListener;
import org.govshare.kernel.Principal;
import org.govshare.platform.Problem;
import org.govshare.platform.http.PageRequest;
import org.govshare.sharing.SharingStore.GrantFilter;

/**
 * Grants after they are issued: listing, revocation by the provider or the bureau, expiry, and
 * the end of grants whose resource is retired or whose items a new catalogue version dropped.
 */
public final class GrantService implements CatalogListener {
  private final SharingStore store;
  private final GrantCheck grantCheck;
  private final Inbox inbox;
  private final Clock clock;

  public GrantService(SharingStore store, GrantCheck grantCheck, Notifier notifier, Clock clock) {
    this.store = store;
    this.grantCheck = grantCheck;
    this.inbox = new Inbox(notifier);
    this.clock = clock;
  }

  public Future<JsonObject> list(Caller caller, Optional<String> role, Optional<String> department, Optional<Grant.Status> status,
      Optional<String> resource, PageRequest page) {
    Optional<String> dept = Parties.listDepartment(caller.principal(), department, role);
    Optional<Long> before = page.first() ? Optional.empty() : Optional.of(page.longKey(1, 0));
    return store.grants(new GrantFilter(dept, dept.isPresent() ? role : Optional.empty(), status, resource), before, page.fetchSize())
        .map(rows -> page.page(rows, Grant::toJson, g -> new Object[] {g.seq()}));
  }

  public Future<JsonObject> get(Caller caller, String id) {
    return existing(id).compose(g -> Parties.about(g.resource(), () -> {
      Parties.requireParty(caller.principal(), g.consumer(), g.provider(), "grant " + id);
      return Future.succeededFuture(g.toJson());
    }));
  }

  /** What a department may read of a resource right now: the answer the data plane will act on. */
  public Future<JsonObject> check(Caller caller, String resource, Optional<String> department) {
    Principal p = caller.principal();
    String dept = department.orElse(p.department());
    if (!dept.equals(p.department()) && !Parties.seesAll(p)) {
      throw Problem.forbidden("a department checks only its own access; the bureau may check any department's");
    }
    return grantCheck.check(dept, resource).map(a -> new JsonObject()
        .put("department", dept).put("resource", resource).put("items", sorted(a.items()))
        .put("unconditional", sorted(a.unconditional())).put("granted", sorted(a.granted()))
        .put("clear", sorted(a.clear()))
        .put("ownResource", a.own()));
  }

  public Future<JsonObject> revoke(Caller caller, String id, JsonObject body) {
    return existing(id).compose(g -> Parties.about(g.resource(), () -> {
      Principal p = caller.principal();
      if (!p.isPlatformAdmin()) {
        Parties.requireProvider(p, g.provider(), "revoke grant " + id + " (or the bureau)");
      }
      if (g.status() != Grant.Status.ACTIVE) {
        return Future.failedFuture(Problem.conflict("grant " + id + " is already " + g.status()).with("currentStatus", g.status().name()));
      }
      String reason = SharingRules.reason("reason", body.getString("reason"));
      Instant now = clock.instant();
      return store.endGrant(id, Grant.Status.REVOKED, reason, caller.clientId(), now, AuditOf.one(r -> AuditEntry.of(caller,
          AuditAction.GRANT_REVOKE, r.resource(), r.id(), Outcome.OK, new JsonObject()
              .put("consumer", r.consumer()).put("application", r.application()).put("reason", reason)))).compose(ended -> {
        if (ended.isEmpty()) {
          return existing(id).compose(current -> Future.failedFuture(
              Problem.conflict("grant " + id + " is already " + current.status()).with("currentStatus", current.status().name())));
        }
        Grant r = ended.get();
        return grantCheck.changed(r.consumer(), r.resource()).compose(told -> store.appendEvent(ApplicationService.event(r.application(), now, "GRANT_REVOKED", caller,
                new JsonObject().put("grant", r.id()).put("reason", reason)))
            .compose(v -> inbox.tell(NotificationKind.GRANT_REVOKED, r.id(), (p.isPlatformAdmin() ? "The bureau" : r.provider())
                + " revoked grant " + r.id() + " to " + r.resource() + ": " + reason, r.consumer(), r.provider()))
            .map(v -> r.toJson()));
      });
    }));
  }

  @Override
  public Future<Void> entryChanged(String code) {
    return grantCheck.entryChanged(code);
  }

  @Override
  public Future<Void> resourceRetired(Caller caller, String code) {
    Instant now = clock.instant();
    String why = "resource retired";
    return store.endGrantsOfResource(code, "resource " + code + " was retired from the catalogue", caller.clientId(), now,
            changed(caller, why))
        .compose(ended -> announce(caller, ended, now, why));
  }

  @Override
  public Future<Void> itemsRemoved(Caller caller, String code, Set<String> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    Instant now = clock.instant();
    String why = "items removed: " + keys;
    return store.removeItems(code, keys, "a new catalogue version of " + code + " dropped " + keys, caller.clientId(), now,
            changed(caller, why))
        .compose(changed -> announce(caller, changed, now, why));
  }

  /** Grants past their last valid day; called by the clock job on every instance. */
  public Future<Integer> expire(Caller system) {
    Instant now = clock.instant();
    return store.expireGrants(now.atZone(org.govshare.platform.Times.zone()).toLocalDate(), now, changed(system, "expired"))
        .compose(expired -> announce(system, expired, now, "expired").map(v -> expired.size()));
  }

  /** The audit records of grants narrowed or ended, written in the same transaction as the change. */
  private static AuditOf<List<Grant>> changed(Caller caller, String why) {
    return AuditOf.each(g -> AuditEntry.of(caller, AuditAction.GRANT_END, g.resource(), g.id(), Outcome.OK,
        detail(g, why).put("consumer", g.consumer())));
  }

  private static JsonObject detail(Grant g, String why) {
    return new JsonObject().put("grant", g.id()).put("status", g.status().name()).put("items", new JsonArray(g.items())).put("why", why);
  }

  private Future<Void> announce(Caller caller, List<Grant> grants, Instant now, String why) {
    List<Future<Void>> all = new ArrayList<>();
    for (Grant g : grants) {
      all.add(grantCheck.changed(g.consumer(), g.resource()));
      boolean ended = g.status() != Grant.Status.ACTIVE;
      String event = !ended ? "GRANT_NARROWED" : g.status() == Grant.Status.EXPIRED ? "GRANT_EXPIRED" : "GRANT_ENDED";
      NotificationKind kind = g.status() == Grant.Status.EXPIRED ? NotificationKind.GRANT_EXPIRED : NotificationKind.GRANT_ENDED;
      JsonObject detail = detail(g, why);
      String message = ended ? "Grant " + g.id() + " to " + g.resource() + " ended (" + why + ")"
          : "Grant " + g.id() + " to " + g.resource() + " now covers " + g.items() + " (" + why + ")";
      all.add(store.appendEvent(ApplicationService.event(g.application(), now, event, caller, detail))
          .compose(v -> inbox.tell(kind, g.id(), message, g.consumer())));
    }
    return Future.all(all).mapEmpty();
  }

  private static JsonArray sorted(Set<String> keys) {
    return new JsonArray(List.copyOf(new java.util.TreeSet<>(keys)));
  }

  private Future<Grant> existing(String id) {
    return store.grant(id).map(found -> found.orElseThrow(() -> Problem.notFound("grant", id)));
  }
}

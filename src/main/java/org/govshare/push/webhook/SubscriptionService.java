package org.govshare.push.webhook;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.govshare.access.AccessService;
import org.govshare.audit.AuditOf;
import org.govshare.audit.AuditWriter;
import org.govshare.kernel.AuditAction;
import org.govshare.kernel.AuditEntry;
import org.govshare.kernel.Caller;
import org.govshare.kernel.Outcome;
import org.govshare.kernel.Principal;
import org.govshare.kernel.Role;
import org.govshare.platform.Problem;
import org.govshare.platform.config.GovshareConfig.WebhookConfig;
import org.govshare.platform.http.PageRequest;

/**
 * The rules of webhook subscriptions: who may subscribe (a consumer that may read something of the
 * resource now), where to (see {@link CallbackUrl}), how many, and who sees and removes them (its
 * own department; the bureau's admins and auditors see all).
 */
public final class SubscriptionService {
  private final SubscriptionStore store;
  private final AccessService access;
  private final WebhookSecrets secrets;
  private final AuditWriter audit;
  private final WebhookConfig config;
  private final Runnable wake;

  /** {@code wake}: tells this instance's deliveries to look for new work (a subscription made or resumed). */
  public SubscriptionService(SubscriptionStore store, AccessService access, WebhookSecrets secrets, AuditWriter audit,
      WebhookConfig config, Runnable wake) {
    this.store = store;
    this.access = access;
    this.secrets = secrets;
    this.audit = audit;
    this.config = config;
    this.wake = wake;
  }

  public record Created(Subscription subscription, String secret) {
    /** The only reply that carries the secret. */
    public JsonObject toJson() {
      return subscription.toJson().put("secret", secret);
    }

    @Override
    public String toString() {
      return "Created[" + subscription + ", secret=***]";
    }
  }

  public Future<Created> create(Caller caller, String resource, String callbackUrl) {
    Principal p = caller.principal();
    if (!p.hasAny(Role.CONSUMER, Role.DEPT_ADMIN)) {
      return Future.failedFuture(Problem.forbidden("webhook subscriptions are made by a department's CONSUMER or DEPT_ADMIN clients"));
    }
    URI url = CallbackUrl.check(callbackUrl, config.allowedHttpHosts(), config.maxUrlLength());
    // the same question the data plane asks: 404 for an unknown resource, 403 when nothing of it is readable
    return access.view(caller, resource).compose(view -> {
      String id = UUID.randomUUID().toString();
      byte[] salt = WebhookSecrets.newSalt();
      SubscriptionStore.NewSubscription s = new SubscriptionStore.NewSubscription(id, p.department(), p.clientId(), resource,
          url.toString(), salt);
      return store.create(s, config.maxPerDepartment(), AuditOf.one(saved -> AuditEntry.of(caller, AuditAction.SUBSCRIPTION_CREATE,
          resource, saved.id(), Outcome.OK, detail(saved).put("items", new io.vertx.core.json.JsonArray(java.util.List.copyOf(view.readable()))))))
          .map(saved -> saved.orElseThrow(() -> Problem.conflict("department " + p.department() + " already has "
              + config.maxPerDepartment() + " live webhook subscriptions (webhook.max-per-department); delete one first")))
          .map(saved -> {
            wake.run();
            return new Created(saved, secrets.of(saved));
          });
    });
  }

  public Future<JsonObject> list(Caller caller, PageRequest page) {
    String department = seesAll(caller.principal()) ? null : caller.department();
    Long before = page.first() ? null : page.longKey(1, 0);
    return store.list(department, before, page.fetchSize()).compose(rows -> {
      JsonObject reply = page.page(rows, r -> r.subscription().toJson(), r -> new Object[] {r.ord()});
      return audit.append(AuditEntry.of(caller, AuditAction.SUBSCRIPTION_READ, null, null, Outcome.OK,
          new JsonObject().put("department", department).put("returned", reply.getJsonArray("items").size()))).map(seq -> reply);
    });
  }

  public Future<Subscription> get(Caller caller, String id) {
    return visible(caller, id).compose(s -> audit.append(AuditEntry.of(caller, AuditAction.SUBSCRIPTION_READ, s.resource(), s.id(),
        Outcome.OK, new JsonObject())).map(seq -> s));
  }

  public Future<Void> delete(Caller caller, String id) {
    return writable(caller, id).compose(s -> store.delete(id, AuditOf.one(saved -> AuditEntry.of(caller,
            AuditAction.SUBSCRIPTION_DELETE, saved.resource(), saved.id(), Outcome.OK, detail(saved)))))
        .map(deleted -> {
          deleted.orElseThrow(() -> Problem.notFound("subscription", id));
          return null;
        });
  }

  /** A PAUSED subscription starts again from its last acknowledged change; an ACTIVE one waiting to retry tries now. */
  public Future<Subscription> resume(Caller caller, String id) {
    return writable(caller, id).compose(s -> {
      if (s.status() == Subscription.Status.ENDED) {
        return Future.failedFuture(Problem.conflict("subscription " + id + " ENDED (" + s.endReason() + "); make a new one"));
      }
      return store.resume(id, AuditOf.one(saved -> AuditEntry.of(caller, AuditAction.SUBSCRIPTION_RESUME, saved.resource(), saved.id(),
          Outcome.OK, detail(saved).put("was", s.status().name()).put("failures", s.failures()))));
    }).map(resumed -> {
      Subscription s = resumed.orElseThrow(() -> Problem.conflict("subscription " + id + " can no longer be resumed"));
      wake.run();
      return s;
    });
  }

  private static boolean seesAll(Principal p) {
    return p.hasAny(Role.PLATFORM_ADMIN, Role.AUDITOR);
  }

  /** Another department's subscription is as unknown as a missing one: ids are not confirmed to outsiders. */
  private Future<Subscription> visible(Caller caller, String id) {
    return store.find(id).map(found -> found.filter(s -> seesAll(caller.principal()) || s.department().equals(caller.department()))
        .orElseThrow(() -> Problem.notFound("subscription", id)));
  }

  private Future<Subscription> writable(Caller caller, String id) {
    return store.find(id).map(found -> {
      Optional<Subscription> own = found.filter(s -> s.department().equals(caller.department()));
      if (own.isEmpty()) {
        if (found.isPresent() && seesAll(caller.principal())) {
          throw Problem.forbidden("only department " + found.get().department() + " changes its subscriptions");
        }
        throw Problem.notFound("subscription", id);
      }
      if (!caller.principal().hasAny(Role.CONSUMER, Role.DEPT_ADMIN)) {
        throw Problem.forbidden("subscriptions are changed by the department's CONSUMER or DEPT_ADMIN clients");
      }
      return own.get();
    });
  }

  /** Where deliveries go, without the query (it may carry the receiver's own token); never the secret. */
  static JsonObject detail(Subscription s) {
    URI u = URI.create(s.callbackUrl());
    String shown = u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + (u.getRawPath() == null ? "" : u.getRawPath());
    return new JsonObject().put("callbackUrl", shown).put("status", s.status().name()).put("lastDeliveredSeq", s.lastDeliveredSeq());
  }
}

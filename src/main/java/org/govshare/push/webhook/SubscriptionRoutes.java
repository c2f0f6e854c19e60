package org.govshare.push.webhook;

import org.govshare.kernel.AuditAction;
import org.govshare.platform.http.Api;
import org.govshare.platform.http.Reply;
import org.govshare.platform.http.Routes;

/** Webhook subscriptions: made, listed, read, resumed and deleted by the subscribing department. */
public final class SubscriptionRoutes implements Routes {
  private final SubscriptionService service;

  public SubscriptionRoutes(SubscriptionService service) {
    this.service = service;
  }

  @Override
  public void mount(Api api) {
    api.on("createSubscription", AuditAction.SUBSCRIPTION_CREATE, req -> {
      String resource = req.body().getString("resource");
      req.context().put("govshare.auditResource", resource);
      return service.create(req.caller(), resource, req.body().getString("callbackUrl"))
          .map(created -> Reply.created(created.toJson()).header("Location", "/api/v1/subscriptions/" + created.subscription().id()));
    });
    api.on("listSubscriptions", AuditAction.SUBSCRIPTION_READ, req -> service.list(req.caller(), req.page()).map(Reply::ok));
    api.on("getSubscription", AuditAction.SUBSCRIPTION_READ,
        req -> service.get(req.caller(), req.path("id")).map(s -> Reply.ok(s.toJson())));
    api.on("deleteSubscription", AuditAction.SUBSCRIPTION_DELETE,
        req -> service.delete(req.caller(), req.path("id")).map(v -> Reply.noContent()));
    api.on("resumeSubscription", AuditAction.SUBSCRIPTION_RESUME,
        req -> service.resume(req.caller(), req.path("id")).map(s -> Reply.ok(s.toJson())));
  }
}

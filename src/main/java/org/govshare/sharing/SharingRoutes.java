package org.govshare.sharing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.govshare.kernel.AuditAction;
import org.govshare.platform.Problem;
import org.govshare.platform.http.Api;
import org.govshare.platform.http.ApiHandler;
import org.govshare.platform.http.ApiRequest;
import org.govshare.platform.http.Reply;
import org.govshare.platform.http.Routes;

/** The sharing workflow's operations: calendar, applications, grants, disputes, notifications. */
public final class SharingRoutes implements Routes {
  // read by the problem handler, so a refusal's audit record names what was refused
  private static final String AUDIT_RESOURCE = "govshare.auditResource";
  private static final String AUDIT_SUBJECT = "govshare.auditSubject";

  private final CalendarService calendar;
  private final ApplicationService applications;
  private final GrantService grants;
  private final DisputeService disputes;
  private final NotificationService notifications;

  public SharingRoutes(CalendarService calendar, ApplicationService applications, GrantService grants, DisputeService disputes,
      NotificationService notifications) {
    this.calendar = calendar;
    this.applications = applications;
    this.grants = grants;
    this.disputes = disputes;
    this.notifications = notifications;
  }

  @Override
  public void mount(Api api) {
    api.on("calendarDeadline", AuditAction.CALENDAR_READ, req -> Future.succeededFuture(Reply.ok(calendar.deadline(
        req.queryDate("from").orElseThrow(() -> Problem.invalid("from", "is required")), workingDays(req)))));
    api.on("getCalendarYear", AuditAction.CALENDAR_READ, req -> Future.succeededFuture(Reply.ok(calendar.year(year(req)))));
    api.on("putCalendarYear", AuditAction.CALENDAR_SET, req -> {
      subject(req, req.path("year"));
      int year = year(req);
      return calendar.set(req.caller(), year, req.body())
          .compose(json -> applications.reschedule(req.caller(), year).map(moved -> Reply.ok(json.put("deadlinesMoved", moved))));
    });

    api.on("submitApplication", AuditAction.APPLICATION_SUBMIT, req -> {
      req.context().put(AUDIT_RESOURCE, req.body().getString("resource"));
      return applications.submit(req.caller(), submission(req.body()))
          .map(a -> Reply.created(a.toJson()).header("Location", "/api/v1/applications/" + a.application().id()));
    });
    api.on("listApplications", AuditAction.APPLICATION_READ, req -> applications.list(req.caller(), req.query("role"),
        req.query("department"), req.queryEnum("status", Application.Status.class), req.queryBoolean("overdue"), req.query("resource"),
        req.page()).map(Reply::ok));
    api.on("getApplication", AuditAction.APPLICATION_READ,
        naming(req -> applications.get(req.caller(), subject(req, req.path("id"))).map(Reply::ok)));
    api.on("decideApplication", AuditAction.APPLICATION_DECIDE,
        naming(req -> applications.decide(req.caller(), subject(req, req.path("id")), decision(req.body()))
            .map(d -> Reply.ok(d.toJson()))));
    api.on("withdrawApplication", AuditAction.APPLICATION_WITHDRAW,
        naming(req -> applications.withdraw(req.caller(), subject(req, req.path("id"))).map(Reply::ok)));

    api.on("listGrants", AuditAction.GRANT_READ, req -> grants.list(req.caller(), req.query("role"), req.query("department"),
        req.queryEnum("status", Grant.Status.class), req.query("resource"), req.page()).map(Reply::ok));
    api.on("checkGrant", AuditAction.GRANT_READ, req -> {
      String resource = req.query("resource").orElseThrow(() -> Problem.invalid("resource", "is required"));
      req.context().put(AUDIT_RESOURCE, resource);
      return grants.check(req.caller(), resource, req.query("department")).map(Reply::ok);
    });
    api.on("getGrant", AuditAction.GRANT_READ, naming(req -> grants.get(req.caller(), subject(req, req.path("id"))).map(Reply::ok)));
    api.on("revokeGrant", AuditAction.GRANT_REVOKE,
        naming(req -> grants.revoke(req.caller(), subject(req, req.path("id")), req.body()).map(Reply::ok)));

    api.on("openDispute", AuditAction.DISPUTE_OPEN, naming(req -> {
      subject(req, req.body().getString("application"));
      return disputes.open(req.caller(), new OpenDispute(req.body().getString("application"), req.body().getString("statement")))
          .map(d -> Reply.created(d.toJson()).header("Location", "/api/v1/disputes/" + d.id()));
    }));
    api.on("listDisputes", AuditAction.DISPUTE_READ, req -> disputes.list(req.caller(), req.query("role"), req.query("department"),
        req.queryEnum("status", Dispute.Status.class), req.page()).map(Reply::ok));
    api.on("getDispute", AuditAction.DISPUTE_READ, naming(req -> disputes.get(req.caller(), subject(req, req.path("id"))).map(Reply::ok)));
    api.on("resolveDispute", AuditAction.DISPUTE_RESOLVE,
        naming(req -> disputes.resolve(req.caller(), subject(req, req.path("id")), resolution(req.body()))
            .map(d -> Reply.ok(d.toJson()))));

    api.on("listNotifications", AuditAction.NOTIFICATION_READ, req -> notifications.inbox(req.caller(),
        req.queryBoolean("unread").orElse(false), req.query("kind"), req.page()).map(Reply::ok));
    api.on("readNotification", AuditAction.NOTIFICATION_READ,
        req -> notifications.markRead(req.caller(), subject(req, req.path("id"))).map(Reply::ok));
    api.on("readAllNotifications", AuditAction.NOTIFICATION_READ, req -> notifications.markAllRead(req.caller()).map(Reply::ok));
  }

  /** A refusal that names its resource (see Parties.about) is audited under it. */
  private static ApiHandler naming(ApiHandler handler) {
    return req -> handler.handle(req).recover(e -> {
      if (e instanceof Problem p && req.context().get(AUDIT_RESOURCE) == null) {
        String resource = p.toJson(null).getString("resource");
        if (resource != null) {
          req.context().put(AUDIT_RESOURCE, resource);
        }
      }
      return Future.failedFuture(e);
    });
  }

  // the contract validator has checked the body's shape; these only read it
  private static SubmitApplication submission(JsonObject body) {
    return new SubmitApplication(body.getString("resource"), ApplicationService.strings(body.getJsonArray("items")),
        body.getString("purpose"), Usage.valueOf(body.getString("usage")), body.getString("validUntil"));
  }

  private static DecideApplication decision(JsonObject body) {
    JsonArray items = body.getJsonArray("items");
    JsonArray clear = body.getJsonArray("clearItems");
    return new DecideApplication("APPROVE".equals(body.getString("decision")), body.getString("reason"),
        items == null ? null : ApplicationService.strings(items), body.getString("conditions"), body.getString("validUntil"),
        clear == null ? null : ApplicationService.strings(clear));
  }

  private static ResolveDispute resolution(JsonObject body) {
    return new ResolveDispute(Dispute.Status.valueOf(body.getString("outcome")), body.getString("note"));
  }

  private static String subject(ApiRequest req, String id) {
    req.context().put(AUDIT_SUBJECT, id);
    return id;
  }

  private static int year(ApiRequest req) {
    try {
      return Integer.parseInt(req.path("year"));
    } catch (NumberFormatException e) {
      throw Problem.invalid("year", "must be a year such as 2026");
    }
  }

  private static int workingDays(ApiRequest req) {
    String raw = req.query("workingDays").orElseThrow(() -> Problem.invalid("workingDays", "is required"));
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw Problem.invalid("workingDays", "must be a whole number");
    }
  }
}

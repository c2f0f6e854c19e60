package org.govshare.objection;

import io.vertx.core.json.JsonObject;
import org.govshare.kernel.AuditAction;
import org.govshare.platform.http.Api;
import org.govshare.platform.http.ApiRequest;
import org.govshare.platform.http.Reply;
import org.govshare.platform.http.Routes;

/** Objections and cross-checks: parse, call the service, reply. */
public final class ObjectionRoutes implements Routes {
  // read by the problem handler, so a refusal's audit record names what was refused
  private static final String AUDIT_RESOURCE = "govshare.auditResource";
  private static final String AUDIT_SUBJECT = "govshare.auditSubject";

  private final ObjectionService objections;
  private final CrossCheckService crosschecks;

  public ObjectionRoutes(ObjectionService objections, CrossCheckService crosschecks) {
    this.objections = objections;
    this.crosschecks = crosschecks;
  }

  @Override
  public void mount(Api api) {
    api.on("fileObjection", AuditAction.OBJECTION_FILE, req -> {
      JsonObject body = req.body();
      req.context().put(AUDIT_RESOURCE, body.getString("resource"));
      req.context().put(AUDIT_SUBJECT, body.getString("key"));
      return objections.file(req.caller(), new ObjectionService.FileObjection(body.getString("resource"), body.getString("key"),
              body.getString("item"), body.getValue("proposedValue"), body.getString("evidence")))
          .map(o -> Reply.created(objections.toJson(o)).header("Location", "/api/v1/objections/" + o.id()));
    });
    api.on("listObjections", AuditAction.OBJECTION_READ, req -> objections.list(req.caller(), req.query("role"), req.query("department"),
        req.queryEnum("status", Objection.Status.class), req.queryBoolean("overdue"), req.query("resource"), req.page()).map(Reply::ok));
    api.on("getObjection", AuditAction.OBJECTION_READ, req -> objections.get(req.caller(), subject(req, req.path("id"))).map(Reply::ok));
    api.on("answerObjection", AuditAction.OBJECTION_ANSWER, req -> {
      JsonObject body = req.body();
      return objections.answer(req.caller(), subject(req, req.path("id")), new ObjectionService.AnswerObjection(
              Objection.Status.valueOf(body.getString("outcome")), body.getString("note"), body.getValue("correctedValue"),
              body.containsKey("correctedValue")))
          .map(o -> Reply.ok(objections.toJson(o)));
    });

    api.on("startCrosscheck", AuditAction.CROSSCHECK_RUN, req -> crosschecks.start(req.caller(), req.body().getString("element"))
        .map(c -> Reply.created(c).header("Location", "/api/v1/crosschecks/" + c.getString("id"))));
    api.on("getCrosscheck", AuditAction.CROSSCHECK_READ, req -> crosschecks.get(req.caller(), subject(req, req.path("id"))).map(Reply::ok));
    api.on("fileCrosscheckObjections", AuditAction.OBJECTION_FILE, req -> {
      JsonObject body = req.context().body() != null && req.context().body().length() > 0 ? req.body() : new JsonObject();
      return crosschecks.fileObjections(req.caller(), subject(req, req.path("id")), java.util.Optional.ofNullable(body.getString("resource")))
          .map(Reply::ok);
    });
  }

  private static String subject(ApiRequest req, String id) {
    req.context().put(AUDIT_SUBJECT, id);
    return id;
  }
}

package org.govshare.audit;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One audit record before the writer gives it its place (seq) and hash in the chain. */
public record AuditEntry(
    Instant at,
    String requestId,
    String clientId,
    String department,
    AuditAction action,
    String resource,
    String subject,
    Outcome outcome,
    JsonObject detail) {

  public static AuditEntry of(Caller caller, AuditAction action, String resource, String subject, Outcome outcome, JsonObject detail) {
    JsonObject d = detail == null ? new JsonObject() : detail;
    if (caller.clientRequestId() != null) {
      d = d.copy().put("clientRequestId", caller.clientRequestId());
    }
    return new AuditEntry(AuditChain.now(), caller.requestId(), caller.clientId(), caller.department(), action, resource, subject,
        outcome, d);
  }
}

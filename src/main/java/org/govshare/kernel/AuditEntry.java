package org.govshare.kernel;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

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
    return new AuditEntry(now(), caller.requestId(), caller.clientId(), caller.department(), action, resource, subject,
        outcome, d);
  }

  /**
   * PostgreSQL text refuses U+0000, and a record it refuses would be lost: such characters are
   * written as the visible escape {@code \u0000}. (The JSON detail escapes them itself.)
   */
  public AuditEntry sanitized() {
    if (clean(requestId) == requestId && clean(clientId) == clientId && clean(department) == department
        && clean(resource) == resource && clean(subject) == subject) {
      return this;
    }
    return new AuditEntry(at, clean(requestId), clean(clientId), clean(department), action, clean(resource), clean(subject), outcome,
        detail);
  }

  /** PostgreSQL keeps microseconds: a time with more would not hash the same once read back. */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  public String encodedDetail() {
    return detail.encode();
  }

  static String clean(String s) {
    return s == null || s.indexOf('\u0000') < 0 ? s : s.replace("\u0000", "\\u0000");
  }
}

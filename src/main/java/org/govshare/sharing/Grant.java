package org.govshare.sharing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.govshare.platform.Times;

/** The platform's authority to serve a consumer department the granted items of a resource. */
public record Grant(
    long seq,
    String id,
    String application,
    String dispute,
    String resource,
    String consumer,
    String provider,
    List<String> items,
    List<String> clearItems,
    Usage usage,
    String purpose,
    String conditions,
    LocalDate validUntil,
    Status status,
    OffsetDateTime issuedAt,
    OffsetDateTime endedAt,
    String endReason,
    String endedBy) {

  public enum Status { ACTIVE, REVOKED, EXPIRED, ENDED }

  public Grant {
    items = List.copyOf(items);
    clearItems = clearItems == null ? List.of() : List.copyOf(clearItems);
  }

  /** Active and not past its last valid day (the clock job marks it EXPIRED a little later). */
  public boolean inForce(LocalDate today) {
    return status == Status.ACTIVE && (validUntil == null || !today.isAfter(validUntil));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("resource", resource)
        .put("consumer", consumer)
        .put("provider", provider)
        .put("items", new JsonArray(items))
        .put("clearItems", new JsonArray(clearItems))
        .put("usage", usage.name())
        .put("purpose", purpose)
        .put("conditions", conditions)
        .put("validUntil", validUntil == null ? null : validUntil.toString())
        .put("status", status.name())
        .put("application", application)
        .put("dispute", dispute)
        .put("issuedAt", Times.format(issuedAt))
        .put("endedAt", Times.format(endedAt))
        .put("endReason", endReason)
        .put("endedBy", endedBy);
  }
}

package org.govshare.sharing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.govshare.platform.Times;

/** A consumer department's application for conditional items of a resource, and the provider's decision on it. */
public record Application(
    long seq,
    String id,
    String resource,
    int resourceVersion,
    String consumer,
    String provider,
    List<String> items,
    String purpose,
    Usage usage,
    LocalDate validUntil,
    Status status,
    String submittedBy,
    OffsetDateTime submittedAt,
    OffsetDateTime decisionDue,
    OffsetDateTime overdueNotifiedAt,
    OffsetDateTime closedAt,
    String decidedBy,
    String decisionReason,
    List<String> decisionItems,
    String decisionConditions,
    LocalDate decisionValidUntil,
    Integer decisionWorkingDays,
    List<String> decisionClearItems) {

  public enum Status { PENDING, APPROVED, REJECTED, WITHDRAWN }

  public Application {
    items = List.copyOf(items);
    decisionItems = decisionItems == null ? null : List.copyOf(decisionItems);
    decisionClearItems = decisionClearItems == null ? null : List.copyOf(decisionClearItems);
  }

  public boolean pending() {
    return status == Status.PENDING;
  }

  /** True once the decision clock ran out undecided, and it stays true after a late decision or withdrawal. */
  public boolean overdue(Instant now) {
    Instant end = closedAt != null ? closedAt.toInstant() : now;
    return end.isAfter(decisionDue.toInstant());
  }

  public boolean isParty(String department) {
    return consumer.equals(department) || provider.equals(department);
  }

  public JsonObject toJson(Instant now) {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("resource", resource)
        .put("resourceVersion", resourceVersion)
        .put("consumer", consumer)
        .put("provider", provider)
        .put("items", new JsonArray(items))
        .put("purpose", purpose)
        .put("usage", usage.name())
        .put("validUntil", validUntil == null ? null : validUntil.toString())
        .put("status", status.name())
        .put("submittedBy", submittedBy)
        .put("submittedAt", Times.format(submittedAt))
        .put("decisionDue", Times.format(decisionDue))
        .put("overdue", overdue(now));
    if (status == Status.APPROVED || status == Status.REJECTED) {
      json.put("decision", new JsonObject()
          .put("decision", status == Status.APPROVED ? "APPROVE" : "REJECT")
          .put("reason", decisionReason)
          .put("items", decisionItems == null ? null : new JsonArray(decisionItems))
          .put("clearItems", decisionItems == null ? null : new JsonArray(decisionClearItems == null ? List.of() : decisionClearItems))
          .put("conditions", decisionConditions)
          .put("validUntil", decisionValidUntil == null ? null : decisionValidUntil.toString())
          .put("decidedBy", decidedBy)
          .put("decidedAt", Times.format(closedAt))
          .put("workingDays", decisionWorkingDays)
          .put("late", closedAt.isAfter(decisionDue)));
    } else {
      json.put("decision", null);
    }
    if (status == Status.WITHDRAWN) {
      json.put("withdrawnAt", Times.format(closedAt));
    }
    return json;
  }
}

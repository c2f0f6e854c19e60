package org.govshare.push.webhook;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.govshare.platform.Times;

/**
 * A webhook subscription as stored. {@code lastDeliveredSeq}: the last change of the resource the
 * receiver acknowledged (deliveries continue after it); {@code failures}/{@code firstFailureAt}: the
 * current run of failed attempts; {@code owner}/{@code leaseUntil}: the instance delivering it.
 * The secret is not here: it is derived when needed from the platform key and {@code salt}.
 */
public record Subscription(String id, String department, String clientId, String resource, String callbackUrl, byte[] salt,
    Status status, long lastDeliveredSeq, int failures, OffsetDateTime firstFailureAt, String lastError, OffsetDateTime nextAttemptAt,
    OffsetDateTime lastDeliveredAt, OffsetDateTime createdAt, OffsetDateTime endedAt, String endReason, String owner,
    OffsetDateTime leaseUntil) {

  /** DELETED rows stay for the record but are gone for the API (404). */
  public enum Status { ACTIVE, PAUSED, ENDED, DELETED }

  /** The API form; never the secret. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("resource", resource).put("callbackUrl", callbackUrl).put("department", department)
        .put("createdBy", clientId).put("status", status.name()).put("lastDeliveredSeq", lastDeliveredSeq).put("failures", failures)
        .put("lastError", lastError)
        .put("nextAttemptAt", status == Status.ACTIVE ? Times.format(nextAttemptAt) : null)
        .put("lastDeliveredAt", Times.format(lastDeliveredAt)).put("createdAt", Times.format(createdAt))
        .put("endedAt", Times.format(endedAt)).put("endReason", endReason);
  }

  @Override
  public String toString() {
    return "Subscription[" + id + " " + department + " " + resource + " " + status + " seq=" + lastDeliveredSeq + "]";
  }
}

package org.govshare.objection;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.govshare.platform.Times;

/** One step in an objection's history: FILED, OVERDUE, CORRECTED, CONFIRMED. */
public record ObjectionEvent(String objection, OffsetDateTime at, String event, String clientId, String department, JsonObject detail) {
  public JsonObject toJson() {
    return new JsonObject().put("at", Times.format(at)).put("event", event).put("clientId", clientId).put("department", department)
        .put("detail", detail);
  }
}

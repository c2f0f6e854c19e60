package org.govshare.sharing;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.govshare.platform.Times;

/** One step of an application's history: submitted, overdue, approved, rejected, withdrawn, disputed, ... */
public record ApplicationEvent(String application, OffsetDateTime at, String event, String clientId, String department, JsonObject detail) {

  public JsonObject toJson() {
    return new JsonObject().put("at", Times.format(at)).put("event", event).put("clientId", clientId).put("department", department)
        .put("detail", detail);
  }
}

package org.govshare.sharing;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.govshare.platform.Times;

/** One entry of a department's inbox; {@code subject} is the id it is about (application, grant, dispute, resource code). */
public record Notification(long id, String department, String kind, String subject, String message, OffsetDateTime at,
    OffsetDateTime readAt, String readBy) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", String.valueOf(id))
        .put("kind", kind)
        .put("subject", subject)
        .put("message", message)
        .put("at", Times.format(at))
        .put("read", readAt != null)
        .put("readAt", Times.format(readAt))
        .put("readBy", readBy);
  }
}

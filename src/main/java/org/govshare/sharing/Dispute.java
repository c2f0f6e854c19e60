package org.govshare.sharing;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.govshare.platform.Times;

/** A consumer's dispute of a rejection or of an approval's conditions, resolved by the bureau (notice rule 8). */
public record Dispute(
    long seq,
    String id,
    String application,
    String resource,
    String consumer,
    String provider,
    String statement,
    Status status,
    String openedBy,
    OffsetDateTime openedAt,
    String resolutionNote,
    String resolvedBy,
    OffsetDateTime resolvedAt,
    String grantId) {

  public enum Status { OPEN, UPHELD, OVERTURNED, REFERRED }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("application", application)
        .put("resource", resource)
        .put("consumer", consumer)
        .put("provider", provider)
        .put("statement", statement)
        .put("status", status.name())
        .put("openedBy", openedBy)
        .put("openedAt", Times.format(openedAt));
    json.put("resolution", status == Status.OPEN ? null : new JsonObject()
        .put("outcome", status.name())
        .put("note", resolutionNote)
        .put("resolvedBy", resolvedBy)
        .put("resolvedAt", Times.format(resolvedAt))
        .put("grant", grantId));
    return json;
  }
}

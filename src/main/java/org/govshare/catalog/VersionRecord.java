package org.govshare.catalog;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.govshare.platform.Times;

/** One version of an entry as it was, and what changed against the version before. */
public record VersionRecord(String code, int version, String status, JsonObject entry, JsonObject changes, String createdBy,
    OffsetDateTime createdAt, Filing filing) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("code", code)
        .put("version", version)
        .put("status", status)
        .put("createdBy", createdBy)
        .put("createdAt", Times.format(createdAt))
        .put("filing", filing == null ? null : filing.toJson())
        .put("changes", changes)
        .put("entry", entry);
  }
}

package org.govshare.catalog;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.govshare.platform.Times;

/** A version filed (备案) with the bureau when it was published. */
public record Filing(long id, String code, int version, String provider, String filedBy, OffsetDateTime filedAt, JsonObject changes) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("resource", code)
        .put("version", version)
        .put("provider", provider)
        .put("filedBy", filedBy)
        .put("filedAt", Times.format(filedAt))
        .put("changes", changes);
  }
}

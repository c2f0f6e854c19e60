package org.govshare.identity;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

public record Department(String code, String name, String kind, String creditCode, OffsetDateTime createdAt) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("code", code)
        .put("name", name)
        .put("kind", kind)
        .put("creditCode", creditCode)
        .put("createdAt", org.govshare.platform.Times.format(createdAt));
  }
}

package org.govshare.sharing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** A stored application and the requested items that need no decision, as of the moment it was stored. */
public record SubmittedApplication(Application application, List<String> readableDirectly, Instant asOf) {
  public SubmittedApplication {
    readableDirectly = List.copyOf(readableDirectly);
  }

  public JsonObject toJson() {
    JsonObject json = application.toJson(asOf);
    if (!readableDirectly.isEmpty()) {
      json.put("readableDirectly", new JsonArray(readableDirectly));
    }
    return json;
  }
}

package org.govshare.sharing;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/** A decided application and the grant an approval issued. */
public record DecidedApplication(Application application, Optional<Grant> grant, Instant asOf) {
  public JsonObject toJson() {
    JsonObject json = application.toJson(asOf);
    grant.ifPresent(g -> json.put("grant", g.id()));
    return json;
  }
}

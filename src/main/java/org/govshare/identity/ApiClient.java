package org.govshare.identity;

import org.govshare.kernel.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.TreeSet;

/** A department system's credential. Its secret exists only as a hash. */
public record ApiClient(
    String clientId,
    String department,
    String name,
    Set<Role> roles,
    String secretHash,
    int credentialVersion,
    boolean active,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  public JsonObject toJson() {
    JsonArray r = new JsonArray();
    new TreeSet<>(roles).forEach(role -> r.add(role.name()));
    return new JsonObject()
        .put("clientId", clientId)
        .put("department", department)
        .put("name", name)
        .put("roles", r)
        .put("status", active ? "ACTIVE" : "REVOKED")
        .put("createdAt", org.govshare.platform.Times.format(createdAt))
        .put("updatedAt", org.govshare.platform.Times.format(updatedAt));
  }
}

package org.govshare.access;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/** A record as the source holds it: every item the provider sent, in canonical form. */
public record StoredRecord(String key, int version, JsonObject data, OffsetDateTime updatedAt) {}

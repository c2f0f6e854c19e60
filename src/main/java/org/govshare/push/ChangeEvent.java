package org.govshare.push;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.govshare.platform.Times;

/**
 * One event of a resource's feed as one subscriber sees it. {@code event} is the SSE event name
 * ({@code upsert}, {@code delete}, {@code grant}, {@code catalog}, {@code end}); {@code op} the
 * change ({@code UPSERT}, {@code DELETE}) or null for grant and catalogue events; {@code record} and
 * {@code masked} are scoped and masked for the subscriber at delivery time, null when not applicable.
 */
public record ChangeEvent(long seq, String resource, String key, String event, String op, OffsetDateTime at,
    JsonObject record, JsonArray masked) {

  /** The {@code data:} / webhook form: {@code {seq, resource, key, op, at, record?, masked?}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("seq", seq).put("resource", resource).put("key", key)
        .put("op", op == null ? event.toUpperCase(java.util.Locale.ROOT) : op).put("at", Times.format(at));
    if (record != null) {
      json.put("record", record);
    }
    if (masked != null) {
      json.put("masked", masked);
    }
    return json;
  }
}

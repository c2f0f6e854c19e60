package org.govshare.push;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.govshare.platform.Times;

/**
 * One event of a resource's feed as one subscriber sees it. {@code event} is the SSE event name
 * ({@code upsert}, {@code delete}, {@code grant}, {@code catalog}, {@code end}); {@code op} the
 * change ({@code UPSERT}, {@code DELETE}) or null for grant, catalogue and end events; {@code record} and
 * {@code masked} are scoped and masked for the subscriber at delivery time, null when not applicable.
 * {@code detail}: what a grant or catalogue event says happened ({@code grant}, {@code change},
 * {@code status}, {@code items}, {@code reason} / {@code version}, {@code status}, {@code change}),
 * or why an {@code end} event ends the feed ({@code reason}, {@code code}); on an upsert,
 * {@code superseded: true} when the record changed again (or was deleted) since this change.
 */
public record ChangeEvent(long seq, String resource, String key, String event, String op, OffsetDateTime at,
    JsonObject record, JsonArray masked, JsonObject detail) {

  public static final String UPSERT = "upsert";
  public static final String DELETE = "delete";
  public static final String GRANT = "grant";
  public static final String CATALOG = "catalog";
  public static final String END = "end";

  public ChangeEvent(long seq, String resource, String key, String event, String op, OffsetDateTime at, JsonObject record,
      JsonArray masked) {
    this(seq, resource, key, event, op, at, record, masked, null);
  }

  /** The last event of a feed whose reader lost access: {@code seq} is the cursor it ends at. */
  public static ChangeEvent end(long seq, String resource, OffsetDateTime at, String code, String reason) {
    return new ChangeEvent(seq, resource, null, END, null, at, null, null, new JsonObject().put("code", code).put("reason", reason));
  }

  /**
   * The {@code data:} / webhook form: {@code {seq, resource, key, op, at, record?, masked?}}; a grant
   * event adds {@code grant: {...}}, a catalogue event {@code catalog: {...}}, an end event
   * {@code code} and {@code reason}, a superseded upsert {@code superseded: true}.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("seq", seq).put("resource", resource).put("key", key)
        .put("op", op == null ? event.toUpperCase(java.util.Locale.ROOT) : op).put("at", Times.format(at));
    if (record != null) {
      json.put("record", record);
    }
    if (masked != null) {
      json.put("masked", masked);
    }
    if (detail != null) {
      if (END.equals(event) || UPSERT.equals(event)) {
        json.mergeIn(detail);
      } else {
        json.put(event, detail);
      }
    }
    return json;
  }
}

package org.govshare.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.govshare.platform.Times;

/** The current version of a catalogue entry with what the platform adds: code, status, version, filing. */
public record CatalogRecord(
    String code,
    String classification,
    String status,
    int version,
    JsonObject entry,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    Filing filing) {

  public String provider() {
    return entry.getString("provider");
  }

  public boolean draft() {
    return "DRAFT".equals(status);
  }

  public JsonObject toJson() {
    JsonObject out = new JsonObject().put("code", code).put("classification", classification);
    entry.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out.put("status", status)
        .put("version", version)
        .put("filing", filing == null ? null : filing.toJson())
        .put("createdAt", Times.format(createdAt))
        .put("updatedAt", Times.format(updatedAt));
  }

  /** What a search lists: the entry without its items (GET the code for those), and how many there are. */
  public JsonObject toSummaryJson() {
    JsonObject out = toJson();
    JsonArray items = (JsonArray) out.remove("items");
    return items == null ? out : out.put("itemCount", items.size());
  }

  public SharedResource toShared() {
    String resourceShare = entry.getString("shareType");
    List<SharedItem> items = new ArrayList<>();
    JsonArray raw = entry.getJsonArray("items", new JsonArray());
    for (int i = 0; i < raw.size(); i++) {
      JsonObject item = raw.getJsonObject(i);
      String own = item.getString("shareType");
      items.add(new SharedItem(item.getString("key"), item.getString("name"), own != null ? own : resourceShare,
          item.getString("notSharedBasis"), item.getBoolean("isKey", false), item.getBoolean("sensitive", false)));
    }
    return new SharedResource(code, entry.getString("name"), provider(), status, version, resourceShare,
        entry.getString("shareCondition"), entry.getString("notSharedBasis"), items);
  }
}

package org.govshare.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two versions of an entry: resource fields with their old and new values,
 * and the items matched by key: added, removed, and changed field by field.
 */
public final class VersionDiff {
  private VersionDiff() {}

  public static JsonObject between(JsonObject before, JsonObject after) {
    JsonArray fields = new JsonArray();
    Set<String> names = new LinkedHashSet<>(before.fieldNames());
    names.addAll(after.fieldNames());
    names.remove("items");
    names.remove("publishDate");
    for (String name : names) {
      Object from = before.getValue(name);
      Object to = after.getValue(name);
      if (!Objects.equals(from, to)) {
        fields.add(new JsonObject().put("field", name).put("from", from).put("to", to));
      }
    }
    Map<String, JsonObject> old = byKey(before.getJsonArray("items", new JsonArray()));
    Map<String, JsonObject> now = byKey(after.getJsonArray("items", new JsonArray()));
    JsonArray added = new JsonArray();
    JsonArray removed = new JsonArray();
    JsonArray changed = new JsonArray();
    now.forEach((key, item) -> {
      JsonObject was = old.get(key);
      if (was == null) {
        added.add(new JsonObject().put("key", key).put("name", item.getString("name")));
        return;
      }
      JsonArray itemFields = new JsonArray();
      Set<String> itemNames = new LinkedHashSet<>(was.fieldNames());
      itemNames.addAll(item.fieldNames());
      for (String name : itemNames) {
        if (!Objects.equals(was.getValue(name), item.getValue(name))) {
          itemFields.add(new JsonObject().put("field", name).put("from", was.getValue(name)).put("to", item.getValue(name)));
        }
      }
      if (!itemFields.isEmpty()) {
        changed.add(new JsonObject().put("key", key).put("name", item.getString("name")).put("fields", itemFields));
      }
    });
    old.forEach((key, item) -> {
      if (!now.containsKey(key)) {
        removed.add(new JsonObject().put("key", key).put("name", item.getString("name")));
      }
    });
    return new JsonObject()
        .put("fields", fields)
        .put("items", new JsonObject().put("added", added).put("removed", removed).put("changed", changed));
  }

  public static Set<String> removedKeys(JsonObject changes) {
    Set<String> keys = new LinkedHashSet<>();
    if (changes == null) {
      return keys;
    }
    JsonArray removed = changes.getJsonObject("items", new JsonObject()).getJsonArray("removed", new JsonArray());
    for (int i = 0; i < removed.size(); i++) {
      keys.add(removed.getJsonObject(i).getString("key"));
    }
    return keys;
  }

  public static boolean isEmpty(JsonObject changes) {
    JsonObject items = changes.getJsonObject("items");
    return changes.getJsonArray("fields").isEmpty() && items.getJsonArray("added").isEmpty()
        && items.getJsonArray("removed").isEmpty() && items.getJsonArray("changed").isEmpty();
  }

  private static Map<String, JsonObject> byKey(JsonArray items) {
    Map<String, JsonObject> m = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      m.put(item.getString("key"), item);
    }
    return m;
  }
}

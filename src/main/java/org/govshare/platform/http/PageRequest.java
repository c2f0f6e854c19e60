package org.govshare.platform.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/** {@code limit} and {@code cursor} of a list request. Stores fetch limit + 1 rows to know whether more follow. */
public record PageRequest(int limit, String cursor) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public boolean first() {
    return cursor == null;
  }

  /** Typed access only ({@link #stringKey}, {@link #longKey}): a forged cursor is a 400, never a cast failure. */
  JsonArray keys(int count) {
    return Cursor.decode(cursor, count);
  }

  /** Key {@code i} of a cursor of {@code count} keys, as text. */
  public String stringKey(int count, int i) {
    Object v = keys(count).getValue(i);
    if (!(v instanceof String s)) {
      throw Cursor.foreign();
    }
    try {
      return org.govshare.platform.Text.checkLine("cursor", s);
    } catch (org.govshare.platform.Problem p) {
      throw Cursor.foreign();
    }
  }

  public long longKey(int count, int i) {
    Object v = keys(count).getValue(i);
    if (!(v instanceof Number n)) {
      throw Cursor.foreign();
    }
    return n.longValue();
  }

  public int fetchSize() {
    return limit + 1;
  }

  /** Cuts the extra row and turns the rest into the standard {items, nextCursor} reply. */
  public <T> JsonObject page(List<T> rows, Function<T, JsonObject> toJson, Function<T, Object[]> cursorKeys) {
    boolean more = rows.size() > limit;
    List<T> items = more ? rows.subList(0, limit) : rows;
    JsonArray out = new JsonArray();
    items.forEach(r -> out.add(toJson.apply(r)));
    String next = more ? Cursor.encode(cursorKeys.apply(items.get(items.size() - 1))) : null;
    return new JsonObject().put("items", out).put("nextCursor", next);
  }
}

package org.govshare.platform.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.govshare.platform.Problem;

/** Opaque paging cursors: the sort key of the last item of a page, as base64url JSON. */
public final class Cursor {
  private Cursor() {}

  public static String encode(Object... keys) {
    JsonArray arr = new JsonArray();
    for (Object k : keys) {
      arr.add(k);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(arr.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** The keys, checked for count; a tampered or foreign cursor is a 400. */
  public static JsonArray decode(String cursor, int expectedKeys) {
    try {
      JsonArray keys = new JsonArray(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (keys.size() != expectedKeys) {
        throw new IllegalArgumentException("wrong key count");
      }
      for (int i = 0; i < keys.size(); i++) {
        if (keys.getValue(i) == null) {
          throw new IllegalArgumentException("null key");
        }
      }
      return keys;
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw foreign();
    }
  }

  static Problem foreign() {
    return Problem.invalid("cursor", "is not a cursor this list produced");
  }
}

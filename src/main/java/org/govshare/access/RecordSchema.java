package org.govshare.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.govshare.catalog.CatalogRecord;
import org.govshare.identity.CreditCode;

/**
 * The current items of a catalogue entry as the data plane checks and serves them: each item's
 * data type and length (compilation guide codes C, N, Y, D, T, L, M, G, B, I, F), its data element
 * (identifier checks, masking), its effective share type and whether it is sensitive.
 */
public record RecordSchema(String code, String provider, String status, String mode, int catalogVersion, String keyItem,
    Map<String, Item> items, ProviderInterface providerInterface) {

  /** A PROXY resource's registered interface (catalogue {@code access.endpoint}, {@code access.method}). */
  public record ProviderInterface(String endpoint, String method) {}

  /** A HOSTED resource (no provider interface). */
  public RecordSchema(String code, String provider, String status, String mode, int catalogVersion, String keyItem, Map<String, Item> items) {
    this(code, provider, status, mode, catalogVersion, keyItem, items, null);
  }

  public static final String CITIZEN_ID = "citizen_id_number";
  public static final String CREDIT_CODE = "unified_social_credit_code";
  static final String NOT_SHARED = "NOT_SHARED";

  public record Item(String key, String dataType, Integer length, String dataElement, String shareType, boolean sensitive) {
    boolean shared() {
      return !NOT_SHARED.equals(shareType);
    }
  }

  /** One reason a line (or a field of it) is refused. */
  public record LineError(long line, String key, String field, String message) {
    public JsonObject toJson() {
      JsonObject o = new JsonObject().put("line", line);
      if (key != null) {
        o.put("key", key);
      }
      if (field != null) {
        o.put("field", field);
      }
      return o.put("message", message);
    }
  }

  /** A line that passed: its key and its values in canonical form; {@code asSent} when that is what the line said. */
  public record Checked(String key, JsonObject data, boolean asSent) {}

  public static RecordSchema of(CatalogRecord r) {
    JsonObject entry = r.entry();
    String resourceShare = entry.getString("shareType");
    Map<String, Item> items = new LinkedHashMap<>();
    String keyItem = null;
    JsonArray raw = entry.getJsonArray("items", new JsonArray());
    for (int i = 0; i < raw.size(); i++) {
      JsonObject it = raw.getJsonObject(i);
      String own = it.getString("shareType");
      String share = NOT_SHARED.equals(resourceShare) ? NOT_SHARED : own != null ? own : resourceShare;
      items.put(it.getString("key"), new Item(it.getString("key"), it.getString("dataType"), it.getInteger("length"),
          it.getString("dataElement"), share, it.getBoolean("sensitive", false)));
      if (it.getBoolean("isKey", false)) {
        keyItem = it.getString("key");
      }
    }
    JsonObject access = entry.getJsonObject("access", new JsonObject());
    String mode = access.getString("mode", "HOSTED");
    ProviderInterface api = "PROXY".equals(mode)
        ? new ProviderInterface(access.getString("endpoint"), access.getString("method", "GET")) : null;
    return new RecordSchema(r.code(), r.provider(), r.status(), mode, r.version(), keyItem, Collections.unmodifiableMap(items), api);
  }

  public boolean published() {
    return "PUBLISHED".equals(status);
  }

  public boolean proxied() {
    return "PROXY".equals(mode);
  }

  public Item keyItemRule() {
    return items.get(keyItem);
  }

  /**
   * Checks one parsed line against the items. Returns the canonical record, or adds the reasons it
   * is refused to {@code errors} and returns null.
   */
  public Checked check(long line, JsonObject in, ZoneId zone, List<LineError> errors) {
    Object rawKey = in.getValue(keyItem);
    String key = rawKey == null ? null : String.valueOf(rawKey);
    int before = errors.size();
    if (rawKey == null) {
      errors.add(new LineError(line, null, keyItem, "the key item '" + keyItem + "' is missing"));
      return null;
    }
    JsonObject out = new JsonObject();
    boolean asSent = true;
    for (Map.Entry<String, Object> e : in) {
      Item item = items.get(e.getKey());
      if (item == null) {
        errors.add(new LineError(line, key, e.getKey(), "not an item of resource " + code));
        continue;
      }
      if (e.getValue() == null) {
        if (item.key().equals(keyItem)) {
          errors.add(new LineError(line, null, keyItem, "the key item '" + keyItem + "' is missing"));
        }
        asSent = false;
        continue; // a null item is an absent one
      }
      String problem = problem(item, e.getValue(), zone);
      if (problem != null) {
        errors.add(new LineError(line, key, e.getKey(), problem));
      } else {
        Object canonical = canonical(item, e.getValue());
        asSent &= canonical == e.getValue();
        out.put(e.getKey(), canonical);
      }
    }
    if (errors.size() > before) {
      return null;
    }
    String canonicalKey = String.valueOf(out.getValue(keyItem));
    if (canonicalKey.isBlank()) {
      errors.add(new LineError(line, null, keyItem, "the key must not be blank"));
      return null;
    }
    return new Checked(canonicalKey, out, asSent);
  }

  /** Null when {@code value} fits the item, else why not. */
  public static String problem(Item item, Object value, ZoneId zone) {
    if (value instanceof String s && s.indexOf('\u0000') >= 0) {
      return "must not contain the character U+0000"; // PostgreSQL refuses it in jsonb
    }
    String type = item.dataType() == null ? "C" : item.dataType();
    switch (type) {
      case "N", "Y", "F" -> {
        BigDecimal n = number(value);
        if (n == null) {
          return "must be a number (data type " + type + ")";
        }
        if ("N".equals(type) && item.length() != null && n.precision() > item.length()) {
          return "has more than " + item.length() + " digits";
        }
        return null;
      }
      case "L" -> {
        return value instanceof Boolean ? null : "must be true or false (data type L)";
      }
      case "D" -> {
        if (!(value instanceof String s)) {
          return "must be a date YYYY-MM-DD (data type D)";
        }
        try {
          LocalDate.parse(s);
          return null;
        } catch (DateTimeParseException e) {
          return "must be a real date YYYY-MM-DD (data type D)";
        }
      }
      case "T" -> {
        if (!(value instanceof String s)) {
          return "must be an ISO-8601 date-time (data type T)";
        }
        try {
          OffsetDateTime.parse(s);
          return null;
        } catch (DateTimeParseException e) {
          try {
            LocalDateTime.parse(s);
            return null;
          } catch (DateTimeParseException e2) {
            return "must be an ISO-8601 date-time (data type T)";
          }
        }
      }
      default -> {
        if (!(value instanceof String s)) {
          return "must be text (data type " + type + ")";
        }
        int length = s.codePointCount(0, s.length());
        if (item.length() != null && length > item.length()) {
          return "is longer than " + item.length() + " characters";
        }
        if (CITIZEN_ID.equals(item.dataElement())) {
          return ResidentId.problem(ResidentId.normalise(s), zone);
        }
        if (CREDIT_CODE.equals(item.dataElement())) {
          return CreditCode.problem(s.trim().toUpperCase(java.util.Locale.ROOT));
        }
        return null;
      }
    }
  }

  /** The stored (and compared) form: identifiers upper-case and trimmed; numbers as JSON numbers. */
  static Object canonical(Item item, Object value) {
    if (value instanceof String s && (CITIZEN_ID.equals(item.dataElement()) || CREDIT_CODE.equals(item.dataElement()))) {
      return s.trim().toUpperCase(java.util.Locale.ROOT);
    }
    if (value instanceof String s && List.of("N", "Y", "F").contains(String.valueOf(item.dataType()))) {
      return number(s);
    }
    return value;
  }

  /** Whether a submitted value equals the stored one, both in canonical form (verification). */
  public static boolean same(Item item, Object stored, Object submitted) {
    if (stored == null || submitted == null) {
      return stored == submitted;
    }
    Object a = canonical(item, stored);
    Object b = canonical(item, submitted);
    if (a instanceof String x && b instanceof String y) {
      if ("D".equals(item.dataType())) {
        try {
          return LocalDate.parse(x.trim()).equals(LocalDate.parse(y.trim()));
        } catch (DateTimeParseException e) {
          return false;
        }
      }
      return x.trim().equals(y.trim());
    }
    BigDecimal na = number(a);
    BigDecimal nb = number(b);
    if (na != null && nb != null) {
      return na.compareTo(nb) == 0;
    }
    return a.equals(b);
  }

  private static BigDecimal number(Object value) {
    if (value instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (value instanceof String s) {
      try {
        return new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** The item keys that are ever served (everything but NOT_SHARED items). */
  public List<String> servedItems() {
    List<String> out = new ArrayList<>();
    items.values().forEach(i -> {
      if (i.shared()) {
        out.add(i.key());
      }
    });
    return out;
  }
}

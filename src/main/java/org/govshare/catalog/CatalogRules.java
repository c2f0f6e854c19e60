package org.govshare.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.govshare.platform.Problem;
import org.govshare.platform.Problem.FieldError;

/**
 * The compilation guide's rules for one entry, checked without the database: share types and
 * their conditions, items, keys, classification. The contract has already checked types and
 * vocabularies; what is left here are the rules that tie fields together. Every broken rule is
 * reported at once, each naming its field.
 */
public final class CatalogRules {
  static final String CODE_PATTERN = "\\d{6,}/\\d{6,}";

  private CatalogRules() {}

  /** The entry as the catalogue stores it: known fields only, optional ones explicit (null or empty). */
  public static JsonObject normalize(JsonObject in) {
    List<FieldError> errors = new ArrayList<>();
    String category = in.getString("category");
    String subject = in.getString("subject");
    String shareType = in.getString("shareType");

    requireText(in, "name", 200, errors);
    requireText(in, "summary", 4000, errors);
    requireText(in, "provider", 64, errors);
    if (Boolean.TRUE.equals(in.getBoolean("classified"))) {
      errors.add(new FieldError("classified", "classified (涉密) resources do not belong on the sharing platform"));
    }

    if ("DEPARTMENTAL".equals(category)) {
      if (subject != null) {
        errors.add(new FieldError("subject", "a DEPARTMENTAL resource has no subject"));
      }
    } else if (category != null && !Vocabulary.subjectsOf(category).containsKey(subject)) {
      errors.add(new FieldError("subject", "a " + category + " resource needs a subject of " + Vocabulary.subjectsOf(category).keySet()));
    }

    if ("BASE".equals(category) && !"UNCONDITIONAL".equals(shareType)) {
      errors.add(new FieldError("shareType", "a BASE resource is shared UNCONDITIONALLY among all departments"));
    }
    if ("NOT_SHARED".equals(shareType) && blank(in.getString("notSharedBasis"))) {
      errors.add(new FieldError("notSharedBasis", "a NOT_SHARED resource must cite the law, regulation or central policy it rests on"));
    }
    if ("CONDITIONAL".equals(shareType) && blank(in.getString("shareCondition"))) {
      errors.add(new FieldError("shareCondition", "a CONDITIONAL resource states its condition: which departments, or which items"));
    }
    if (!"NOT_SHARED".equals(shareType) && blank(in.getString("shareMethod"))) {
      errors.add(new FieldError("shareMethod", "a share method is required unless the resource is NOT_SHARED"));
    }
    if ("CONDITIONAL_OPEN".equals(in.getString("openType")) && blank(in.getString("openCondition"))) {
      errors.add(new FieldError("openCondition", "CONDITIONAL_OPEN needs its open condition"));
    }

    JsonArray items = in.getJsonArray("items", new JsonArray());
    JsonArray outItems = new JsonArray();
    if (items.isEmpty()) {
      errors.add(new FieldError("items", "a resource has at least one data item"));
    }
    int keyItems = 0;
    Set<String> keys = new HashSet<>();
    Map<String, Integer> authoritativeElements = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      String f = "items[" + i + "]";
      String key = item.getString("key");
      if (key != null && !keys.add(key)) {
        errors.add(new FieldError(f + ".key", "item key '" + key + "' is used by another item of this resource"));
      }
      if (Boolean.TRUE.equals(item.getBoolean("isKey"))) {
        keyItems++;
      }
      String dataType = item.getString("dataType");
      if (("C".equals(dataType) || "N".equals(dataType)) && item.getInteger("length") == null) {
        errors.add(new FieldError(f + ".length", "a length is required for data type " + dataType));
      }
      String itemShare = item.getString("shareType");
      if (itemShare != null) {
        checkItemShare(shareType, itemShare, item, f, errors);
      }
      String element = item.getString("dataElement");
      boolean authoritative = Boolean.TRUE.equals(item.getBoolean("authoritative"));
      String source = item.getString("sourceResource");
      if (authoritative && element == null) {
        errors.add(new FieldError(f + ".dataElement", "an authoritative item names the data element it is the source of"));
      }
      if (authoritative && source != null) {
        errors.add(new FieldError(f + ".sourceResource", "an authoritative item is its own source; drop sourceResource"));
      }
      if (element != null && !authoritative && blank(source)) {
        errors.add(new FieldError(f + ".sourceResource",
            "a non-authoritative item of data element '" + element + "' names the resource it is obtained from (one datum, one source)"));
      }
      if (element != null && authoritative) {
        Integer earlier = authoritativeElements.putIfAbsent(element, i);
        if (earlier != null) {
          errors.add(new FieldError(f + ".authoritative", "items[" + earlier + "] is already the authoritative source of '" + element + "'"));
        }
      }
      outItems.add(new JsonObject()
          .put("name", trim(item.getString("name")))
          .put("key", key)
          .put("dataType", dataType)
          .put("length", item.getInteger("length"))
          .put("description", trim(item.getString("description")))
          .put("isKey", Boolean.TRUE.equals(item.getBoolean("isKey")))
          .put("shareType", itemShare)
          .put("notSharedBasis", trim(item.getString("notSharedBasis")))
          .put("sensitive", Boolean.TRUE.equals(item.getBoolean("sensitive")))
          .put("dataElement", element)
          .put("authoritative", authoritative)
          .put("sourceResource", source));
    }
    if (!items.isEmpty() && keyItems != 1) {
      errors.add(new FieldError("items", "exactly one item is the key (isKey: true); found " + keyItems));
    }

    JsonObject access = in.getJsonObject("access", new JsonObject().put("mode", "HOSTED"));
    if ("PROXY".equals(access.getString("mode"))) {
      String endpoint = access.getString("endpoint");
      if (!httpUrl(endpoint)) {
        errors.add(new FieldError("access.endpoint", "a PROXY resource names the provider's http(s) endpoint"));
      }
    }
    JsonArray related = in.getJsonArray("relatedResources", new JsonArray());
    for (int i = 0; i < related.size(); i++) {
      if (!(related.getValue(i) instanceof String s) || !s.matches(CODE_PATTERN)) {
        errors.add(new FieldError("relatedResources[" + i + "]", "must be a catalogue code such as 101001/000001"));
      }
    }

    if (!errors.isEmpty()) {
      throw Problem.rule(errors);
    }
    return new JsonObject()
        .put("name", trim(in.getString("name")))
        .put("summary", trim(in.getString("summary")))
        .put("category", category)
        .put("subject", subject)
        .put("provider", in.getString("provider"))
        .put("format", in.getJsonObject("format").copy())
        .put("items", outItems)
        .put("shareType", shareType)
        .put("shareCondition", trim(in.getString("shareCondition")))
        .put("notSharedBasis", trim(in.getString("notSharedBasis")))
        .put("shareMethod", in.getString("shareMethod"))
        .put("openType", in.getString("openType"))
        .put("openCondition", trim(in.getString("openCondition")))
        .put("updatePeriod", in.getString("updatePeriod"))
        .put("publishDate", null)
        .put("usageRequirements", trim(in.getString("usageRequirements")))
        .put("relatedResources", related.copy())
        .put("classified", false)
        .put("access", access.copy());
  }

  private static void checkItemShare(String resourceShare, String itemShare, JsonObject item, String f, List<FieldError> errors) {
    if ("UNCONDITIONAL".equals(resourceShare) && !"UNCONDITIONAL".equals(itemShare)) {
      errors.add(new FieldError(f + ".shareType", "every item of an UNCONDITIONAL resource is shared unconditionally"));
    } else if ("NOT_SHARED".equals(resourceShare) && !"NOT_SHARED".equals(itemShare)) {
      errors.add(new FieldError(f + ".shareType", "a NOT_SHARED resource shares no item"));
    } else if ("CONDITIONAL".equals(resourceShare) && "NOT_SHARED".equals(itemShare) && blank(item.getString("notSharedBasis"))) {
      errors.add(new FieldError(f + ".notSharedBasis", "an item withheld as NOT_SHARED must cite its legal basis"));
    }
  }

  /** Category and subject fix the classification code, which never changes; provider owns the entry. */
  public static void checkUnchanged(JsonObject current, JsonObject next) {
    List<FieldError> errors = new ArrayList<>();
    for (String field : List.of("provider", "category", "subject")) {
      if (!java.util.Objects.equals(current.getValue(field), next.getValue(field))) {
        errors.add(new FieldError(field, "cannot change in a new version (was " + current.getValue(field)
            + "); the code is fixed by it, register a new resource instead"));
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.rule(errors);
    }
  }

  private static void requireText(JsonObject in, String field, int max, List<FieldError> errors) {
    String v = trim(in.getString(field));
    if (v == null || v.isEmpty()) {
      errors.add(new FieldError(field, "is required"));
    } else if (v.length() > max) {
      errors.add(new FieldError(field, "is longer than " + max + " characters"));
    }
  }

  private static boolean httpUrl(String s) {
    if (blank(s)) {
      return false;
    }
    try {
      URI u = URI.create(s);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String trim(String s) {
    return s == null ? null : s.trim();
  }
}

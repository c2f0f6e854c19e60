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

    JsonObject access = access(in.getValue("access"), errors);
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
        .put("access", access);
  }

  static final int MAX_ACCESS_PARAMETERS = 50;
  private static final Set<String> ACCESS_FIELDS = Set.of("mode", "endpoint", "method", "description", "specification", "parameters");
  private static final Set<String> PARAMETER_FIELDS = Set.of("name", "in", "required", "description");

  /**
   * {@code access}: only its documented fields, each bounded (it is stored with every version and
   * returned with every read, so arbitrary properties would be unbounded storage).
   */
  static JsonObject access(Object raw, List<FieldError> errors) {
    if (raw == null) {
      return new JsonObject().put("mode", "HOSTED");
    }
    if (!(raw instanceof JsonObject in)) {
      errors.add(new FieldError("access", "must be an object"));
      return new JsonObject().put("mode", "HOSTED");
    }
    for (String field : in.fieldNames()) {
      if (!ACCESS_FIELDS.contains(field)) {
        errors.add(new FieldError("access." + field, "is not a field of access; allowed: " + new java.util.TreeSet<>(ACCESS_FIELDS)));
      }
    }
    String mode = in.getValue("mode") instanceof String m ? m : null;
    if (!"HOSTED".equals(mode) && !"PROXY".equals(mode)) {
      errors.add(new FieldError("access.mode", "must be HOSTED or PROXY"));
    }
    JsonObject out = new JsonObject().put("mode", mode);
    optionalText(in, "endpoint", 1000, "access.", out, errors);
    optionalText(in, "description", 4000, "access.", out, errors);
    optionalText(in, "specification", 1000, "access.", out, errors);
    Object method = in.getValue("method");
    if (method != null && !"GET".equals(method) && !"POST".equals(method)) {
      errors.add(new FieldError("access.method", "must be GET or POST"));
    }
    if (in.containsKey("method")) {
      out.put("method", method);
    }
    if ("PROXY".equals(mode) && !httpUrl(in.getValue("endpoint") instanceof String e ? e : null)) {
      errors.add(new FieldError("access.endpoint", "a PROXY resource names the provider's http(s) endpoint"));
    }
    Object parameters = in.getValue("parameters");
    if (parameters instanceof JsonArray list) {
      if (list.size() > MAX_ACCESS_PARAMETERS) {
        errors.add(new FieldError("access.parameters", "has more than " + MAX_ACCESS_PARAMETERS + " entries"));
      } else {
        JsonArray outList = new JsonArray();
        for (int i = 0; i < list.size(); i++) {
          outList.add(parameter(list.getValue(i), "access.parameters[" + i + "]", errors));
        }
        out.put("parameters", outList);
      }
    } else if (parameters != null) {
      errors.add(new FieldError("access.parameters", "must be a list"));
    } else if (in.containsKey("parameters")) {
      out.putNull("parameters");
    }
    return out;
  }

  private static JsonObject parameter(Object raw, String f, List<FieldError> errors) {
    JsonObject out = new JsonObject();
    if (!(raw instanceof JsonObject p)) {
      errors.add(new FieldError(f, "must be an object {name, in, required, description}"));
      return out;
    }
    for (String field : p.fieldNames()) {
      if (!PARAMETER_FIELDS.contains(field)) {
        errors.add(new FieldError(f + "." + field, "is not a field of a parameter; allowed: " + new java.util.TreeSet<>(PARAMETER_FIELDS)));
      }
    }
    if (!(p.getValue("name") instanceof String name) || name.isBlank() || org.govshare.platform.Text.length(name) > 100) {
      errors.add(new FieldError(f + ".name", "is required, at most 100 characters"));
    } else {
      out.put("name", name);
    }
    Object in = p.getValue("in");
    if (in != null && !Set.of("query", "path", "header", "body").contains(in)) {
      errors.add(new FieldError(f + ".in", "must be query, path, header or body"));
    } else if (in != null) {
      out.put("in", in);
    }
    Object required = p.getValue("required");
    if (required != null && !(required instanceof Boolean)) {
      errors.add(new FieldError(f + ".required", "must be true or false"));
    } else if (required != null) {
      out.put("required", required);
    }
    optionalText(p, "description", 1000, f + ".", out, errors);
    return out;
  }

  private static void optionalText(JsonObject in, String field, int max, String prefix, JsonObject out, List<FieldError> errors) {
    Object v = in.getValue(field);
    if (v == null) {
      if (in.containsKey(field)) {
        out.putNull(field);
      }
      return;
    }
    if (!(v instanceof String s)) {
      errors.add(new FieldError(prefix + field, "must be text"));
    } else if (org.govshare.platform.Text.length(s) > max) {
      errors.add(new FieldError(prefix + field, "is longer than " + max + " characters"));
    } else {
      out.put(field, s);
    }
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
    } else if (org.govshare.platform.Text.length(v) > max) {
      errors.add(new FieldError(field, "is longer than " + max + " characters"));
    }
  }

  private static boolean httpUrl(String s) {
    if (blank(s)) {
      return false;
    }
    try {
      URI u = URI.create(s.replace("{key}", "k")); // a PROXY endpoint may name where the key goes (docs/data-plane.md)
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
